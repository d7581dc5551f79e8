"""`invenio platform check`: each kind of difference is found, then repaired (or reported)."""

import json

import pytest
from invenio_search.proxies import current_search_client

from helpers import TEST_BUCKET, deposit, invoke_cli, publish_in_library, tenant_objects


def check(app, *options):
    """Run `invenio platform check --json OPTIONS`; (exit code, report)."""
    result = invoke_cli(app, ["platform", "check", "--json", *options])
    failed = result.exception and not isinstance(result.exception, SystemExit)
    assert result.exit_code in (0, 1) and not failed, (result.output, repr(result.exception))
    return result.exit_code, json.loads(result.stdout)


def problems(report, area, name):
    """(subject, problem) pairs the report names for AREA / NAME."""
    return sorted((item.get("id") or item.get("key") or item.get("tenant") or item.get("set"),
                   item["problem"])
                  for item in report["differences"].get(area, {}).get(name, []))


@pytest.fixture(scope="module")
def library(app, make_tenant):
    """A library with a published record and a draft, each with a file; the platform clean."""
    from flask import current_app

    client = app.test_client()
    tenant, people = make_tenant("chk")
    dep, cid = people["depositors"], tenant["community_id"]
    record = deposit(client, dep, cid, title="Published", content=b"published file")
    record = publish_in_library(client, people, cid, record["id"])
    draft = deposit(client, dep, cid, title="Draft", content=b"draft file 12")
    code, report = check(current_app, "--repair")  # leftovers of earlier tests
    assert (code, report["differences"]) == (0, {}), report
    return tenant, people, record, draft


@pytest.fixture(scope="module", autouse=True)
def forgetful_indices(app):
    """Indices that forget deletes at once (index.gc_deletes 0), so a deleted document can
    be indexed again at its revision within the test, as after a crash that lost it."""
    indices = [index_of(kind) for kind in ("records", "drafts", "communities")]
    for index in indices:
        current_search_client.indices.put_settings(index=index,
                                                   body={"index": {"gc_deletes": "0s"}})
    yield
    for index in indices:
        current_search_client.indices.put_settings(index=index,
                                                   body={"index": {"gc_deletes": "60s"}})


def uuid_of(pid, draft=False):
    """The row id (the index document's id) of the record or draft with PID."""
    from invenio_rdm_records.records.api import RDMDraft, RDMRecord

    return str((RDMDraft if draft else RDMRecord).pid.resolve(pid, registered_only=False).id)


def index_of(kind):
    """The index that holds KIND (records, drafts, communities)."""
    from consortium_platform.consistency import index_name, indexed_kinds

    return index_name(indexed_kinds()[kind][0])


def test_a_clean_platform_exits_0_with_a_message(app, library):
    result = invoke_cli(app, ["platform", "check"])
    assert result.exit_code == 0, result.output
    assert "agree" in result.stdout


def test_a_record_missing_from_the_index_is_found_and_reindexed(app, client, library):
    _, people, record, _ = library
    row_id = uuid_of(record["id"])
    current_search_client.delete(index=index_of("records"), id=row_id, refresh=True)
    q = {"q": f'id:"{record["id"]}"'}
    assert client.get("/api/records", query_string=q).json["hits"]["total"] == 0

    code, report = check(app)
    assert code == 1
    assert problems(report, "index", "records") == [(row_id, "not in the index")]
    assert report["differences"]["index"]["records"][0]["pid"] == record["id"]
    result = invoke_cli(app, ["platform", "check"])
    assert result.exit_code == 1
    assert f"not in the index: {row_id} (revision=" in result.stdout

    code, report = check(app, "--repair")
    assert (code, report["differences"]) == (0, {})
    assert [i["id"] for i in report["repaired"]["index"]["records"]] == [row_id]
    assert client.get("/api/records", query_string=q).json["hits"]["total"] == 1


def test_a_stale_index_document_and_a_ghost_are_found_and_repaired(app, library):
    from invenio_db import db
    from invenio_rdm_records.records.models import RDMDraftMetadata

    draft_id = uuid_of(library[3]["id"], draft=True)
    index = index_of("drafts")
    source = current_search_client.get(index=index, id=draft_id)
    # An edit committed whose indexing was lost (the worker died in between).
    row = db.session.get(RDMDraftMetadata, draft_id)
    row.json = {**row.json, "metadata": {**row.json["metadata"], "title": "Draft, edited"}}
    db.session.commit()
    assert current_search_client.get(index=index, id=draft_id)["_version"] == \
        source["_version"]
    ghost = "00000000-0000-4000-8000-000000000018"
    current_search_client.index(index=index, id=ghost, body=source["_source"], refresh=True)

    code, report = check(app)
    assert code == 1
    assert problems(report, "index", "drafts") == [
        (ghost, "ghost: no such row"), (draft_id, "stale in the index")]

    code, report = check(app, "--repair")
    assert (code, report["differences"]) == (0, {})
    document = current_search_client.get(index=index, id=draft_id)
    assert (document["_version"], document["_source"]["metadata"]["title"]) == \
        (source["_version"] + 1, "Draft, edited")
    assert not current_search_client.exists(index=index, id=ghost)


