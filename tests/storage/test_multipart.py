"""Multipart uploads (parts straight to S3 by presigned URLs) within the library's limits.

InvenioRDM v14's `"transfer": {"type": "M", "parts": N, "part_size": P}` at file
initialisation: the declared size is checked and reserved before any part URL
exists; the commit checks what S3 assembled against it.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from helpers import TEST_BUCKET, minimal_record, new_draft, storage_usage, tenant_objects, upload

MiB = 2**20


def multipart_entry(key, size, part_size=None):
    """A file declaration asking for a multipart transfer of SIZE bytes."""
    part_size = part_size or size
    parts = -(-size // part_size)
    return {"key": key, "size": size,
            "transfer": {"type": "M", "parts": parts, "part_size": part_size}}


def init_multipart(client, headers, draft_id, key, size, part_size=None, **kwargs):
    return client.post(f"/api/records/{draft_id}/draft/files", headers=headers,
                       json=[multipart_entry(key, size, part_size)], **kwargs)


def part_urls(response, key):
    entry = next(e for e in response.json["entries"] if e["key"] == key)
    return [part["url"] for part in entry["links"]["parts"]]


def send_parts(urls, content, part_size):
    """PUT the parts straight to S3; each must be accepted."""
    for number, url in enumerate(urls):
        chunk = content[number * part_size:(number + 1) * part_size]
        res = requests.put(url, data=chunk, timeout=60)
        assert res.status_code == 200, res.text


def commit(client, headers, draft_id, key, **kwargs):
    return client.post(f"/api/records/{draft_id}/draft/files/{key}/commit", headers=headers,
                       **kwargs)


def uploads_in_s3(s3, slug):
    """Unfinished multipart uploads under the library's prefix."""
    listing = s3.list_multipart_uploads(Bucket=TEST_BUCKET, Prefix=f"tenants/{slug}/")
    return listing.get("Uploads", [])


def entries(client, headers, draft_id):
    res = client.get(f"/api/records/{draft_id}/draft/files", headers=headers)
    return {e["key"]: e for e in res.json["entries"]}


def test_multipart_upload_goes_to_the_library_prefix_and_is_charged_once(
        client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    content = b"a" * (5 * MiB) + b"b" * (2 * MiB)
    res = init_multipart(client, dep, draft["id"], "data.bin", len(content), 5 * MiB)
    assert res.status_code == 201, res.json
    urls = part_urls(res, "data.bin")
    assert len(urls) == 2
    assert all(url.startswith(f"http://127.0.0.1:") and f"/tenants/{slug}/" in url
               for url in urls)
    assert storage_usage(client, mgr, slug)["bytes"] == len(content)  # reserved at init

    send_parts(urls, content, 5 * MiB)
    res = commit(client, dep, draft["id"], "data.bin")
    assert res.status_code == 200, res.json
    assert (res.json["status"], res.json["size"]) == ("completed", len(content))
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (len(content), 1)
    objects = tenant_objects(s3, TEST_BUCKET, slug)
    assert list(objects.values()) == [len(content)]
    key = next(iter(objects))
    assert s3.get_object(Bucket=TEST_BUCKET, Key=key)["Body"].read() == content
    assert uploads_in_s3(s3, slug) == []


def test_multipart_over_quota_is_refused_before_any_part_url(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=10 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "small.txt", b"s" * 1000).status_code == 200

    res = init_multipart(client, dep, draft["id"], "big.bin", 10 * MiB, 5 * MiB)
    assert res.status_code == 413, res.json
    assert res.content_type == "application/json"
    assert (res.json["tenant"], res.json["usage"], res.json["quota"], res.json["requested"]) \
        == (slug, 1000, 10 * MiB, 10 * MiB)
    assert "parts" not in res.get_data(as_text=True)
    assert set(entries(client, dep, draft["id"])) == {"small.txt"}
    assert uploads_in_s3(s3, slug) == []
    assert storage_usage(client, mgr, slug)["bytes"] == 1000


def test_multipart_respects_the_file_size_and_file_count_limits(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=100 * MiB, max_file_size=8 * MiB, max_files=2)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)

    res = init_multipart(client, dep, draft["id"], "huge.bin", 9 * MiB, 5 * MiB)
    assert res.status_code == 413, res.json
    assert (res.json["file"], res.json["requested"], res.json["max_file_size"]) \
        == ("huge.bin", 9 * MiB, 8 * MiB)

    for key in ("one.bin", "two.bin"):
        assert init_multipart(client, dep, draft["id"], key, 1000).status_code == 201
    res = init_multipart(client, dep, draft["id"], "three.bin", 1000)
    assert res.status_code == 400, res.json
    assert (res.json["files"], res.json["max_files"]) == (3, 2)

    assert set(entries(client, dep, draft["id"])) == {"one.bin", "two.bin"}
    assert len(uploads_in_s3(s3, slug)) == 2
    assert storage_usage(client, mgr, slug)["bytes"] == 2000


