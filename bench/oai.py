"""OAI-PMH throughput per metadata format through the production topology (`make run`).

Provisions (or reuses) four member libraries of the running platform:
oai-bench-a with --records records, oai-bench-b/c/d with --others each. One
full record per library (rights, subjects, languages, funding, related
identifiers, external DOI, contributors, dates) is deposited, submitted and
accepted through RDM's services; the rest are real RDM records cloned from it
in the database (parent, record, draft and version rows, recid/OAI/DOI PIDs,
buckets, community membership; each its own ids, title and DOI): InvenioRDM serves
them (landing page, REST, OAI-PMH). They are indexed with the document RDM's indexer
makes of the template, each clone's identifiers substituted, after checking on a
sample that RDM's indexer makes exactly that of those clones (--rdm-indexer: every
clone through RDM's indexer, ~100-200 ms each); the cached formats' metadata is kept
at once, one process per core (--no-render: left to the first harvest).

Then harvests oai-bench-a in full (ListRecords with resumption tokens, or the
first --max-pages pages) over HTTP from nginx + uWSGI, for each format, and
prints records/s, the time per page of the first and the deepest pages, and
four harvesters of the four libraries at once vs each alone. With
--compare-cache it serves once without the rendered-metadata cache
(CONSORTIUM_OAI_CACHED_FORMATS=[], uWSGI restarted) and with it as configured (formats
it leaves out are made on every request in those runs too), side by side.

Usage (after `make run`, same environment):
  .venv/bin/python bench/oai.py --records 100000 --others 5000 --compare-cache
"""

import argparse
import json
import multiprocessing
import os
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime, timezone

import requests
from lxml import etree

from instance import ROOT, bar, ensure_library, full_record, platform_app, publish_into, web_base

NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}
FORMATS = ["oai_dc", "oai_openaire", "oai_datacite", "marcxml"]
LIBRARIES = ["oai-bench-a", "oai-bench-b", "oai-bench-c", "oai-bench-d"]
BATCH = 1000


# --- provisioning -----------------------------------------------------------------------
def library_records(library):
    """Ids (UUID strings) of the records of LIBRARY in the database."""
    from invenio_db import db
    from sqlalchemy import text

    return [str(row[0]) for row in db.session.execute(text(
        "SELECT r.id FROM rdm_records_metadata r JOIN rdm_parents_community c "
        "ON c.record_id = r.parent_id WHERE c.community_id = :c AND r.json IS NOT NULL"),
        {"c": library["community_id"]})]


def template_of(library):
    """The library's template record (published through the services), created if missing."""
    from invenio_db import db
    from sqlalchemy import text

    row = db.session.execute(text(
        "SELECT r.id FROM rdm_records_metadata r JOIN rdm_parents_community c "
        "ON c.record_id = r.parent_id WHERE c.community_id = :c "
        "AND r.json->'metadata'->>'title' = :t"),
        {"c": library["community_id"], "t": f"Šablona {library['slug']}"}).first()
    if row:
        return row[0]
    record_id = publish_into(library["community_id"], full_record(
        f"Šablona {library['slug']}", library["community_id"],
        doi=f"10.5072/{library['slug']}.template"))
    db.session.commit()
    return db.session.execute(text("SELECT id FROM rdm_records_metadata WHERE json->>'id' = :i"),
                              {"i": record_id}).scalar_one()


def rows_of(connection, table, column, value):
    from sqlalchemy import text

    return [dict(row) for row in connection.execute(
        text(f"SELECT * FROM {table} WHERE {column} = :v"), {"v": value}).mappings()]


