"""Load bench: the development server vs the production topology, then a realistic mix.

Needs the platform of `make run` (demo libraries and records). In one run:

1. saturation, side by side: anonymous readers and OAI-PMH harvesters without
   think time (--sat-users, --sat-seconds) against Flask's development server
   (`scripts/app.sh start dev`, started and stopped here) and against nginx +
   uWSGI (`make run`), alternating in --rounds so both share the machine's
   background load; prints req/s per endpoint and the throughput ratio (both servers
   with the per-client rate limits raised: this measures capacity);
2. realistic mix on the production topology (--users with 1-3 s think time for
   --seconds): readers, harvesters, depositors creating drafts with a file and
   submitting them to MZK, curators accepting; each user a client of its own under
   the configured rate limits; prints req/s, p50/p95/p99 and
   errors per endpoint, then checks that no submitted deposit was lost.

3. --search-compare (instead of 1 and 2): the search endpoints (25 hits, UI and JSON)
   at saturation on the production topology with RDM's own search serialization
   (uWSGI's API started with CONSORTIUM_SEARCH_AS_RDM=1, see invenio.cfg) vs the
   instance's, the API restarted between them in alternating --rounds.

Everything stays on 127.0.0.1. Results: bench/load/results/<UTC time>.{json,svg}.

Usage (after `make run`, same environment):
    .venv/bin/python bench/load/run.py [--users 50 --seconds 300 --sat-users 8 --sat-seconds 60]
"""

import argparse
import json
import os
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import gevent
import psutil
from locust import constant
from locust.env import Environment

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
import locustfile  # noqa: E402  (reads LOAD_* at import: set by setup() before use)

import requests  # noqa: E402  (after locust: gevent-patched)

WEB = int(os.environ.get("WEB_PORT", 5000))
DEV = int(os.environ.get("DEV_WEB_PORT", WEB + 100))
PROD_URL, DEV_URL = f"http://127.0.0.1:{WEB}", f"http://127.0.0.1:{DEV}"
PEOPLE = {"depositor": "researcher@mzk.example", "curator": "curator@mzk.example"}


RAISED_LIMITS = {"INVENIO_RATELIMIT_GUEST_USER": "1000000 per hour;100000 per minute",
                 "INVENIO_RATELIMIT_AUTHENTICATED_USER": "1000000 per hour;100000 per minute"}
"""Saturation measures capacity: 8 clients without think time would hit the per-client
rate limits (60 requests a minute for a guest) in seconds; both servers get these."""


def app_sh(*args, env=None):
    subprocess.run([str(ROOT / "scripts" / "app.sh"), *args], check=True,
                   env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL)


def token_of(email):
    """A new personal API token of EMAIL (`invenio tokens create`, the scripts' environment)."""
    command = f'source scripts/env.sh && invenio tokens create -n load-bench -u "{email}"'
    out = subprocess.run(["bash", "-c", command], cwd=ROOT, check=True, capture_output=True,
                         text=True)
    return out.stdout.strip().splitlines()[-1]


def setup():
    """Demo records (id, library, first file) and the depositor's and curator's tokens."""
    records = []
    for slug in ("mzk", "svkos", "vkol"):
        res = requests.get(f"{PROD_URL}/api/communities/{slug}/records?size=50",
                           headers={"Accept": "application/json"}, timeout=60)
        res.raise_for_status()
        for hit in res.json()["hits"]["hits"]:
            files = sorted((hit.get("files") or {}).get("entries") or {})
            records.append({"id": hit["id"], "slug": slug, "file": files[0] if files else None})
    if not records:
        sys.exit("no demo records: run `make run` first")
    community = requests.get(f"{PROD_URL}/api/communities/mzk", timeout=60).json()["id"]
    tokens = {f"{role}@mzk": token_of(email) for role, email in PEOPLE.items()}
    tokens["community@mzk"] = community
    locustfile.RECORDS[:] = records
    locustfile.SLUGS[:] = sorted({r["slug"] for r in records})
    locustfile.TOKENS.update(tokens)
    return records