def test_multipart_commit_of_fewer_bytes_than_declared_is_refused(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "short.bin", 1000)
    assert res.status_code == 201, res.json
    [url] = part_urls(res, "short.bin")
    assert requests.put(url, data=b"s" * 600, timeout=60).status_code == 403  # signed length
    # An S3 that does not check signed lengths takes the short part: the commit finds it.
    [pending] = uploads_in_s3(s3, slug)
    s3.upload_part(Bucket=TEST_BUCKET, Key=pending["Key"], UploadId=pending["UploadId"],
                   PartNumber=1, Body=b"s" * 600)
    assert storage_usage(client, mgr, slug)["bytes"] == 1000

    res = commit(client, dep, draft["id"], "short.bin")
    assert res.status_code == 400, res.json
    assert (res.json["file"], res.json["declared"], res.json["received"]) \
        == ("short.bin", 1000, 600)
    assert "reserved for it released" in res.json["message"]
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (0, 0)
    assert entries(client, dep, draft["id"]) == {}
    assert tenant_objects(s3, TEST_BUCKET, slug) == {}
    assert uploads_in_s3(s3, slug) == []


def test_aborting_a_multipart_upload_releases_the_reservation_and_the_parts(
        client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "half.bin", 6 * MiB, 5 * MiB)
    assert res.status_code == 201, res.json
    send_parts(part_urls(res, "half.bin")[:1], b"h" * (5 * MiB), 5 * MiB)  # 1 of 2 parts
    [pending] = uploads_in_s3(s3, slug)
    parts = s3.list_parts(Bucket=TEST_BUCKET, Key=pending["Key"], UploadId=pending["UploadId"])
    assert [p["Size"] for p in parts["Parts"]] == [5 * MiB]
    assert storage_usage(client, mgr, slug)["bytes"] == 6 * MiB

    res = client.delete(f"/api/records/{draft['id']}/draft/files/half.bin", headers=dep)
    assert res.status_code == 204
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (0, 0)
    assert uploads_in_s3(s3, slug) == []
    assert tenant_objects(s3, TEST_BUCKET, slug) == {}

    # Discarding a draft with a pending multipart upload does the same.
    res = init_multipart(client, dep, draft["id"], "again.bin", 3000)
    assert res.status_code == 201, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == 3000
    assert client.delete(f"/api/records/{draft['id']}/draft", headers=dep).status_code == 204
    assert storage_usage(client, mgr, slug)["bytes"] == 0
    assert uploads_in_s3(s3, slug) == []


