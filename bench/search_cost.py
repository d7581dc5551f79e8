"""Search cost per record: what a search page pays for each hit, with and without the
instance's process-local ACCESS_CACHE (consortium_platform.access_cache).

Runs the REST application in-process on the platform of `make run` (read only) and
times, for an anonymous reader, the search service's result (`to_dict`: schema dump,
links, per-field permission checks) plus the UI serializer the search page asks for
(application/vnd.inveniordm.v1+json), divided by the number of hits. Both caches are
measured in alternating rounds (they share the machine's background load); Redis
reads of the access cache per record are counted.

Usage (after `make run`, same environment): .venv/bin/python bench/search_cost.py [--rounds 6]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CACHES = {"Redis only (RDM default)": "invenio_cache:current_cache",
          "process + Redis (instance)": "consortium_platform.access_cache:access_cache"}


def make_apps():
    os.environ.setdefault("INVENIO_INSTANCE_PATH", str(ROOT / ".local" / "instance"))
    key = ROOT / ".local" / "secret-key"
    if "INVENIO_SECRET_KEY" not in os.environ and key.exists():
        os.environ["INVENIO_SECRET_KEY"] = key.read_text().strip()
    from invenio_app.factory import create_api

    return {label: create_api(ACCESS_CACHE=cache) for label, cache in CACHES.items()}


def cost_per_record(app, repeat):
    """Milliseconds per hit (service result + UI serializer) and Redis reads per hit."""
    from flask_principal import AnonymousIdentity
    from invenio_access.permissions import any_user
    from invenio_cache import current_cache
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.resources.serializers import UIJSONSerializer

    with app.test_request_context("/records"):
        identity = AnonymousIdentity()
        identity.provides.add(any_user)
        serializer = UIJSONSerializer()
        backend = current_cache.cache
        reads = {"n": 0}
        original = backend.get

        def counted(key):
            reads["n"] += 1
            return original(key)

        backend.get = counted
        try:
            elapsed, hits = 0.0, 0
            for _ in range(repeat):
                result = service.search(identity, params={"size": 25})
                start = time.perf_counter()
                serializer.serialize_object_list(result.to_dict())
                elapsed += time.perf_counter() - start
                hits += result.total if result.total < 25 else 25
        finally:
            backend.get = original
    return 1000 * elapsed / hits, reads["n"] / hits, hits // repeat


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=5, help="searches per round")
    args = parser.parse_args()
    apps = make_apps()
    for app in apps.values():  # warm-up: templates, schemas, vocabularies
        cost_per_record(app, 1)
    times = {label: [] for label in apps}
    reads, per_page = {}, 0
    for _ in range(args.rounds):
        for label, app in apps.items():
            ms, reads[label], per_page = cost_per_record(app, args.repeat)
            times[label].append(ms)
    print(f"{per_page} hits per search page, {args.rounds} rounds x {args.repeat} searches; "
          f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    top = max(statistics.median(v) for v in times.values())
    for label, values in times.items():
        median = statistics.median(values)
        print(f"  {label:28} {median:6.1f} ms/record (min {min(values):.1f})  "
              f"{reads[label]:5.1f} cache reads/record  {'█' * round(40 * median / top)}")
    before, after = (statistics.median(v) for v in times.values())
    print(f"ratio {before / after:.2f}x (goal: <= 10 ms/record)")


if __name__ == "__main__":
    sys.exit(main())
