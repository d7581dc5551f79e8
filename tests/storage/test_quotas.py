"""Placement, quotas and usage counters over the REST API, real S3 and PostgreSQL."""

import os

from invenio_files_rest.models import FileInstance
from invenio_rdm_records.proxies import current_rdm_records_service

from helpers import (
    TEST_BUCKET,
    init_file,
    new_draft,
    publish_in_library,
    put_content,
    storage_usage,
    tenant_objects,
    upload,
)


def test_files_land_under_the_library_prefix(client, storage_tenant, s3):
    tenant, people = storage_tenant()
    slug, dep = tenant["slug"], people["depositors"]
    draft = new_draft(client, dep)
    content = os.urandom(1500)
    res = upload(client, dep, draft["id"], "scan.tif", content)
    assert res.status_code == 200, res.json

    objects = tenant_objects(s3, TEST_BUCKET, slug)
    assert list(objects.values()) == [1500]
    key = next(iter(objects))
    assert s3.get_object(Bucket=TEST_BUCKET, Key=key)["Body"].read() == content
    usage = storage_usage(client, people["managers"], slug)
    assert (usage["bytes"], usage["files"]) == (1500, 1)
    assert usage["location"] == f"s3://{TEST_BUCKET}/tenants/{slug}"


def test_new_version_keeps_files_in_place_and_counts_shared_files_once(
    client, storage_tenant, s3
):
    tenant, people = storage_tenant()
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "a.txt", b"a" * 700).status_code == 200
    record = publish_in_library(client, people, tenant["community_id"], draft["id"])
    assert storage_usage(client, mgr, slug)["bytes"] == 700

    res = client.post(f"/api/records/{record['id']}/versions", headers=dep)
    assert res.status_code == 201, res.json
    version = res.json
    res = client.post(f"/api/records/{version['id']}/draft/actions/files-import", headers=dep)
    assert res.status_code == 201, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == 700  # shared, counted once
    assert upload(client, dep, version["id"], "b.txt", b"b" * 300).status_code == 200
    assert storage_usage(client, mgr, slug)["bytes"] == 1000
    assert sorted(tenant_objects(s3, TEST_BUCKET, slug).values()) == [300, 700]

    # Discarding the new version releases its own file only.
    res = client.delete(f"/api/records/{version['id']}/draft", headers=dep)
    assert res.status_code == 204
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (700, 1)


def test_deleting_draft_files_and_records_releases_usage(
    client, storage_tenant, make_user
):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    tenant, people = storage_tenant()
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "keep.txt", b"k" * 400).status_code == 200
    assert upload(client, dep, draft["id"], "drop.txt", b"d" * 250).status_code == 200
    assert storage_usage(client, mgr, slug)["bytes"] == 650
    res = client.delete(f"/api/records/{draft['id']}/draft/files/drop.txt", headers=dep)
    assert res.status_code == 204
    assert storage_usage(client, mgr, slug)["bytes"] == 400
    record = publish_in_library(client, people, tenant["community_id"], draft["id"])

    admin, admin_headers = make_user()
    current_datastore.add_role_to_user(admin, "admin")
    db.session.commit()
    res = client.delete(
        f"/api/records/{record['id']}/delete", headers=admin_headers,
        json={"removal_reason": {"id": "spam"}, "is_visible": True},
    )
    assert res.status_code == 204, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == 0
    res = client.post(f"/api/records/{record['id']}/restore", headers=admin_headers)
    assert res.status_code == 200, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == 400


def test_quota_refuses_declared_and_undeclared_uploads_and_keeps_nothing(
    client, storage_tenant, s3
):
    tenant, people = storage_tenant(quota=1000, max_file_size=800)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "first.bin", b"x" * 600).status_code == 200

    # Declared size over the quota: refused at init, before any byte.
    res = init_file(client, dep, draft["id"], "second.bin", 500)
    assert res.status_code == 413
    assert res.json["tenant"] == slug
    assert (res.json["usage"], res.json["quota"], res.json["requested"]) == (600, 1000, 500)
    assert slug in res.json["message"]

    # Too large a file for the library.
    res = init_file(client, dep, draft["id"], "huge.bin", 900)
    assert res.status_code == 413
    assert res.json["max_file_size"] == 800

    # Undeclared size: the content is refused; nothing stays in S3 or the DB.
    files_before = FileInstance.query.count()
    assert init_file(client, dep, draft["id"], "third.bin").status_code == 201
    res = put_content(client, dep, draft["id"], "third.bin", b"y" * 500)
    assert res.status_code == 413, res.json
    assert res.json["requested"] == 500
    assert sorted(tenant_objects(s3, TEST_BUCKET, slug).values()) == [600]
    assert FileInstance.query.count() == files_before
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"], usage["quota"]) == (600, 1, 1000)
    entries = client.get(f"/api/records/{draft['id']}/draft/files", headers=dep).json
    third = next(e for e in entries["entries"] if e["key"] == "third.bin")
    assert third["status"] == "pending"  # can be retried once there is room

    # What fits still goes in.
    assert upload(client, dep, draft["id"], "fourth.bin", b"z" * 400).status_code == 200
    assert storage_usage(client, mgr, slug)["bytes"] == 1000


