"""Open-access reports benchmark: the reports' aggregations over 1 000 000 works.

Creates (once) an index of its own in the bench instance with the records index's
mapping and settings, and fills it with RECORDS synthetic works spread over LIBRARIES
libraries: only the fields the reports read (latest version, not deleted, the library's
community, access status and embargo end, publication date range, resource type,
licence, funder, creation time), drawn at random with SEED. No real records are made.
Then times `oa.reports.report` as the page, CSV and REST compute it (median of REPEAT):

* one library's report against the Czech national strategy (its painless embargo
  clauses are the costliest part);
* the consortium's report (every work) against the same, and the dashboard's open
  shares of every library (`open_counts`).

OpenSearch's request cache is cleared before each call (a repeated size-0 search would
otherwise be answered from it).

Goal (issue 29): each < 5 s at 1 000 000 works.

Usage (services running): .venv/bin/python bench/oa.py [--records 1000000]
    [--libraries 20] [--seed 1] [--repeat 3] [--reindex]
"""

import argparse
import random
import statistics
import sys
import time
import uuid
from datetime import date, datetime, timedelta, timezone

from instance import bar, make_app

INDEX = "oa-bench-records"
STATUSES = (("open", 55), ("embargoed", 15), ("restricted", 10), ("metadata-only", 20))
TYPES = ("publication-article", "publication-book", "publication-thesis", "dataset",
         "software", "publication-conferencepaper", "other")
LICENCES = ("cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc0-1.0", "arr", "cc-by-nd-4.0",
            None)
FUNDERS = ("00rbzpz17", "01h531d29", "05k0ac226", "03mfr0q15", None, None, None)
CHUNK = 5000


def synthetic_docs(count, communities, seed):
    """COUNT documents with the fields the reports read, as RDM indexes them."""
    rng = random.Random(seed)
    statuses = [s for s, weight in STATUSES for _ in range(weight)]
    today = date.today()
    for number in range(count):
        status = rng.choice(statuses)
        published = date(2010, 1, 1) + timedelta(days=rng.randrange(17 * 365))
        created = datetime(2020, 1, 1, tzinfo=timezone.utc) + timedelta(
            seconds=rng.randrange(7 * 365 * 86400))
        licence, funder = rng.choice(LICENCES), rng.choice(FUNDERS)
        embargo = {"active": False}
        if status == "embargoed":
            until = today + timedelta(days=rng.randrange(1, 3 * 365))
            embargo = {"active": True, "until": until.isoformat(), "reason": "bench"}
        metadata = {
            "title": f"Bench work {number}",
            "publication_date": published.isoformat(),
            "publication_date_range": {"gte": published.isoformat(),
                                       "lte": published.isoformat()},
            "resource_type": {"id": rng.choice(TYPES)},
        }
        if licence:
            metadata["rights"] = [{"id": licence}]
        if funder:
            metadata["funding"] = [{"funder": {"id": funder}}]
        community = communities[number % len(communities)]
        yield {
            "_id": str(uuid.UUID(int=rng.getrandbits(128))),
            "_source": {
                "id": f"bench-{number:07d}",
                "created": created.isoformat(),
                "is_deleted": False,
                "versions": {"is_latest": True, "index": 1},
                "parent": {"communities": {"ids": [community], "default": community}},
                "access": {"status": status, "embargo": embargo,
                           "record": "public",
                           "files": "public" if status == "open" else "restricted"},
                "metadata": metadata,
            },
        }


def _version(index_name):
    """(major, minor, patch) of a records index named …-record-vX.Y.Z-<timestamp>."""
    version = index_name.rsplit("-record-v", 1)[-1].split("-", 1)[0]
    return tuple(int(part) for part in version.split("."))


