"""Search cost per record: what a search page pays for each hit, RDM's defaults vs the
instance's process-local ACCESS_CACHE (consortium_platform.access_cache), its record
schema built once per process (consortium_platform.schemas) and its record classes whose
load hooks are resolved once per class (consortium_platform.records).

Runs the REST application in-process on the platform of `make run` (read only) and
times, for an anonymous reader, the search service's result (`to_dict`: schema dump,
links, per-field permission checks) plus the UI serializer the search page asks for
(application/vnd.inveniordm.v1+json), divided by the number of hits. The four
set-ups are measured in alternating rounds (they share the machine's background load);
Redis reads of the access cache per record are counted.

Usage (after `make run`, same environment): .venv/bin/python bench/search_cost.py [--rounds 6]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REDIS_ONLY = "invenio_cache:current_cache"
PROCESS_CACHE = "consortium_platform.access_cache:access_cache"


def make_apps():
    os.environ.setdefault("INVENIO_INSTANCE_PATH", str(ROOT / ".local" / "instance"))
    key = ROOT / ".local" / "secret-key"
    if "INVENIO_SECRET_KEY" not in os.environ and key.exists():
        os.environ["INVENIO_SECRET_KEY"] = key.read_text().strip()
    from consortium_tenants.workflows.requests import LibraryRecordSchema
    from invenio_app.factory import create_api

    from invenio_rdm_records.records.api import RDMDraft, RDMRecord

    rdm_classes = {"RDM_RECORD_CLS": RDMRecord, "RDM_DRAFT_CLS": RDMDraft}
    per_record = {"RDM_RECORD_SCHEMA": LibraryRecordSchema}  # RDM builds it per record
    return {
        "RDM defaults": create_api(ACCESS_CACHE=REDIS_ONLY, **per_record, **rdm_classes),
        "+ process access cache": create_api(ACCESS_CACHE=PROCESS_CACHE, **per_record,
                                             **rdm_classes),
        "+ schema once": create_api(ACCESS_CACHE=PROCESS_CACHE, **rdm_classes),
        "+ hooks once (instance)": create_api(ACCESS_CACHE=PROCESS_CACHE),
    }


def serialized_hits(app):
    """Every hit of the first page, anonymous, in REST JSON and the UI serialization."""
    from flask_principal import AnonymousIdentity
    from invenio_access.permissions import any_user
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.resources.serializers import UIJSONSerializer

    with app.test_request_context("/records"):
        identity = AnonymousIdentity()
        identity.provides.add(any_user)
        result = service.search(identity, params={"size": 25, "sort": "newest"})
        hits = result.to_dict()["hits"]["hits"]
        ui = UIJSONSerializer().dump_list(result.to_dict())["hits"]["hits"]
    return {hit["id"]: hit for hit in hits}, {hit["id"]: hit for hit in ui}


def same_output(apps):
    """Number of hits whose JSON and UI serializations equal in every set-up; else exit."""
    first, *others = apps
    reference = serialized_hits(apps[first])
    for label in others:
        output = serialized_hits(apps[label])
        for kind, hits, ref in zip(("JSON", "UI"), output, reference):
            if hits != ref:
                differing = [i for i in ref if hits.get(i) != ref[i]]
                sys.exit(f"{label}: {kind} output differs from {first}'s on {differing}")
    return len(reference[0])


def cost_per_record(app, repeat):
    """Wall and CPU milliseconds per hit (service result + UI serializer), Redis reads per hit.

    CPU time (this thread's) does not grow with other processes' load; wall time also
    holds the waits for Redis, which the process access cache saves.
    """
    from flask_principal import AnonymousIdentity
    from invenio_access.permissions import any_user
    from invenio_cache import current_cache
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.resources.serializers import UIJSONSerializer

    identity = AnonymousIdentity()
    identity.provides.add(any_user)
    elapsed, cpu, hits = 0.0, 0.0, 0
    reads = {"n": 0}
    for _ in range(repeat):
        # Each search is a request of its own, as on the platform.
        with app.test_request_context("/records"):
            serializer = UIJSONSerializer()
            backend = current_cache.cache
            original = backend.get

            def counted(key, original=original):
                reads["n"] += 1
                return original(key)

            backend.get = counted
            try:
                result = service.search(identity, params={"size": 25})
                start, cpu_start = time.perf_counter(), time.thread_time()
                serializer.serialize_object_list(result.to_dict())
                elapsed += time.perf_counter() - start
                cpu += time.thread_time() - cpu_start
                hits += result.total if result.total < 25 else 25
            finally:
                backend.get = original
    return 1000 * elapsed / hits, 1000 * cpu / hits, reads["n"] / hits, hits // repeat


def profile(app, repeat):
    """cProfile of REPEAT searches' serialization in APP: the 30 costliest functions."""
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    cost_per_record(app, repeat)
    profiler.disable()
    stats = pstats.Stats(profiler).strip_dirs()
    stats.sort_stats("cumulative").print_stats(45)
    stats.sort_stats("tottime").print_stats(30)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5, help="searches per round")
    parser.add_argument("--profile", metavar="SET-UP", help="print a cProfile of one set-up "
                        "(its label's first word, e.g. 'instance' or 'RDM') instead")
    args = parser.parse_args()
    apps = make_apps()
    for app in apps.values():  # warm-up: templates, schemas, vocabularies
        cost_per_record(app, 1)
    compared = same_output(apps)
    if args.profile:
        return profile(next(app for label, app in apps.items() if args.profile in label),
                       args.repeat)
    wall = {label: [] for label in apps}
    cpu = {label: [] for label in apps}
    reads, per_page = {}, 0
    for _ in range(args.rounds):
        for label, app in apps.items():
            ms, cpu_ms, reads[label], per_page = cost_per_record(app, args.repeat)
            wall[label].append(ms)
            cpu[label].append(cpu_ms)
    print(f"{per_page} hits per search page, {args.rounds} rounds x {args.repeat} searches; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}; "
          f"output identical in every set-up ({compared} hits, JSON and UI)")
    top = max(statistics.median(v) for v in wall.values())
    print(f"  {'':26} {'wall ms/record':>15} {'CPU ms/record':>14} {'cache reads':>12}")
    for label in apps:
        median = statistics.median(wall[label])
        print(f"  {label:26} {median:8.1f} (min {min(wall[label]):5.1f}) "
              f"{statistics.median(cpu[label]):8.1f}     {reads[label]:8.1f}    "
              f"{'█' * round(40 * median / top)}")
    first, last = list(apps)[0], list(apps)[-1]
    for name, figures in (("wall", wall), ("CPU", cpu)):
        before, after = statistics.median(figures[first]), statistics.median(figures[last])
        print(f"{name}: {first} / {last} = {before / after:.2f}x")
    print("goal: <= 8 ms/record, >= 2.5x RDM's defaults")

if __name__ == "__main__":
    sys.exit(main())
