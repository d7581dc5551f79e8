"""Consortium scale: the platform with L more member libraries vs as it was.

Measures through nginx + uWSGI (`make run`) what every visitor or harvester
pays: search (p50 of /api/records), a library's front page, OAI-PMH ListSets
of the consortium, the administration's list of member libraries (the REST list
its page reads, with the administrator's token: the page itself wants a browser
session) and the consortium home;
then provisions L libraries (each: the library with its community and roles
through the tenants service, --collections sub-collections, one full record
deposited and accepted through RDM's services in the library and one in a
sub-collection, and --records more records cloned in the database and bulk
indexed as bench/oai.py does), printing the time per library as they grow;
then measures again and prints each ratio (goal: <= 1.2).

Usage (after `make run`, same environment):
  .venv/bin/python bench/scale.py --libraries 200 --records 20 --repeat 30
Libraries are named scale-NNN; a later run adds the ones still missing.
"""

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timezone

import requests

from instance import bar, ensure_library, full_record, platform_app, publish_into, web_base
from oai import clone, fast_index

ADMIN = "admin@consortium.example"
PROBE_LIBRARY = "mzk"  # a demo library: its front page is measured before and after


def admin_token(app):
    """A personal API token of the platform's administrator."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db
    from invenio_oauth2server.models import Token

    with app.app_context():
        user = current_datastore.find_user(email=ADMIN)
        token = Token.create_personal("scale-bench", user.id, scopes=[], is_internal=False)
        db.session.commit()
        return token.access_token


def probes(token):
    """name → (path, headers) of what is measured."""
    base = web_base()
    port = base.rsplit(":", 1)[1]
    admin = {"Authorization": f"Bearer {token}"}
    return {
        "search p50 (/api/records)": ("/api/records?q=&size=10", {"Accept": "application/json"}),
        "library front page": (f"/communities/{PROBE_LIBRARY}/records",
                               {"Host": f"{PROBE_LIBRARY}.localhost:{port}"}),
        "OAI ListSets (consortium)": ("/oai2d?verb=ListSets", {}),
        "admin list (REST)": ("/api/tenants?size=25&sort=slug", admin),
        "consortium home": ("/", {}),
    }


def measure(token, repeat):
    """name → median seconds of REPEAT requests (after one warm-up each)."""
    session, base, result = requests.Session(), web_base(), {}
    for name, (path, headers) in probes(token).items():
        times = []
        for i in range(repeat + 1):
            t0 = time.perf_counter()
            response = session.get(base + path, headers=headers, timeout=300,
                                   allow_redirects=False)
            if response.status_code != 200:
                sys.exit(f"{path}: HTTP {response.status_code}")
            if i:
                times.append(time.perf_counter() - t0)
        result[name] = statistics.median(times)
    return result


def library_count(app):
    from consortium_tenants.tenants.models import TenantModel

    with app.app_context():
        return TenantModel.query.count()


def provision_library(slug, collections, records):
    """One library with its sub-collections and records (see the module's docstring)."""
    from invenio_access.permissions import system_identity
    from invenio_communities.proxies import current_communities
    from invenio_db import db

    library = ensure_library(slug, f"Knihovna {slug}", f"Library {slug}")
    db.session.commit()
    children = []
    for n in range(collections):
        child = current_communities.service.create(system_identity, {
            "slug": f"{slug}-fond-{n}", "access": {"visibility": "public"},
            "metadata": {"title": f"Fond {n} ({slug})", "description": "Sbírka knihovny"}})
        children.append(child.id)
    if children:
        current_communities.service.bulk_update_parent(
            system_identity, children, library["community_id"])
    template = publish_into(library["community_id"],
                            full_record(f"Záznam {slug}", doi=f"10.5072/{slug}.1"))
    if children:
        publish_into(children[0], full_record(f"Záznam fondu {slug}", doi=f"10.5072/{slug}.2"))
    db.session.commit()
    if records:
        from sqlalchemy import text

        template_uuid = db.session.execute(text(
            "SELECT id FROM rdm_records_metadata WHERE json->>'id' = :i"),
            {"i": template}).scalar_one()
        fast_index(template_uuid, clone(library, template_uuid, records), sample=1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--libraries", type=int, default=200, help="libraries to add (L)")
    parser.add_argument("--collections", type=int, default=2, help="sub-collections each")
    parser.add_argument("--records", type=int, default=20,
                        help="cloned records each (besides the two deposited)")
    parser.add_argument("--repeat", type=int, default=20, help="requests per measurement")
    parser.add_argument("--step", type=int, default=10, help="libraries per progress line")
    args = parser.parse_args()

    app = platform_app()
    token = admin_token(app)
    before_count = library_count(app)
    print(f"measuring with {before_count} libraries …", file=sys.stderr)
    before = measure(token, args.repeat)

    existing = library_count(app)
    per_library, started = [], time.perf_counter()
    with app.app_context():
        from consortium_tenants.tenants.models import TenantModel

        have = {t.slug for t in TenantModel.query.filter(TenantModel.slug.like("scale-%"))}
        todo = [f"scale-{n:03d}" for n in range(args.libraries) if f"scale-{n:03d}" not in have]
        print(f"provisioning {len(todo)} libraries ({len(have)} exist) …")
        for n, slug in enumerate(todo, 1):
            t0 = time.perf_counter()
            provision_library(slug, args.collections, args.records)
            per_library.append(time.perf_counter() - t0)
            if n % args.step == 0 or n == len(todo):
                window = per_library[-args.step:]
                print(f"  {existing + n:4d} libraries: {statistics.mean(window):6.2f} s per "
                      f"library (last {len(window)})  {bar(statistics.mean(window), 10, 30)}")
    if len(per_library) >= 2 * args.step:
        first, last = (statistics.mean(w) for w in (per_library[:args.step],
                                                    per_library[-args.step:]))
        print(f"time per library, last {args.step} / first {args.step}: {last / first:.2f} "
              f"(it must not grow with their number)")
    print(f"provisioning took {time.perf_counter() - started:.0f} s")

    after_count = library_count(app)
    print(f"measuring with {after_count} libraries …", file=sys.stderr)
    after = measure(token, args.repeat)
    load = os.getloadavg()
    print(f"\n== {after_count} libraries vs {before_count}, "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}; median of {args.repeat} ==")
    print(f"{'':<28} {before_count:>6} libs {after_count:>6} libs   ratio (goal <= 1.2)")
    for name in before:
        ratio = after[name] / before[name]
        print(f"{name:<28} {1000 * before[name]:8.0f} ms {1000 * after[name]:8.0f} ms   "
              f"{ratio:5.2f} {'ok' if ratio <= 1.2 else 'NOT MET'}")


if __name__ == "__main__":
    sys.exit(main())