def clone(library, template_id, count):
    """COUNT copies of the template record in the database: [{id, subs, pks}], with the
    template's identifiers (strings) each replaces and its own record and parent pks."""
    import base32_lib
    from flask import current_app
    from invenio_db import db
    from sqlalchemy import MetaData, text

    conn = db.session.connection()
    record = rows_of(conn, "rdm_records_metadata", "id", template_id)[0]
    parent = rows_of(conn, "rdm_parents_metadata", "id", record["parent_id"])[0]
    draft = rows_of(conn, "rdm_drafts_metadata", "id", template_id)
    buckets = {b["id"]: b for b in conn.execute(text(
        "SELECT * FROM files_bucket WHERE id IN (:a, :b)"),
        {"a": record["bucket_id"], "b": record["media_bucket_id"]}).mappings()}
    pids = rows_of(conn, "pidstore_pid", "object_uuid", template_id) + \
        rows_of(conn, "pidstore_pid", "object_uuid", record["parent_id"])
    tables = MetaData()
    tables.reflect(bind=conn, only=["rdm_records_metadata", "rdm_parents_metadata",
                                    "rdm_drafts_metadata", "files_bucket", "pidstore_pid",
                                    "rdm_versions_state", "rdm_parents_community"])
    prefix = current_app.config["OAISERVER_ID_PREFIX"]
    parent_recid_of_template = parent["json"]["id"]
    ids = []
    for start in range(0, count, BATCH):
        n = min(BATCH, count - start)
        pk = iter(conn.execute(text(
            f"SELECT nextval('pidstore_pid_id_seq') FROM generate_series(1, {2 * n})")).scalars())
        rows = {name: [] for name in tables.tables}
        for i in range(n):
            rid, pid_ = uuid.uuid4(), uuid.uuid4()
            recid, parent_recid = (base32_lib.generate(length=10, split_every=5, checksum=True)
                                   for _ in range(2))
            record_pk, parent_pk = next(pk), next(pk)
            doi = f"10.5072/{library['slug']}.{recid}"
            new_buckets = {old: uuid.uuid4() for old in buckets}
            for old, new in new_buckets.items():
                rows["files_bucket"].append({**buckets[old], "id": new})
            data = json.loads(json.dumps(record["json"]))
            data.update(id=recid, pid={**data["pid"], "pk": record_pk})
            data["pids"]["oai"]["identifier"] = f"oai:{prefix}:{recid}"
            data["pids"]["doi"]["identifier"] = doi
            data["metadata"]["title"] = f"Sborník {library['slug']} č. {start + i}"
            rows["rdm_records_metadata"].append({
                **record, "id": rid, "parent_id": pid_, "json": data,
                "bucket_id": new_buckets[record["bucket_id"]],
                "media_bucket_id": new_buckets[record["media_bucket_id"]]})
            for row in draft:
                rows["rdm_drafts_metadata"].append({
                    **row, "id": rid, "parent_id": pid_, "bucket_id": None,
                    "media_bucket_id": None})
            parent_data = json.loads(json.dumps(parent["json"]))
            parent_data.update(id=parent_recid, pid={**parent_data["pid"], "pk": parent_pk})
            rows["rdm_parents_metadata"].append({**parent, "id": pid_, "json": parent_data})
            rows["rdm_versions_state"].append({"latest_index": 1, "parent_id": pid_,
                                               "latest_id": rid, "next_draft_id": None})
            rows["rdm_parents_community"].append({"community_id": library["community_id"],
                                                  "record_id": pid_, "request_id": None})
            for pid in pids:
                if pid["object_uuid"] == record["parent_id"]:
                    rows["pidstore_pid"].append({**pid, "id": parent_pk, "pid_value": parent_recid,
                                                 "object_uuid": pid_})
                    continue
                value = {"recid": recid, "oai": f"oai:{prefix}:{recid}", "doi": doi}[pid["pid_type"]]
                rows["pidstore_pid"].append({**pid, "object_uuid": rid, "pid_value": value,
                                             **({"id": record_pk} if pid["pid_type"] == "recid"
                                                else {"id": None})})
            title = data["metadata"]["title"]
            subs = {str(template_id): str(rid), str(record["parent_id"]): str(pid_),
                    record["json"]["id"]: recid, parent_recid_of_template: parent_recid,
                    record["json"]["pids"]["doi"]["identifier"]: doi,
                    **{str(old): str(new) for old, new in new_buckets.items()}}
            ids.append({"id": str(rid), "subs": subs, "title": title,
                        "pks": (record_pk, parent_pk)})
        for name in ("files_bucket", "rdm_parents_metadata", "rdm_records_metadata",
                     "rdm_drafts_metadata", "rdm_versions_state", "rdm_parents_community"):
            if rows[name]:
                conn.execute(tables.tables[name].insert(), rows[name])
        with_ids = [r for r in rows["pidstore_pid"] if r["id"] is not None]
        without = [{k: v for k, v in r.items() if k != "id"} for r in rows["pidstore_pid"]
                   if r["id"] is None]
        conn.execute(tables.tables["pidstore_pid"].insert(), with_ids)
        conn.execute(tables.tables["pidstore_pid"].insert(), without)
        db.session.commit()
        conn = db.session.connection()
        print(f"  {library['slug']}: {start + n}/{count} records in the database", end="\r",
              file=sys.stderr)
    print(file=sys.stderr)
    return ids


