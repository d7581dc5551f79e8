"""OAI-PMH harvest benchmark: a library of 100 000 records, harvested in full.

Bulk-indexes synthetic records (copies of one real published record, each with
its own id, OAI identifier, title and datestamp) of a benchmark library into
the bench instance's records index (once; later runs reuse them), then
harvests ListRecords (oai_dc) in full over HTTP from the library's endpoint
and from the consortium endpoint, and prints side by side: records per second
of each, and the time per page of the first pages vs the deepest pages
(deep/first ratio; stateless search_after tokens should keep it near 1).

Usage (services running): .venv/bin/python bench/oai_harvest.py [--records 100000]
"""

import argparse
import statistics
import sys
import time
from datetime import datetime, timedelta, timezone

import requests
from lxml import etree

from instance import bar, make_app, serve

NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}
SLUG = "oai-bench"


def bench_library(app):
    """The benchmark library and one real published record of it (the template)."""
    from invenio_access.permissions import system_identity
    from invenio_rdm_records.proxies import current_rdm_records_service as records

    from consortium_tenants.proxies import current_tenants_service as tenants
    from consortium_tenants.tenants.errors import TenantNotFound

    with app.app_context():
        try:
            tenant = tenants.read(system_identity, SLUG)
        except TenantNotFound:
            tenant = tenants.create(system_identity, {
                "slug": SLUG, "names": {"cs": "Sklizňová knihovna", "en": "Harvest library"},
                "short_name": "HARV", "contact_email": "oai@bench.example"})
        body = {"metadata": {"title": "Šablona záznamu", "publication_date": "2026-11-25",
                             "resource_type": {"id": "publication-article"},
                             "publisher": "Bench", "description": "Popis záznamu pro sklizeň.",
                             "creators": [{"person_or_org": {"type": "personal",
                                                             "given_name": "Jana",
                                                             "family_name": "Nováková"}}]},
                "files": {"enabled": False}, "access": {"record": "public", "files": "public"}}
        draft = records.create(system_identity, body)
        record = records.publish(system_identity, draft.id)
        records.indexer.refresh()
        return tenant, record.id


def load(app, tenant, template_id, count):
    """Index COUNT synthetic records of the library unless they are there."""
    from invenio_search import current_search_client as search
    from invenio_search.utils import build_alias_name
    from opensearchpy.helpers import bulk

    with app.app_context():
        alias = build_alias_name("rdmrecords-records")
        query = {"term": {"parent.communities.ids": tenant["community_id"]}}
        have = search.count(index=alias, body={"query": query})["count"]
        if have >= count:
            return have
        template_hit = search.search(index=alias, body={"query": {"term": {"id": template_id}}})[
            "hits"]["hits"][0]
        template, write_index = template_hit["_source"], template_hit["_index"]
        if have:  # an interrupted or smaller load: start again
            search.delete_by_query(index=alias, body={"query": {"prefix": {"id": "hb"}}},
                                   refresh=True, conflicts="proceed")
            have = 0
        prefix = app.config["OAISERVER_ID_PREFIX"]
        start = datetime(2020, 1, 1, tzinfo=timezone.utc)

        def documents():
            for i in range(have, count):
                record_id = f"hb{i:07d}"
                source = dict(template)
                source.update({
                    "id": record_id,
                    "pids": {"oai": {"identifier": f"oai:{prefix}:{record_id}",
                                     "provider": "oai"}},
                    "updated": (start + timedelta(seconds=i)).isoformat(),
                    "metadata": {**template["metadata"], "title": f"Sborník č. {i}"},
                    "parent": {**template["parent"],
                               "communities": {"ids": [tenant["community_id"]],
                                               "default": tenant["community_id"]}},
                })
                yield {"_index": write_index, "_id": f"bench-{record_id}", "_source": source}

        print(f"indexing {count - have} records …", file=sys.stderr)
        bulk(search, documents(), chunk_size=2000, request_timeout=300)
        search.indices.refresh(index=alias)
        return search.count(index=alias, body={"query": query})["count"]


def harvest(url, params):
    """Harvest a list to its end; (records, seconds, per-page seconds)."""
    session, pages, records = requests.Session(), [], 0
    started = time.perf_counter()
    while True:
        t0 = time.perf_counter()
        document = etree.fromstring(session.get(url, params=params, timeout=600).content)
        pages.append(time.perf_counter() - t0)
        error = document.find("oai:error", NS)
        if error is not None:
            sys.exit(f"{url}: {error.get('code')}: {error.text}")
        records += len(document.findall(".//oai:header", NS))
        token = document.find(".//oai:resumptionToken", NS)
        if token is None or not token.text:
            return records, time.perf_counter() - started, pages
        params = {"verb": params["verb"], "resumptionToken": token.text}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--verb", default="ListRecords",
                        choices=["ListRecords", "ListIdentifiers"])
    parser.add_argument("--edge-pages", type=int, default=10,
                        help="pages averaged at the start and at the end")
    args = parser.parse_args()

    print("Preparing the bench instance …", file=sys.stderr)
    app = make_app()
    base = serve(app)
    tenant, template_id = bench_library(app)
    total = load(app, tenant, template_id, args.records)
    page_size = app.config["CONSORTIUM_OAI_PAGE_SIZE"]
    print(f"library {SLUG}: {total} records; page size {page_size}", file=sys.stderr)

    results = {}
    for label, url in (("library endpoint", f"{base}/oai2d/{SLUG}"),
                       ("consortium endpoint", f"{base}/oai2d")):
        print(f"harvesting the {label} …", file=sys.stderr)
        results[label] = harvest(url, {"verb": args.verb, "metadataPrefix": "oai_dc"})

    print(f"\n== Full {args.verb} (oai_dc) harvest, {total} records in the library ==")
    rates = {label: n / s for label, (n, s, _) in results.items()}
    for label, (n, seconds, pages) in results.items():
        print(f"{label:<20} {n:>7} records  {seconds:7.1f} s  {rates[label]:7.1f} rec/s  "
              f"{len(pages)} pages  {bar(rates[label], max(rates.values()))}")
    first_label = "library endpoint"
    print(f"library / consortium rate ratio: {rates[first_label] / rates['consortium endpoint']:.2f}")

    print(f"\n== Time per page: first {args.edge_pages} vs deepest {args.edge_pages} ==")
    for label, (_, _, pages) in results.items():
        edge = min(args.edge_pages, len(pages) // 2) or 1
        first = statistics.mean(pages[:edge]) * 1000
        deep = statistics.mean(pages[-edge - 1:-1] or pages[-edge:]) * 1000
        print(f"{label:<20} first {first:7.1f} ms  deepest {deep:7.1f} ms  "
              f"deep/first {deep / first:.2f}")


if __name__ == "__main__":
    main()