def test_parallel_multipart_initialisations_never_pass_the_quota(
        client, storage_tenant, http_server, s3):
    tenant, people = storage_tenant(quota=1000)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    drafts = [new_draft(client, dep, title=f"Race {i}")["id"] for i in range(10)]
    start = threading.Barrier(len(drafts))

    def declare(draft_id):
        start.wait()
        return requests.post(f"{http_server}/api/records/{draft_id}/draft/files",
                             headers=dep, json=[multipart_entry("part.bin", 300)], timeout=60)

    with ThreadPoolExecutor(len(drafts)) as pool:
        responses = dict(zip(drafts, pool.map(declare, drafts)))

    codes = sorted(r.status_code for r in responses.values())
    assert codes == [201] * 3 + [413] * 7, [r.text[:200] for r in responses.values()]
    assert all(r.json()["quota"] == 1000 for r in responses.values() if r.status_code == 413)
    assert storage_usage(client, mgr, slug)["bytes"] == 900  # three reservations
    assert len(uploads_in_s3(s3, slug)) == 3  # the refused ones left nothing in S3

    for draft_id, res in responses.items():
        if res.status_code == 201:
            entry = next(e for e in res.json()["entries"] if e["key"] == "part.bin")
            send_parts([entry["links"]["parts"][0]["url"]], b"p" * 300, 300)
            assert commit(client, dep, draft_id, "part.bin").status_code == 200
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (900, 3)
    assert sorted(tenant_objects(s3, TEST_BUCKET, slug).values()) == [300, 300, 300]
    assert uploads_in_s3(s3, slug) == []


def test_suspended_library_refuses_multipart_initialisation_and_commit(
        client, storage_tenant, admin_headers, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "before.bin", 1000)
    assert res.status_code == 201, res.json
    send_parts(part_urls(res, "before.bin"), b"b" * 1000, 1000)

    assert client.post(f"/api/tenants/{slug}/actions/suspend",
                       headers=admin_headers).status_code == 200
    res = init_multipart(client, dep, draft["id"], "during.bin", 1000)
    assert res.status_code == 403, res.json
    assert "suspended" in res.json["message"] and slug in res.json["message"]
    res = commit(client, dep, draft["id"], "before.bin")
    assert res.status_code == 403, res.json
    assert "suspended" in res.json["message"]
    assert set(entries(client, dep, draft["id"])) == {"before.bin"}
    assert entries(client, dep, draft["id"])["before.bin"]["status"] == "pending"
    assert len(uploads_in_s3(s3, slug)) == 1
    assert storage_usage(client, mgr, slug)["bytes"] == 1000  # still reserved

    assert client.post(f"/api/tenants/{slug}/actions/resume",
                       headers=admin_headers).status_code == 200
    res = commit(client, dep, draft["id"], "before.bin")
    assert res.status_code == 200, res.json
    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [1000]