def index(ids):
    """Index IDS with RDM's bulk indexer (its queue, consumed here)."""
    from invenio_rdm_records.proxies import current_rdm_records_service as records

    indexer = records.indexer
    for start in range(0, len(ids), 10 * BATCH):
        indexer.bulk_index(ids[start:start + 10 * BATCH])
        while indexer.process_bulk_queue(bulk_index_max_items=BATCH)[0]:
            pass  # (indexed, errors) of each bulk
        print(f"  indexed {min(start + 10 * BATCH, len(ids))}/{len(ids)}", end="\r",
              file=sys.stderr)
    print(file=sys.stderr)
    indexer.refresh()


def _action(template, clone, has_draft):
    """The bulk action of CLONE: TEMPLATE's (RDM's indexer), the clone's identifiers in
    (and HAS_DRAFT: the clones' draft rows make RDM say so, unlike for the template)."""
    text = json.dumps(template["_source"], ensure_ascii=False)
    for old, new in clone["subs"].items():
        text = text.replace(old, new)
    source = json.loads(text)
    source["pid"]["pk"], source["parent"]["pid"]["pk"] = clone["pks"]
    source["metadata"]["title"] = clone["title"]
    source["has_draft"] = has_draft
    return {**template, "_id": clone["id"], "_source": source}


def fast_index(template_id, clones, sample=5):
    """Index CLONES with the document RDM's indexer makes of the template, each clone's
    identifiers substituted (one bulk request per BATCH), after checking on a SAMPLE
    that this is exactly what RDM's indexer makes of those clones (indexed_at aside)."""
    import random

    from invenio_rdm_records.proxies import current_rdm_records_service as records
    from invenio_search import current_search_client
    from invenio_search.engine import search as engine

    indexer = records.indexer
    template = indexer._index_action({"id": str(template_id), "op": "index"})
    has_draft = indexer._index_action(
        {"id": clones[0]["id"], "op": "index"})["_source"]["has_draft"]
    for clone in random.sample(clones, min(sample, len(clones))):
        ours = _action(template, clone, has_draft)["_source"]
        theirs = indexer._index_action({"id": clone["id"], "op": "index"})["_source"]
        for doc in (ours, theirs):
            doc.pop("indexed_at", None)
        if ours != theirs:
            differing = sorted(k for k in set(ours) | set(theirs) if ours.get(k) != theirs.get(k))
            print(f"  substituted documents differ from RDM's in {differing}: "
                  "indexing with RDM's indexer", file=sys.stderr)
            return index([c["id"] for c in clones])
    for start in range(0, len(clones), BATCH):
        engine.helpers.bulk(current_search_client,
                            (_action(template, c, has_draft)
                             for c in clones[start:start + BATCH]),
                            chunk_size=BATCH, request_timeout=120)
        print(f"  indexed {min(start + BATCH, len(clones))}/{len(clones)}", end="\r",
              file=sys.stderr)
    print(file=sys.stderr)
    indexer.refresh()


def _render_init():
    platform_app().app_context().push()


def _render(ids):
    from consortium_tenants.oai.rendered import fill

    fill(ids)
    return len(ids)


def render_all(ids, chunk=200):
    """Keep the cached formats' metadata of IDS, one process per core."""
    done = 0
    with multiprocessing.get_context("spawn").Pool(os.cpu_count(), _render_init) as pool:
        chunks = [ids[start:start + chunk] for start in range(0, len(ids), chunk)]
        for n in pool.imap_unordered(_render, chunks):
            done += n
            print(f"  rendered {done}/{len(ids)}", end="\r", file=sys.stderr)
    print(file=sys.stderr)


