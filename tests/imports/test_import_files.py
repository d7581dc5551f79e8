"""An imported item's files (issue 28): DSpace 7's `ore` resource map names the bitstreams
(size, MD5), the same fixture server serves them; they are streamed into the work in the
library's S3 prefix, compared with the source's checksum, never re-downloaded for an
unchanged item; a changed file makes a new version; a file that cannot be fetched or
does not match fails its item and leaves nothing; the quota stops the run."""

import hashlib
from datetime import datetime, timedelta, timezone

import pytest
import requests

from helpers import TEST_BUCKET, invoke_cli, storage_usage, tenant_objects
from oai_source import HOST, PREFIX, Source, item


def run(app, people, slug, url, *args, fails=False):
    """`invenio tenants import oai SLUG URL --format ore ARGS --as <manager>`: run id."""
    result = invoke_cli(app, ["tenants", "import", "oai", slug, url, "--format", "ore",
                              "--bypass-review", *args,
                              "--as", people["managers_user"].email])
    assert result.exit_code == 0, result.output
    return result.output.split("Run ", 1)[1].split(":", 1)[0], result.output


def items(client, headers, slug, run_id):
    res = client.get(f"/api/tenants/{slug}/imports/{run_id}/items", headers=headers)
    assert res.status_code == 200, res.json
    return {entry["source_id"].rsplit("/", 1)[1]: entry for entry in res.json["items"]}


def works(client, community_id):
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    res = client.get(f"/api/communities/{community_id}/records", query_string={"size": 50})
    return {hit["metadata"]["title"]: hit for hit in res.json["hits"]["hits"]}


def content(client, recid, key):
    """The bytes of a work's file (the app redirects to S3)."""
    res = client.get(f"/api/records/{recid}/files/{key}/content")
    if res.status_code in (301, 302):
        return requests.get(res.headers["Location"], timeout=30).content
    assert res.status_code == 200
    return res.data


def files_of(client, recid):
    """key → (size, checksum, content) of a published work's files."""
    entries = client.get(f"/api/records/{recid}/files").json["entries"]
    return {e["key"]: (e["size"], e["checksum"], content(client, recid, e["key"]))
            for e in entries}


def md5(content):
    return "md5:" + hashlib.md5(content).hexdigest()


PDF = b"%PDF-1.4 " + b"x" * 300_000  # several chunks of the fixture server and the storage
DATA = "id;value\n1;2\n".encode()


def test_files_arrive_streamed_into_the_library_and_are_not_fetched_again(
        app, make_tenant, s3):
    source = Source([
        item(1, "Zpráva s daty", files=[{"name": "zpráva.pdf", "content": PDF},
                                        {"name": "data.csv", "content": DATA}]),
        item(2, "Jen text", files=[{"name": "text.pdf", "content": b"%PDF text"}]),
    ])
    try:
        tenant, people = make_tenant("imf")
        slug, client, manager = tenant["slug"], app.test_client(), people["managers"]

        # a dry run reads what each item would bring, fetches nothing
        dry_id, output = run(app, people, slug, source.url, "--dry-run")
        assert "created 2" in output and source.downloads == []
        planned = items(client, manager, slug, dry_id)["1"]["mapped"]["files"]
        assert [(f["key"], f["size"], f["checksum"]) for f in planned] == [
            ("zpráva.pdf", len(PDF), md5(PDF)), ("data.csv", len(DATA), md5(DATA))]

        first_id, output = run(app, people, slug, source.url)
        assert "created 2, updated 0, unchanged 0, deleted 0, failed 0" in output
        found = works(client, tenant["community_id"])
        report = items(client, manager, slug, first_id)
        assert report["1"]["record"] == found["Zpráva s daty"]["id"]
        assert files_of(client, report["1"]["record"]) == {
            "zpráva.pdf": (len(PDF), md5(PDF), PDF), "data.csv": (len(DATA), md5(DATA), DATA)}
        assert files_of(client, report["2"]["record"])["text.pdf"][2] == b"%PDF text"
        # in the library's own S3 prefix, counted in its usage
        stored = sorted(tenant_objects(s3, TEST_BUCKET, slug).values())
        assert stored == sorted([len(PDF), len(DATA), len(b"%PDF text")])
        usage = storage_usage(client, manager, slug)
        assert (usage["bytes"], usage["files"]) == (len(PDF) + len(DATA) + 9, 3)
        assert len(source.downloads) == 3

        # the whole source again, unchanged: nothing fetched, nothing written
        _, output = run(app, people, slug, source.url, "--full")
        assert "created 0, updated 0, unchanged 2, deleted 0, failed 0" in output
        assert len(source.downloads) == 3

        # the source replaces one file of item 1: a new version, only that file fetched
        later = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        changed = source.items[f"oai:{HOST}:{PREFIX}/1"]
        changed["files"][1]["content"] = DATA + b"2;3\n"
        changed["datestamp"] = later
        next_id, output = run(app, people, slug, source.url)
        assert "created 0, updated 1, unchanged 0, deleted 0, failed 0" in output
        assert len(source.downloads) == 4 and source.downloads[-1].split("?")[0].endswith(
            "/data.csv")
        entry = items(client, manager, slug, next_id)["1"]
        assert entry["state"] == "updated" and "new version" in entry["reason"]
        old, new = report["1"]["record"], entry["record"]
        assert new != old
        assert files_of(client, new) == {
            "zpráva.pdf": (len(PDF), md5(PDF), PDF),
            "data.csv": (len(DATA) + 4, md5(DATA + b"2;3\n"), DATA + b"2;3\n")}
        assert files_of(client, old)["data.csv"][2] == DATA  # the first version stays
        works(client, tenant["community_id"])  # the index refreshed
        versions = client.get(f"/api/records/{new}/versions").json["hits"]["total"]
        assert versions == 2
        # the unchanged PDF is the same stored file, not a second copy
        assert sorted(tenant_objects(s3, TEST_BUCKET, slug).values()) == sorted(
            [len(PDF), len(DATA), len(DATA) + 4, 9])
        # the Handle leads to the new version
        res = client.get(f"/handle/{PREFIX}/1", base_url=f"http://{slug}.localhost:5000")
        assert res.status_code == 301 and res.headers["Location"].endswith(f"/records/{new}")
    finally:
        source.stop()