def test_closed_library_takes_multipart_uploads_from_curators_only(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, cur, mgr = (tenant["slug"], people["depositors"], people["curators"],
                           people["managers"])
    res = client.put(f"/api/tenants/{slug}/workflow", headers=mgr, json={"preset": "closed"})
    assert res.status_code == 200, res.json

    res = client.post("/api/records", headers=dep, json=minimal_record("Nepovolený vklad"),
                      base_url=f"http://{slug}.localhost")
    assert res.status_code == 403, res.json  # no draft, so no upload at all

    draft = new_draft(client, cur, base_url=f"http://{slug}.localhost")
    res = init_multipart(client, cur, draft["id"], "curated.bin", 2000)
    assert res.status_code == 201, res.json
    send_parts(part_urls(res, "curated.bin"), b"c" * 2000, 2000)
    assert commit(client, cur, draft["id"], "curated.bin").status_code == 200
    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [2000]
    assert storage_usage(client, mgr, slug)["bytes"] == 2000


def test_another_library_cannot_touch_a_pending_multipart_upload(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    other, other_people = storage_tenant(prefix="st-b", quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "mine.bin", 1000)
    assert res.status_code == 201, res.json
    base = f"/api/records/{draft['id']}/draft/files"

    for group in ("depositors", "curators", "managers"):
        intruder = other_people[group]
        res = client.get(f"{base}/mine.bin", headers=intruder)
        assert res.status_code == 403, (group, res.json)
        assert "parts" not in res.get_data(as_text=True)
        res = client.post(base, headers=intruder, json=[multipart_entry("theirs.bin", 1000)])
        assert res.status_code == 403, (group, res.json)
        assert commit(client, intruder, draft["id"], "mine.bin").status_code == 403
        assert client.delete(f"{base}/mine.bin", headers=intruder).status_code == 403

    assert set(entries(client, dep, draft["id"])) == {"mine.bin"}
    assert len(uploads_in_s3(s3, slug)) == 1
    assert storage_usage(client, mgr, slug)["bytes"] == 1000
    assert storage_usage(client, other_people["managers"], other["slug"])["bytes"] == 0


def _backdate(draft_id, key, hours):
    """Make a draft file's upload look HOURS older (its entry's creation time)."""
    from invenio_db import db
    from invenio_rdm_records.records.models import RDMDraftMetadata, RDMFileDraftMetadata
    from invenio_rdm_records.proxies import current_rdm_records_service
    from sqlalchemy import func, update

    draft = current_rdm_records_service.draft_cls.pid.resolve(draft_id, registered_only=False)
    db.session.execute(
        update(RDMFileDraftMetadata)
        .where(RDMFileDraftMetadata.record_id == draft.id, RDMFileDraftMetadata.key == key)
        .values(created=func.now() - func.make_interval(0, 0, 0, 0, hours))
    )
    db.session.commit()
    assert RDMDraftMetadata.query.get(draft.id) is not None


def test_unfinished_multipart_uploads_expire_and_release_their_reservation(
        app, client, storage_tenant, configure, s3):
    from consortium_tenants.storage.cleanup import multipart_started
    from consortium_tenants.storage.tasks import expire_multipart_uploads
    from helpers import invoke_cli, scheduled_job

    configure(CONSORTIUM_STORAGE_MULTIPART_MAX_AGE=3600)
    assert scheduled_job("consortium-multipart-expiry")[1] is expire_multipart_uploads
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "young.bin", 1000)
    assert res.status_code == 201, res.json
    res = init_multipart(client, dep, draft["id"], "old.bin", 2000)
    assert res.status_code == 201, res.json
    send_parts(part_urls(res, "old.bin"), b"o" * 2000, 2000)
    _backdate(draft["id"], "old.bin", hours=2)
    unknown = f"tenants/{slug}/no-draft-knows-this"  # e.g. a crash between S3 and the database
    s3.create_multipart_upload(Bucket=TEST_BUCKET, Key=unknown)
    assert storage_usage(client, mgr, slug)["bytes"] == 3000

    # Meanwhile the storage audit shows the pending uploads and when they expire.
    result = invoke_cli(app, ["tenants", "usage", slug, "--check-s3"])
    assert "unfinished multipart uploads: 3, 2.0 kB" in result.output, result.output
    pending = [line for line in result.output.splitlines() if "pending upload:" in line]
    assert len(pending) == 2, result.output
    assert any("2.0 kB sent" in line for line in pending)
    assert all("aborted after" in line for line in pending)

    assert expire_multipart_uploads() == 1  # only the one begun 2 h ago
    assert set(entries(client, dep, draft["id"])) == {"young.bin"}
    assert storage_usage(client, mgr, slug)["bytes"] == 1000
    assert sorted(u["Key"] == unknown for u in uploads_in_s3(s3, slug)) == [False, True]

    configure(CONSORTIUM_STORAGE_MULTIPART_MAX_AGE=0)
    pending = len(multipart_started())  # this draft's, and those other tests left
    assert pending >= 1
    assert expire_multipart_uploads() == pending  # the young draft file among them
    assert entries(client, dep, draft["id"]) == {}
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (0, 0)
    assert tenant_objects(s3, TEST_BUCKET, slug) == {}
    # S3Proxy answers every listing with "Initiated: now", so an upload no draft file
    # knows never looks old here (AWS, MinIO and Ceph report when it began).
    [left] = uploads_in_s3(s3, slug)
    assert left["Key"] == unknown
    s3.abort_multipart_upload(Bucket=TEST_BUCKET, Key=unknown, UploadId=left["UploadId"])