def provision(sizes, rdm_indexer=False, render=True):
    """Libraries of SIZES (slug → records) in the platform; prints what it took.
    RDM_INDEXER: every clone through RDM's indexer (hours for 100 000) instead of its
    template's document with the clone's identifiers (checked against RDM's on a sample).
    RENDER: keep the cached formats' metadata of every clone at once."""
    from invenio_db import db

    app = platform_app()
    timings = {}
    with app.app_context():
        for slug, size in sizes.items():
            library = ensure_library(slug, f"Sklizňová knihovna {slug[-1].upper()}",
                                     f"Harvest library {slug[-1].upper()}")
            db.session.commit()
            have = library_records(library)
            template_id = template_of(library)
            missing = size - len(library_records(library))
            if missing <= 0:
                print(f"{slug}: {len(have)} records (reused)", file=sys.stderr)
                continue
            t0 = time.perf_counter()
            clones = clone(library, template_id, missing)
            ids = [c["id"] for c in clones]
            t1 = time.perf_counter()
            if rdm_indexer:
                index(ids)
            else:
                fast_index(template_id, clones)
            t2 = time.perf_counter()
            if render:
                render_all(ids)
            t3 = time.perf_counter()
            timings[slug] = (missing, t1 - t0, t2 - t1, t3 - t2)
    for slug, (n, database, indexing, rendering) in timings.items():
        print(f"provisioned {slug}: {n} records: database {database:.0f} s "
              f"({1000 * database / n:.2f} ms/record), indexing {indexing:.0f} s "
              f"({1000 * indexing / n:.2f} ms/record), rendering the cached formats "
              f"{rendering:.0f} s ({1000 * rendering / n:.2f} ms/record)")
    return timings


# --- harvesting ---------------------------------------------------------------------------
def harvest(slug, prefix, max_pages=None):
    """ListRecords of a library until its end or MAX_PAGES; (records, seconds, page times)."""
    url, session = f"{web_base()}/oai2d/{slug}", requests.Session()
    params = {"verb": "ListRecords", "metadataPrefix": prefix}
    pages, records, started = [], 0, time.perf_counter()
    while True:
        t0 = time.perf_counter()
        response = session.get(url, params=params, timeout=600)
        pages.append(time.perf_counter() - t0)
        if response.status_code != 200:
            sys.exit(f"{url}: HTTP {response.status_code}")
        document = etree.fromstring(response.content)
        error = document.find("oai:error", NS)
        if error is not None:
            sys.exit(f"{url} {prefix}: {error.get('code')}: {error.text}")
        records += len(document.findall(".//oai:record", NS))
        token = document.find(".//oai:resumptionToken", NS)
        if token is None or not token.text or (max_pages and len(pages) >= max_pages):
            return records, time.perf_counter() - started, pages
        params = {"verb": "ListRecords", "resumptionToken": token.text}


def _harvest_job(job):
    return harvest(*job)


