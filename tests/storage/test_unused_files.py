"""What no live draft or record uses leaves S3, at once and by the daily check."""

from helpers import (
    TEST_BUCKET,
    init_file,
    invoke_cli,
    new_draft,
    publish_in_library,
    put_content,
    scheduled_job,
    storage_usage,
    tenant_objects,
    upload,
)


def _delete_file(client, headers, draft_id, key):
    res = client.delete(f"/api/records/{draft_id}/draft/files/{key}", headers=headers)
    assert res.status_code == 204, res.json


def test_delete_and_reupload_cannot_grow_s3_beyond_the_quota(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota="10 kB")
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "scan.tif", b"s" * 3000).status_code == 200

    for _ in range(4):
        _delete_file(client, dep, draft["id"], "scan.tif")
        assert tenant_objects(s3, TEST_BUCKET, slug) == {}  # gone with the deletion
        assert upload(client, dep, draft["id"], "scan.tif", b"s" * 3000).status_code == 200

    usage = storage_usage(client, mgr, slug)
    stored = tenant_objects(s3, TEST_BUCKET, slug)
    assert (usage["bytes"], usage["files"]) == (3000, 1)
    assert sum(stored.values()) == usage["bytes"] <= usage["quota"] == 10_000
    assert len(stored) == 1


def test_replaced_content_and_discarded_drafts_leave_nothing_behind(client, storage_tenant, s3):
    tenant, people = storage_tenant()
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert init_file(client, dep, draft["id"], "data.csv").status_code == 201
    assert put_content(client, dep, draft["id"], "data.csv", b"1" * 700).status_code == 200
    assert put_content(client, dep, draft["id"], "data.csv", b"2" * 500).status_code == 200
    res = client.post(f"/api/records/{draft['id']}/draft/files/data.csv/commit", headers=dep)
    assert res.status_code == 200, res.json
    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [500]
    assert storage_usage(client, mgr, slug)["bytes"] == 500

    res = client.delete(f"/api/records/{draft['id']}/draft", headers=dep)
    assert res.status_code == 204
    assert tenant_objects(s3, TEST_BUCKET, slug) == {}
    assert storage_usage(client, mgr, slug)["bytes"] == 0


def test_files_of_published_records_and_their_new_versions_stay(client, storage_tenant, s3):
    tenant, people = storage_tenant()
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "article.pdf", b"p" * 800).status_code == 200
    record = publish_in_library(client, people, tenant["community_id"], draft["id"])

    # A new version imports the file, then drops it: the record still uses it.
    version = client.post(f"/api/records/{record['id']}/versions", headers=dep).json
    res = client.post(f"/api/records/{version['id']}/draft/actions/files-import", headers=dep)
    assert res.status_code == 201, res.json
    _delete_file(client, dep, version["id"], "article.pdf")
    res = client.delete(f"/api/records/{version['id']}/draft", headers=dep)
    assert res.status_code == 204

    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [800]
    res = client.get(f"/api/records/{record['id']}/files/article.pdf/content", headers=dep)
    assert res.status_code == 302  # to the object on S3
    assert storage_usage(client, mgr, slug)["bytes"] == 800


def _leave_unused_file(client, configure, people, slug, s3):
    """A deleted draft file whose object stayed (as before this fix): key and size."""
    dep = people["depositors"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "kept.bin", b"k" * 400).status_code == 200
    assert upload(client, dep, draft["id"], "gone.bin", b"g" * 3000).status_code == 200
    before = tenant_objects(s3, TEST_BUCKET, slug)
    configure(CONSORTIUM_STORAGE_QUOTAS_ENABLED=False)  # nothing of the module runs
    _delete_file(client, dep, draft["id"], "gone.bin")
    configure(CONSORTIUM_STORAGE_QUOTAS_ENABLED=True)
    assert before == tenant_objects(s3, TEST_BUCKET, slug)
    return next(k for k, size in before.items() if size == 3000)


def test_usage_check_reports_s3_bytes_not_counted_and_repair_removes_them(
    app, client, storage_tenant, configure, s3
):
    tenant, people = storage_tenant()
    slug = tenant["slug"]
    unused = _leave_unused_file(client, configure, people, slug, s3)
    orphan = f"tenants/{slug}/zz/zz/orphan/data"
    s3.put_object(Bucket=TEST_BUCKET, Key=orphan, Body=b"x" * 1000)

    result = invoke_cli(app, ["tenants", "usage", slug, "--check-s3"])
    assert result.exit_code == 1, result.output
    assert "not counted in usage: 2 objects, 4.0 kB" in result.output
    assert f"unused:   {unused}" in result.output
    assert f"orphaned: {orphan}" in result.output

    # Repair removes the deleted file at once; an unknown object only once it
    # is older than the grace period (it may be an upload still in flight).
    result = invoke_cli(app, ["tenants", "usage", slug, "--recompute", "--check-s3"])
    assert result.exit_code == 1, result.output
    assert "removed 1 objects (3.0 kB)" in result.output
    assert "not counted in usage: 1 objects, 1.0 kB" in result.output
    assert "younger than 1 h, kept" in result.output
    stored = tenant_objects(s3, TEST_BUCKET, slug)
    assert unused not in stored and orphan in stored

    configure(CONSORTIUM_STORAGE_ORPHAN_GRACE=0)
    result = invoke_cli(app, ["tenants", "usage", slug, "--recompute", "--check-s3", "--json"])
    assert result.exit_code == 0, result.output
    assert '"uncounted": {\n        "objects": 0,\n        "bytes": 0' in result.output
    stored = tenant_objects(s3, TEST_BUCKET, slug)
    assert list(stored.values()) == [400]
    assert sum(stored.values()) == storage_usage(client, people["managers"], slug)["bytes"]


def test_daily_check_sweeps_unused_files_out_of_s3(app, client, storage_tenant, configure, s3):
    from consortium_tenants.storage.tasks import check_storage

    tenant, people = storage_tenant()
    slug = tenant["slug"]
    unused = _leave_unused_file(client, configure, people, slug, s3)
    check_storage.delay()
    assert unused not in tenant_objects(s3, TEST_BUCKET, slug)
    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [400]
    assert scheduled_job("consortium-storage-check")[1] is check_storage