def test_a_community_missing_from_the_index_is_reindexed(app, library):
    tenant = library[0]
    community_id = tenant["community_id"]
    current_search_client.delete(index=index_of("communities"), id=community_id, refresh=True)
    code, report = check(app)
    assert code == 1
    assert problems(report, "index", "communities") == [(community_id, "not in the index")]
    assert check(app, "--repair")[0] == 0
    assert current_search_client.exists(index=index_of("communities"), id=community_id)


def test_skewed_usage_counters_are_recounted(app, client, library):
    from consortium_tenants.storage.models import TenantStorageModel
    from consortium_tenants.tenants.models import TenantModel
    from invenio_db import db

    tenant, people = library[0], library[1]
    tenant_id = TenantModel.query.filter_by(slug=tenant["slug"]).one().id
    row = TenantStorageModel.query.filter_by(tenant_id=tenant_id).one()
    before = (row.bytes, row.files)
    assert before == (len(b"published file") + len(b"draft file 12"), 2)
    row.bytes, row.files = row.bytes + 1000, row.files + 3
    db.session.commit()

    code, report = check(app)
    assert code == 1
    [difference] = report["differences"]["storage"][tenant["slug"]]
    assert difference["counted"] == {"bytes": before[0] + 1000, "files": 5}
    assert difference["actual"] == {"bytes": before[0], "files": 2}

    assert check(app, "--repair")[0] == 0
    usage = client.get(f"/api/tenants/{tenant['slug']}/usage",
                       headers=people["managers"]).json["storage"]
    assert (usage["bytes"], usage["files"]) == before


def test_a_missing_object_is_reported_and_never_repaired_away(app, s3, library):
    tenant = library[0]
    objects = tenant_objects(s3, TEST_BUCKET, tenant["slug"])
    key = next(k for k, size in objects.items() if size == len(b"published file"))
    s3.delete_object(Bucket=TEST_BUCKET, Key=key)

    for options in ((), ("--repair",)):
        code, report = check(app, *options)
        assert code == 1
        assert problems(report, "storage", tenant["slug"]) == [(key, "object missing in S3")]
    result = invoke_cli(app, ["platform", "check", "--repair"])
    assert result.exit_code == 1 and f"object missing in S3: {key}" in result.stdout
    # Repair touched no other object of the library.
    assert set(tenant_objects(s3, TEST_BUCKET, tenant["slug"])) == set(objects) - {key}

    s3.put_object(Bucket=TEST_BUCKET, Key=key, Body=b"published file")  # from a backup
    assert check(app)[0] == 0


def test_deep_check_finds_a_damaged_object_of_the_same_size(app, s3, library):
    tenant = library[0]
    objects = tenant_objects(s3, TEST_BUCKET, tenant["slug"])
    key = next(k for k, size in objects.items() if size == len(b"draft file 12"))
    s3.put_object(Bucket=TEST_BUCKET, Key=key, Body=b"draft FILE 12")

    assert check(app)[0] == 0  # same size: only checksums tell
    code, report = check(app, "--deep")
    assert code == 1
    assert problems(report, "storage", tenant["slug"]) == [(key, "object checksum differs")]

    s3.put_object(Bucket=TEST_BUCKET, Key=key, Body=b"draft file 12")
    assert check(app, "--deep")[0] == 0


def test_a_library_without_its_community_is_reported(app, library, make_tenant):
    from consortium_tenants.tenants.models import TenantModel
    from invenio_db import db

    tenant = library[0]
    row = TenantModel.query.filter_by(slug=tenant["slug"]).one()
    real = row.community_id
    other = TenantModel.query.filter_by(slug=make_tenant("chk-other")[0]["slug"]).one()
    row.community_id = other.community_id  # e.g. a bad manual edit
    db.session.commit()
    try:
        code, report = check(app)
        assert code == 1
        assert problems(report, "libraries", "communities and OAI-PMH sets") == [
            (tenant["slug"], "community slug differs")]
    finally:
        row.community_id = real
        db.session.commit()
    assert check(app)[0] == 0