def per_format(max_pages, edge):
    """{format: (records, seconds, first pages ms, deepest pages ms)} of oai-bench-a."""
    results = {}
    for prefix in FORMATS:
        harvest("oai-bench-a", prefix, 1)  # warm-up: every process's first request
        n, seconds, pages = harvest("oai-bench-a", prefix, max_pages)
        k = max(1, min(edge, len(pages) // 3))
        first = statistics.mean(pages[:k]) * 1000
        deep = statistics.mean(pages[-k - 1:-1] or pages[-k:]) * 1000
        results[prefix] = (n, seconds, first, deep)
        print(f"  {prefix:<13} {n:>7} records {seconds:7.1f} s {n / seconds:7.1f} rec/s  "
              f"first {first:6.0f} ms/page, deepest {deep:6.0f} ms/page", file=sys.stderr)
    return results


def concurrent(prefix, pages):
    """Each library alone, then the four at once: {slug: (solo rec/s, together rec/s)}."""
    solo = {}
    for slug in LIBRARIES:
        harvest(slug, prefix, pages)  # warm-up: the same pages rendered (and kept) once
    for slug in LIBRARIES:
        n, seconds, _ = harvest(slug, prefix, pages)
        solo[slug] = n / seconds
    with multiprocessing.Pool(len(LIBRARIES)) as pool:
        together = pool.map(_harvest_job, [(slug, prefix, pages) for slug in LIBRARIES])
    return {slug: (solo[slug], n / s) for slug, (n, s, _) in zip(LIBRARIES, together)}


def forget(slug):
    """Delete the rendered metadata of the library SLUG's records."""
    from invenio_db import db
    from sqlalchemy import text

    app = platform_app()
    with app.app_context():
        library = ensure_library(slug, "", "")
        db.session.execute(text("DELETE FROM consortium_oai_rendered WHERE record_id = ANY(:ids)"),
                           {"ids": [uuid.UUID(i) for i in library_records(library)]})
        db.session.commit()


def serve_with(cached_formats=None):
    """Restart the uWSGI applications with CONSORTIUM_OAI_CACHED_FORMATS set (None: as
    configured)."""
    env = {key: value for key, value in os.environ.items()
           if key != "INVENIO_CONSORTIUM_OAI_CACHED_FORMATS"}
    if cached_formats is not None:
        env["INVENIO_CONSORTIUM_OAI_CACHED_FORMATS"] = repr(cached_formats)
    for command in ("stop", "start"):
        subprocess.run([str(ROOT / "scripts" / "app.sh"), command, "ui", "api"], env=env,
                       check=True, stdout=subprocess.DEVNULL)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000, help="records of oai-bench-a")
    parser.add_argument("--others", type=int, default=5_000,
                        help="records of oai-bench-b, -c and -d")
    parser.add_argument("--max-pages", type=int, default=None,
                        help="pages harvested per format (default: the whole library)")
    parser.add_argument("--edge-pages", type=int, default=5,
                        help="pages averaged at the start and at the end")
    parser.add_argument("--concurrent-pages", type=int, default=20,
                        help="pages each of the four harvesters takes")
    parser.add_argument("--concurrent-format", default="marcxml", choices=FORMATS)
    parser.add_argument("--rdm-indexer", action="store_true",
                        help="index every clone with RDM's indexer (slow) instead of the "
                             "template's document with its identifiers (checked on a sample)")
    parser.add_argument("--no-render", action="store_true",
                        help="do not keep the clones' metadata at provisioning")
    parser.add_argument("--provision-only", action="store_true")
    parser.add_argument("--compare-cache", action="store_true",
                        help="harvest without the rendered-metadata cache too (restarts uWSGI)")
    args = parser.parse_args()

    sizes = {LIBRARIES[0]: args.records, **{slug: args.others for slug in LIBRARIES[1:]}}
    provision(sizes, rdm_indexer=args.rdm_indexer, render=not args.no_render)
    if args.provision_only:
        return
    runs = {}
    if args.compare_cache:
        print("serving without the cache (uWSGI restarted) …", file=sys.stderr)
        serve_with([])
        runs["no cache"] = per_format(args.max_pages, args.edge_pages)
        serve_with()
        print("cache emptied: the first harvest renders and stores …", file=sys.stderr)
        forget(LIBRARIES[0])
        runs["cache, cold"] = per_format(args.max_pages, args.edge_pages)
    print("serving from the cache …", file=sys.stderr)
    runs["cache, warm"] = per_format(args.max_pages, args.edge_pages)
    print(f"concurrent harvesters ({args.concurrent_format}) …", file=sys.stderr)
    together = concurrent(args.concurrent_format, args.concurrent_pages)

    load = os.getloadavg()
    print(f"\n== OAI-PMH ListRecords of oai-bench-a ({args.records} records), "
          f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} ==")
    top = max(n / s for run in runs.values() for n, s, _, _ in run.values())
    print(f"{'format':<13} {'run':<14} {'records':>8} {'rec/s':>8} {'first ms':>9} "
          f"{'deep ms':>8} {'deep/first':>10}")
    for prefix in FORMATS:
        for label, run in runs.items():
            n, seconds, first, deep = run[prefix]
            print(f"{prefix:<13} {label:<14} {n:>8} {n / seconds:8.1f} {first:9.0f} "
                  f"{deep:8.0f} {deep / first:10.2f}  {bar(n / seconds, top, 30)}")
        if len(runs) > 1:
            (n0, s0, _, _), (n1, s1, _, _) = (run[prefix] for run in
                                              (runs["no cache"], runs["cache, warm"]))
            print(f"{'':<13} {'warm/no cache':<14} {'':>8} {(n1 / s1) / (n0 / s0):7.2f}x")
    print("goals: >= 1000 rec/s per format; deep/first <= 1.2")
    print(f"\n== Four harvesters ({args.concurrent_format}, {args.concurrent_pages} pages each) "
          f"at once vs alone ==")
    for slug, (solo, both) in together.items():
        print(f"{slug:<13} alone {solo:7.1f} rec/s  together {both:7.1f} rec/s  "
              f"kept {100 * both / solo:5.1f} %  (goal >= 70 %)")


if __name__ == "__main__":
    sys.exit(main())