def provision(client, name, records, communities, seed, reindex):
    """The bench index NAME with RECORDS documents (made once; REINDEX: again)."""
    from opensearchpy.helpers import streaming_bulk

    from consortium_tenants.oa.reports import records_index

    if client.indices.exists(index=name) and not reindex:
        have = client.count(index=name)["count"]
        if have == records:
            return 0.0
        print(f"{name} holds {have} documents, not {records}: indexing again",
              file=sys.stderr)
    client.indices.delete(index=name, ignore_unavailable=True)
    # the alias holds every mapping version's index; RDM writes to the newest (record-vN)
    indices = client.indices.get(index=records_index())
    source = indices[max(indices, key=_version)]
    analysis = source["settings"]["index"].get("analysis")
    settings = {"number_of_shards": 1, "number_of_replicas": 0, "refresh_interval": "-1"}
    if analysis:
        settings["analysis"] = analysis
    client.indices.create(index=name, body={"settings": {"index": settings},
                                            "mappings": source["mappings"]})
    began = time.perf_counter()
    done = 0
    for ok, item in streaming_bulk(client, synthetic_docs(records, communities, seed),
                                   index=name, chunk_size=CHUNK, request_timeout=300,
                                   raise_on_error=True):
        done += 1
        if done % 100_000 == 0:
            rate = done / (time.perf_counter() - began)
            print(f"  indexed {done:,} ({rate:,.0f}/s)", file=sys.stderr)
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "1s"}})
    client.indices.refresh(index=name)
    client.indices.forcemerge(index=name, max_num_segments=5, request_timeout=1800)
    return time.perf_counter() - began


def timed(call, repeat, before=None):
    """(median seconds over REPEAT calls, last result) of CALL(); BEFORE() before each."""
    times, result = [], None
    for _ in range(repeat):
        if before:
            before()
        began = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - began)
    return statistics.median(times), result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--libraries", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reindex", action="store_true", help="Index the works again.")
    args = parser.parse_args()
    app = make_app()
    with app.app_context():
        from flask import current_app
        from invenio_search import current_search_client
        from invenio_search.utils import prefix_index

        from consortium_tenants.oa import reports

        name = prefix_index(INDEX)
        communities = [str(uuid.UUID(int=random.Random(args.seed + i).getrandbits(128)))
                       for i in range(args.libraries)]
        index_s = provision(current_search_client, name, args.records, communities,
                            args.seed, args.reindex)
        held = current_search_client.count(index=name)["count"]
        national = current_app.config["CONSORTIUM_OA_PRESETS"]["czech-national"]

        def url(record_id):
            return f"https://bench.example/records/{record_id}"

        def uncached():  # OpenSearch keeps size-0 results per shard: measure computing
            current_search_client.indices.clear_cache(index=name, request=True)

        library_s, library = timed(lambda: reports.report(
            [communities[0]], national, url, index=name), args.repeat, uncached)
        consortium_s, consortium = timed(lambda: reports.report(
            None, national, url, index=name), args.repeat, uncached)
        shares_s, shares = timed(lambda: reports.open_counts(communities, index=name),
                                 args.repeat, uncached)

    print(f"\n{held:,} works in {name}, {args.libraries} libraries"
          + (f"; indexed in {index_s:.0f} s" if index_s else " (indexed before)") + "\n")
    figures = [
        (f"one library's report ({library['total']:,} works)", library_s,
         f"{library['compliance']['non_compliant']:,} non-compliant"),
        (f"consortium report ({consortium['total']:,} works)", consortium_s,
         f"{consortium['compliance']['non_compliant']:,} non-compliant"),
        (f"open shares of {len(shares)} libraries", shares_s, ""),
    ]
    top = max(s for _, s, _ in figures)
    print(f"{'report (czech-national policy)':<44} {'seconds':>8} {'goal':>9}  {'':<40} note")
    for label, seconds, note in figures:
        verdict = "< 5 s " + ("ok" if seconds < 5 else "MISS")
        print(f"{label:<44} {seconds:>8.2f} {verdict:>9}  {bar(seconds, top):<40} {note}")


if __name__ == "__main__":
    main()
