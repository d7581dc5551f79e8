"""Import benchmark (issue 28): ITEMS source items with one file each, harvested in `ore`
from the tests' fixture OAI-PMH server (tests/imports/oai_source.py, on loopback, 100
records a page), imported into a fresh library of the bench instance with their files
(streamed into S3), then the unchanged source harvested whole again (`--full`).

Reports items/s of the first run and the re-run's time as a share of the first's
(goal: ≤ 10 %), and checks the re-run created, changed and downloaded nothing.

Usage (services running): .venv/bin/python bench/import.py [--items 10000] [--size 20000]
"""

import argparse
import os
import secrets
import sys
import time
from pathlib import Path

from instance import make_app

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "imports"))
import oai_source  # noqa: E402  (the tests' fixture server)


def library(app):
    """A fresh library with a manager; the manager's user id."""
    from invenio_access.permissions import system_identity
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    from consortium_tenants.proxies import current_tenants_service as tenants

    slug = f"bench-imp-{secrets.token_hex(3)}"
    tenants.create(system_identity, {
        "slug": slug, "names": {"cs": "Měřicí knihovna", "en": "Benchmark library"},
        "short_name": "BENCH", "contact_email": f"repo@{slug}.example"})
    user = current_datastore.create_user(email=f"manager@{slug}.example", active=True)
    db.session.commit()
    tenants.add_member(system_identity, slug, {"email": user.email, "role": "managers"})
    return slug, user.id


def one_run(service, identity, slug, url, full):
    run = service.start(identity, slug, url, full=full, bypass_review=True,
                        metadata_prefix="ore", trusted=True)
    started = time.perf_counter()
    records = service.harvest_checked(run)
    harvested = time.perf_counter() - started
    service.process(identity, run, records)
    return run, time.perf_counter() - started, harvested


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--size", type=int, default=20000, help="bytes of each file")
    args = parser.parse_args()
    oai_source.PAGE = 100
    content = os.urandom(args.size)
    source = oai_source.Source([
        oai_source.item(n, f"Bench work {n}", files=[{"name": f"w{n}.pdf", "content": content}])
        for n in range(1, args.items + 1)])
    app = make_app()
    try:
        with app.app_context():
            from consortium_tenants.imports.service import person_identity
            from consortium_tenants.proxies import current_consortium

            service = current_consortium.imports_service
            slug, user_id = library(app)
            identity = person_identity(user_id)
            first, first_s, first_harvest = one_run(service, identity, slug, source.url, False)
            downloads = len(source.downloads)
            again, again_s, again_harvest = one_run(service, identity, slug, source.url, True)
            first_counts, again_counts = dict(first.counts), dict(again.counts)
    finally:
        source.stop()
    print(f"items: {args.items}, one file of {args.size} bytes each")
    print(f"first run:  {first_s:8.1f} s ({args.items / first_s:.2f} items/s; harvest "
          f"{first_harvest:.1f} s) counts {first_counts}, files downloaded {downloads}")
    print(f"re-run:     {again_s:8.1f} s ({again_s / first_s:.1%} of the first; harvest "
          f"{again_harvest:.1f} s) counts {again_counts}, files downloaded "
          f"{len(source.downloads) - downloads}")
    ok = (again_counts.get("unchanged") == args.items and len(source.downloads) == downloads
          and again_s <= 0.10 * first_s)
    print("goal (re-run ≤ 10 % of the first, nothing changed or fetched):",
          "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