def server_cpu(url):
    """CPU seconds used so far by the processes serving URL (dev server, or nginx + uWSGI)."""
    names = ["dev"] if url == DEV_URL else ["nginx", "ui", "api"]
    total = 0.0
    for name in names:
        try:
            root = psutil.Process(int((ROOT / ".local" / "run" / f"{name}.pid").read_text()))
            for proc in (root, *root.children(recursive=True)):
                times = proc.cpu_times()
                total += times.user + times.system
        except (OSError, ValueError, psutil.Error):
            pass
    return total


def run(targets, classes, users, seconds, think, rounds=1):
    """Run CLASSES against each URL of TARGETS, alternating in ROUNDS (they share the
    machine's background load); per endpoint figures and totals of each target, and
    the CPU time its server processes used per request."""
    for cls in classes:
        cls.wait_time = constant(0) if think is None else locustfile.between(*think)
    envs = {url: Environment(user_classes=classes, host=url) for url in targets}
    runners = {url: env.create_local_runner() for url, env in envs.items()}
    active, cpu = dict.fromkeys(targets, 0.0), dict.fromkeys(targets, 0.0)
    for _ in range(rounds):
        for url in targets:
            runners[url].start(users, spawn_rate=max(1, users / 10))
            start, cpu_start = time.monotonic(), server_cpu(url)
            gevent.sleep(seconds / rounds)
            runners[url].stop()
            active[url] += time.monotonic() - start
            cpu[url] += server_cpu(url) - cpu_start
    results = []
    for url, env in envs.items():
        runners[url].quit()
        rows = {name: figures(entry, active[url])
                for (name, _method), entry in sorted(env.stats.entries.items())}
        errors = {f"{e.name}: {e.error}"[:160]: e.occurrences
                  for e in env.stats.errors.values()}
        requests_done = env.stats.total.num_requests
        results.append({"url": url, "users": users, "seconds": round(active[url], 1),
                        "rows": rows, "total": figures(env.stats.total, active[url]),
                        "errors": errors, "server_cpu_s": round(cpu[url], 1),
                        "cpu_ms_per_request": round(1000 * cpu[url] / requests_done, 1)
                        if requests_done else None})
    return results


def figures(entry, elapsed):
    pct = entry.get_response_time_percentile
    return {"requests": entry.num_requests, "errors": entry.num_failures,
            "rps": round(entry.num_requests / elapsed, 2),
            "p50": pct(0.5), "p95": pct(0.95), "p99": pct(0.99)}


def lost_deposits():
    """Submitted requests the API does not know as submitted or accepted."""
    headers = {"Accept": "application/json",
               "Authorization": f"Bearer {locustfile.TOKENS['curator@mzk']}",
               "Host": f"mzk.localhost:{WEB}"}
    lost = []
    for request_id in sorted(locustfile.LEDGER["submitted"]):
        res = requests.get(f"{PROD_URL}/api/requests/{request_id}", headers=headers, timeout=60)
        if res.status_code != 200 or res.json()["status"] not in ("submitted", "accepted"):
            lost.append(request_id)
    return lost


def print_table(title, result):
    print(f"\n{title}: {result['url']}, {result['users']} users, {result['seconds']} s")
    print(f"  {'endpoint':36} {'reqs':>6} {'req/s':>7} {'p50':>6} {'p95':>6} {'p99':>6} {'err':>4}")
    for name, row in [*result["rows"].items(), ("TOTAL", result["total"])]:
        print(f"  {name:36} {row['requests']:6} {row['rps']:7.2f} {row['p50']:6.0f} "
              f"{row['p95']:6.0f} {row['p99']:6.0f} {row['errors']:4}")
    for error, count in result["errors"].items():
        print(f"  error x{count}: {error}")