def test_maximum_files_per_record(client, storage_tenant):
    tenant, people = storage_tenant(max_files=2)
    dep = people["depositors"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "1.txt", b"1").status_code == 200
    assert upload(client, dep, draft["id"], "2.txt", b"2").status_code == 200
    res = init_file(client, dep, draft["id"], "3.txt", 1)
    assert res.status_code == 400
    assert (res.json["max_files"], res.json["files"]) == (2, 3)


def test_a_library_may_allow_more_files_than_rdms_hundred(client, storage_tenant):
    """A digitised book is hundreds of page scans: the library's limit is the bound,
    not InvenioRDM's 100 files per record."""
    tenant, people = storage_tenant(max_files=250)
    dep = people["depositors"]
    draft = new_draft(client, dep)
    pages = [{"key": f"strana-{n:03}.png", "size": 1} for n in range(1, 251)]
    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=dep, json=pages)
    assert res.status_code == 201, res.json
    assert len(res.json["entries"]) == 250
    res = init_file(client, dep, draft["id"], "strana-251.png", 1)
    assert res.status_code == 400
    assert (res.json["max_files"], res.json["files"]) == (250, 251)


def test_unaffiliated_depositors_cannot_upload_unless_enabled(client, make_user, configure):
    _, headers = make_user()
    draft = new_draft(client, headers)  # metadata-only deposits stay possible
    res = init_file(client, headers, draft["id"], "a.txt", 3)
    assert res.status_code == 403
    assert "belong to none" in res.json["message"]
    czech = init_file(client, {**headers, "Accept-Language": "cs"}, draft["id"], "a.txt", 3)
    assert czech.status_code == 403
    assert "do žádné nepatříte" in czech.json["message"]

    configure(CONSORTIUM_STORAGE_UNAFFILIATED=True)
    assert upload(client, headers, draft["id"], "a.txt", b"abc").status_code == 200


def test_deposit_is_charged_to_host_library_or_targeted_community(
    client, storage_tenant, admin_headers
):
    first, people = storage_tenant()
    second, _ = storage_tenant()
    dep_user, dep = people["depositors_user"], people["depositors"]
    res = client.post(f"/api/tenants/{second['slug']}/members", headers=admin_headers,
                      json={"email": dep_user.email, "role": "depositors"})
    assert res.status_code == 200

    # Member of two libraries, on the consortium host, no target: asked to choose.
    from helpers import minimal_record

    res = client.post("/api/records", headers=dep, json=minimal_record("Which library?"))
    assert res.status_code == 400
    assert first["slug"] in str(res.json) and second["slug"] in str(res.json)

    # On the second library's host: charged to it.
    draft = new_draft(client, dep, base_url=f"http://{second['slug']}.localhost")
    assert upload(client, dep, draft["id"], "h.txt", b"h" * 10).status_code == 200
    assert storage_usage(client, admin_headers, second["slug"])["bytes"] == 10
    assert storage_usage(client, admin_headers, first["slug"])["bytes"] == 0

    # Targeting the first library's community: charged to it.
    body = minimal_record("Targeted")
    body["parent"] = {"review": {"type": "community-submission",
                                 "receiver": {"community": first["community_id"]}}}
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    assert upload(client, dep, res.json["id"], "t.txt", b"t" * 20).status_code == 200
    assert storage_usage(client, admin_headers, first["slug"])["bytes"] == 20


def test_quota_settings_are_for_consortium_admins(client, storage_tenant, admin_headers):
    tenant, people = storage_tenant()
    slug = tenant["slug"]
    res = client.put(f"/api/tenants/{slug}", headers=people["managers"],
                     json={"storage": {"quota": "1 TB"}})
    assert res.status_code == 403
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"storage": {"quota": "2.5 GB", "max_file_size": "500 MiB"}})
    assert res.status_code == 200, res.json
    assert res.json["storage"]["quota"] == 2_500_000_000
    assert res.json["storage"]["max_file_size"] == 500 * 2**20
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"storage": {"quota": "lots", "max_files": 0}})
    assert res.status_code == 400
    assert set(res.json["errors"][0]["field"].split(".")) & {"storage", "quota", "max_files"}
    # null restores the consortium default
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"storage": {"quota": None}})
    assert res.json["storage"]["quota"] == 50 * 10**9
    # the managers read their usage; other libraries' managers do not
    other, other_people = storage_tenant()
    assert client.get(f"/api/tenants/{slug}/usage", headers=people["managers"]).status_code == 200
    res = client.get(f"/api/tenants/{slug}/usage", headers=other_people["managers"])
    assert res.status_code == 403


def test_multipart_upload_reserves_its_declared_size(client, storage_tenant):
    tenant, people = storage_tenant(quota=10 * 2**20)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    entry = {"key": "big.bin", "size": 6 * 2**20,
             "transfer": {"type": "M", "parts": 2, "part_size": 5 * 2**20}}
    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=dep, json=[entry])
    assert res.status_code == 201, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == 6 * 2**20
    second = {**entry, "key": "big2.bin"}
    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=dep, json=[second])
    assert res.status_code == 413
    res = client.delete(f"/api/records/{draft['id']}/draft/files/big.bin", headers=dep)
    assert res.status_code == 204
    assert storage_usage(client, mgr, slug)["bytes"] == 0
    current_rdm_records_service.draft_indexer.refresh()