def test_a_file_that_cannot_be_fetched_or_differs_fails_its_item_and_leaves_nothing(
        app, make_tenant, s3):
    source = Source([
        item(1, "Chybí soubor", files=[{"name": "a.pdf", "content": b"A" * 100},
                                       {"name": "gone.pdf", "content": b"", "status": 404}]),
        item(2, "Server neběží", files=[{"name": "b.pdf", "content": b"B",
                                         "url": "http://127.0.0.1:9/b.pdf"}]),
        item(3, "Jiný obsah", files=[{"name": "c.pdf", "content": b"C" * 50,
                                      "md5": hashlib.md5(b"other").hexdigest()}]),
        item(4, "Jiná délka", files=[{"name": "d.pdf", "content": b"D" * 50,
                                      "length": 70}]),
        item(5, "V pořádku", files=[{"name": "e.pdf", "content": b"E" * 10}]),
    ])
    try:
        tenant, people = make_tenant("imf-bad")
        slug, client, manager = tenant["slug"], app.test_client(), people["managers"]
        run_id, output = run(app, people, slug, source.url)
        assert "created 1, updated 0, unchanged 0, deleted 0, failed 4" in output
        report = items(client, manager, slug, run_id)
        assert "gone.pdf" in report["1"]["reason"] and "HTTP 404" in report["1"]["reason"]
        assert "b.pdf" in report["2"]["reason"] and "could not be fetched" in \
            report["2"]["reason"]
        assert "checksum" in report["3"]["reason"] and md5(b"C" * 50) in report["3"]["reason"]
        assert "70" in report["4"]["reason"] and "50" in report["4"]["reason"]
        assert all(report[n]["record"] is None for n in "1234")
        # no work, no draft, no byte of the failed items
        assert list(works(client, tenant["community_id"])) == ["V pořádku"]
        from invenio_rdm_records.proxies import current_rdm_records_service

        current_rdm_records_service.draft_indexer.refresh()  # what the publication removed
        drafts = client.get("/api/user/records", headers=manager,
                            query_string={"q": "is_published:false"}).json["hits"]["total"]
        assert drafts == 0
        assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [10]
        assert storage_usage(client, manager, slug)["bytes"] == 10

        # fixed at the source: the next run brings them (item 1 then has both files)
        later = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        fixed = source.items[f"oai:{HOST}:{PREFIX}/1"]
        fixed["files"][1].update(status=200, content=b"G" * 20)
        fixed["datestamp"] = later
        run_id, output = run(app, people, slug, source.url)
        assert items(client, manager, slug, run_id)["1"]["state"] == "created"
        recid = items(client, manager, slug, run_id)["1"]["record"]
        assert sorted(files_of(client, recid)) == ["a.pdf", "gone.pdf"]
    finally:
        source.stop()


def quota(client, admin_headers, slug, value):
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"storage": {"quota": value}})
    assert res.status_code == 200, res.json


@pytest.mark.parametrize("language, text", [
    ("en", "would exceed the storage quota"), ("cs", "překročily kvótu úložiště")])
def test_an_import_over_the_quota_stops_with_its_reason_and_stores_nothing_of_the_item(
        app, make_tenant, admin_headers, s3, language, text):
    source = Source([item(n, f"Kniha {n}", files=[{"name": f"{n}.pdf", "content": b"K" * 600}])
                     for n in (1, 2, 3)])
    try:
        tenant, people = make_tenant("imf-quota")
        slug, client = tenant["slug"], app.test_client()
        manager = {**people["managers"], "Accept-Language": language}
        quota(client, admin_headers, slug, 1000)
        run_id, output = run(app, people, slug, source.url)
        assert "created 1, updated 0, unchanged 0, deleted 0, failed 1" in output
        state = client.get(f"/api/tenants/{slug}/imports/{run_id}", headers=manager).json
        assert state["status"] == "failed" and state["done"] == 2
        assert text in state["error"] and f"oai:{HOST}:{PREFIX}/2" in state["error"]
        report = items(client, manager, slug, run_id)
        assert report["2"]["state"] == "failed" and "quota" in report["2"]["reason"]
        assert "3" not in report  # the run stopped there
        assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [600]
        assert storage_usage(client, manager, slug)["bytes"] == 600
        assert len(source.downloads) == 1  # item 2's file was never downloaded

        # more room: the next run goes on from there, item 1 untouched
        quota(client, admin_headers, slug, 2000)
        run_id, output = run(app, people, slug, source.url)
        assert "created 2, updated 0, unchanged 1, deleted 0, failed 0" in output
        assert len(source.downloads) == 3
    finally:
        source.stop()


def test_file_addresses_of_a_managers_run_must_be_public(app):
    from consortium_tenants.imports.files import FileProblem, open_files

    with pytest.raises(FileProblem, match="not a public address"):
        open_files([{"key": "x.pdf", "url": "http://127.0.0.1:5432/x.pdf", "size": None}])
    with pytest.raises(FileProblem, match="not a public address"):
        open_files([{"key": "x.pdf", "url": "http://169.254.169.254/latest", "size": None}])