def print_side_by_side(dev, prod):
    names = sorted(set(dev["rows"]) | set(prod["rows"]))
    top = max([r["rps"] for r in (*dev["rows"].values(), *prod["rows"].values())] or [1])
    print("\nreq/s per endpoint, development server (d) vs production topology (p):")
    for name in names:
        d = dev["rows"].get(name, {}).get("rps", 0)
        p = prod["rows"].get(name, {}).get("rps", 0)
        print(f"  {name:36} d {d:7.2f} {'░' * round(30 * d / top)}")
        print(f"  {'':34} p {p:7.2f} {'█' * round(30 * p / top)}")
    ratio = prod["total"]["rps"] / dev["total"]["rps"] if dev["total"]["rps"] else float("inf")
    print(f"\nthroughput: dev {dev['total']['rps']:.2f} req/s, production "
          f"{prod['total']['rps']:.2f} req/s, ratio {ratio:.2f} (goal >= 1.8)")
    # On a machine shared with other work the wall-clock figures depend on what else
    # runs; the CPU time per request does not. The dev server is one process (one core
    # at most, the GIL); uWSGI's processes use every core.
    cores = os.cpu_count()
    workers = 2 * int(os.environ.get("WEB_WORKERS", 2))
    d, p = dev["cpu_ms_per_request"], prod["cpu_ms_per_request"]
    if d and p:
        capacity = {"dev": 1000 / d, "prod": 1000 * min(cores, workers) / p}
        print(f"server CPU per request: dev {d:.0f} ms, production {p:.0f} ms; capacity of "
              f"{cores} dedicated cores: dev {capacity['dev']:.1f} req/s (1 core), production "
              f"{capacity['prod']:.1f} req/s ({min(cores, workers)} cores), ratio "
              f"{capacity['prod'] / capacity['dev']:.2f}")
    return ratio


def svg_chart(dev, prod, mix):
    """Bars of req/s per endpoint (dev vs production), or the mix's p95 without them."""
    if dev is None:
        return mix_chart(mix)
    names = sorted(set(dev["rows"]) | set(prod["rows"]))
    top = max([r["rps"] for r in (*dev["rows"].values(), *prod["rows"].values())] or [1])
    height, out = 40 + 34 * len(names), []
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{height}" '
               'font-family="sans-serif" font-size="12">')
    out.append('<text x="10" y="20" font-weight="bold">req/s per endpoint: development '
               'server (grey) vs nginx + uWSGI (blue), saturation</text>')
    for i, name in enumerate(names):
        y = 40 + 34 * i
        d = dev["rows"].get(name, {}).get("rps", 0)
        p = prod["rows"].get(name, {}).get("rps", 0)
        out.append(f'<text x="10" y="{y + 12}">{name}</text>')
        out.append(f'<rect x="260" y="{y}" width="{400 * d / top:.1f}" height="12" fill="#aaa"/>')
        out.append(f'<rect x="260" y="{y + 14}" width="{400 * p / top:.1f}" height="12" '
                   'fill="#2b6cb0"/>')
        out.append(f'<text x="{265 + 400 * max(d, p) / top:.1f}" y="{y + 22}">'
                   f'{d:.1f} / {p:.1f}</text>')
    out.append("</svg>")
    return "\n".join(out)


def mix_chart(mix):
    """Bars of the mix's p95 per endpoint, the 1 s goal marked."""
    rows = mix["rows"]
    top = max([r["p95"] for r in rows.values()] + [1000])
    height, out = 40 + 20 * len(rows), []
    out.append(f'<svg xmlns="http://www.w3.org/2000/svg" width="760" height="{height + 10}" '
               'font-family="sans-serif" font-size="12">')
    out.append('<text x="10" y="20" font-weight="bold">p95 ms per endpoint, realistic mix '
               '(line: 1 s goal)</text>')
    for i, (name, row) in enumerate(sorted(rows.items())):
        y = 34 + 20 * i
        out.append(f'<text x="10" y="{y + 11}">{name}</text>')
        out.append(f'<rect x="260" y="{y}" width="{400 * row["p95"] / top:.1f}" height="14" '
                   'fill="#2b6cb0"/>')
        out.append(f'<text x="{265 + 400 * row["p95"] / top:.1f}" y="{y + 11}">'
                   f'{row["p95"]:.0f}</text>')
    x = 260 + 400 * 1000 / top
    out.append(f'<line x1="{x:.1f}" y1="30" x2="{x:.1f}" y2="{height}" stroke="#c00"/>')
    out.append("</svg>")
    return "\n".join(out)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=300)
    parser.add_argument("--sat-users", type=int, default=8)
    parser.add_argument("--sat-seconds", type=int, default=60, help="per server")
    parser.add_argument("--warmup", type=int, default=45, help="seconds per server, not measured")
    parser.add_argument("--think", type=float, nargs=2, default=(1, 3), metavar=("MIN", "MAX"),
                        help="the mix's think time between a user's requests, seconds")
    parser.add_argument("--no-mix", action="store_true", help="saturation comparison only")
    parser.add_argument("--no-saturation", action="store_true", help="the mix only")
    parser.add_argument("--search-compare", action="store_true",
                        help="search endpoints: RDM's serialization vs the instance's (3.)")
    parser.add_argument("--rounds", type=int, default=4,
                        help="saturation alternates the servers in this many rounds")
    args = parser.parse_args()

    records = setup()
    print(f"{len(records)} demo records of {len(locustfile.SLUGS)} libraries; "
          f"{os.cpu_count()} cores")
    if args.search_compare:
        return search_compare(args)
    readers = [locustfile.Visitor, locustfile.Harvester]
    dev = prod = ratio = None
    if not args.no_saturation:
        dev, prod, ratio = saturation(args, readers)
    if args.no_mix:
        return save(args, dev, prod, ratio, None, [])
    think = tuple(args.think)
    [mix] = run([PROD_URL], [*readers, locustfile.Depositor, locustfile.Curator],
                args.users, args.seconds, think)
    print_table(f"realistic mix (think time {think[0]:g}-{think[1]:g} s), production topology",
                mix)
    time.sleep(2)
    lost = lost_deposits()
    submitted = len(locustfile.LEDGER["submitted"])
    pages = [r for n, r in mix["rows"].items() if n.startswith("page:")]
    worst_p95 = max([r["p95"] for r in pages] or [0])
    print(f"\ndeposits submitted {submitted}, accepted {len(locustfile.LEDGER['accepted'])}, "
          f"lost {len(lost)}; errors {mix['total']['errors']}; pages' worst p95 {worst_p95:.0f} ms "
          "(goals: 0 lost, 0 errors, p95 < 1000 ms)")
    save(args, dev, prod, ratio, mix, lost)


def saturation(args, readers):
    """Both servers side by side without think time, the rate limits raised on both:
    (dev figures, production figures, throughput ratio)."""
    app_sh("stop", "ui", "api")
    app_sh("start", "ui", "api", env=RAISED_LIMITS)
    app_sh("start", "dev", env=RAISED_LIMITS)
    try:
        # every uWSGI worker (and the dev server) fills its own caches on first use
        run([DEV_URL, PROD_URL], readers, 2 * args.sat_users, args.warmup, None)
        dev, prod = run([DEV_URL, PROD_URL], readers, args.sat_users, args.sat_seconds, None,
                        args.rounds)
    finally:
        app_sh("stop", "dev")
        app_sh("stop", "ui", "api")
        app_sh("start", "ui", "api")  # the mix runs with the configured limits
    print_table("saturation, development server", dev)
    print_table("saturation, production topology", prod)
    return dev, prod, print_side_by_side(dev, prod)


def search_compare(args):
    """Search endpoints at saturation on nginx + uWSGI: RDM's search serialization vs
    the instance's, the API restarted for each in alternating rounds."""
    setups = {"RDM defaults": {**RAISED_LIMITS, "CONSORTIUM_SEARCH_AS_RDM": "1"},
              "instance": RAISED_LIMITS}
    envs = {label: Environment(user_classes=[locustfile.Searcher], host=PROD_URL)
            for label in setups}
    runners = {label: env.create_local_runner() for label, env in envs.items()}
    active, cpu = dict.fromkeys(setups, 0.0), dict.fromkeys(setups, 0.0)
    locustfile.Searcher.wait_time = constant(0)
    try:
        for _ in range(args.rounds):
            for label, env_vars in setups.items():
                app_sh("stop", "api")
                app_sh("start", "api", env=env_vars)
                warm = Environment(user_classes=[locustfile.Searcher], host=PROD_URL)
                warm_runner = warm.create_local_runner()  # every worker fills its caches
                warm_runner.start(2 * args.sat_users, spawn_rate=2 * args.sat_users)
                gevent.sleep(args.warmup / args.rounds)
                warm_runner.quit()
                runners[label].start(args.sat_users, spawn_rate=args.sat_users)
                start, cpu_start = time.monotonic(), server_cpu(PROD_URL)
                gevent.sleep(args.sat_seconds / args.rounds)
                runners[label].stop()
                active[label] += time.monotonic() - start
                cpu[label] += server_cpu(PROD_URL) - cpu_start
    finally:
        app_sh("stop", "api")
        app_sh("start", "api")
    for runner in runners.values():
        runner.quit()
    results = {}
    for label, env in envs.items():
        rows = {name: figures(entry, active[label])
                for (name, _method), entry in sorted(env.stats.entries.items())}
        done = env.stats.total.num_requests
        results[label] = {"rows": rows, "total": figures(env.stats.total, active[label]),
                          "errors": env.stats.total.num_failures, "seconds": active[label],
                          "cpu_ms_per_request": round(1000 * cpu[label] / done, 1)
                          if done else None}
    print(f"\nsearch endpoints at saturation, nginx + uWSGI, {args.sat_users} users, "
          f"{args.rounds} alternating rounds; load average {os.getloadavg()[0]:.1f}")
    print(f"  {'endpoint':28} {'set-up':14} {'req/s':>7} {'p50':>6} {'p95':>6} {'err':>4}")
    for name in sorted(set().union(*(r["rows"] for r in results.values()))) + ["TOTAL"]:
        for label, result in results.items():
            row = result["total"] if name == "TOTAL" else result["rows"].get(name)
            if row:
                print(f"  {name:28} {label:14} {row['rps']:7.2f} {row['p50']:6.0f} "
                      f"{row['p95']:6.0f} {row['errors']:4}")
    before, after = results["RDM defaults"], results["instance"]
    print(f"throughput: instance / RDM defaults = "
          f"{after['total']['rps'] / before['total']['rps']:.2f}x; server CPU per request "
          f"{before['cpu_ms_per_request']} -> {after['cpu_ms_per_request']} ms")
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%MZ")
    (HERE / "results").mkdir(exist_ok=True)
    (HERE / "results" / f"{stamp}-search.json").write_text(json.dumps(
        {"date": stamp, "cores": os.cpu_count(), "load_average": os.getloadavg(),
         "args": vars(args), "results": results}, indent=1))


def save(args, dev, prod, ratio, mix, lost):
    stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H%MZ")
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    (results / f"{stamp}.json").write_text(json.dumps(
        {"date": stamp, "cores": os.cpu_count(), "load_average": os.getloadavg(),
         "args": vars(args), "dev": dev, "prod": prod, "ratio": ratio and round(ratio, 2), "mix": mix,
         "submitted": len(locustfile.LEDGER["submitted"]), "lost": lost}, indent=1))
    (results / f"{stamp}.svg").write_text(svg_chart(dev, prod, mix))
    print(f"results: {results / stamp}.json, chart: {results / stamp}.svg")


if __name__ == "__main__":
    main()
