"""Quotas cannot be talked around (issue 25 §2): declarations, part URLs, commits, stray bytes.

Everything over the real S3Proxy: a declared size or multipart shape no file
has is refused before anything is reserved; each part URL takes exactly its
part's length; a commit S3 cannot assemble is a 400 in the request's language
and the reservation goes with the file; bytes sent to part URLs after the
upload ended are found by the bucket-wide check and left out of backups.
"""

import json

import pytest
import requests

from helpers import TEST_BUCKET, invoke_cli, new_draft, storage_usage, upload
from test_multipart import (
    MiB,
    commit,
    entries,
    init_multipart,
    part_urls,
    send_parts,
    uploads_in_s3,
)

GiB = 2**30


def declare(client, headers, draft_id, *entries_, **kwargs):
    return client.post(f"/api/records/{draft_id}/draft/files", headers=headers,
                       json=list(entries_), **kwargs)


def multipart(key, size, parts, part_size):
    """A multipart declaration (no `part_size` at all when PART_SIZE is None)."""
    transfer = {"type": "M", "parts": parts,
                **({"part_size": part_size} if part_size is not None else {})}
    return {"key": key, "size": size, "transfer": transfer}


def test_a_negative_declared_size_is_refused_and_lowers_no_usage(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=25 * 10**6)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)

    res = declare(client, dep, draft["id"], multipart("n", -10**12, 2, 5 * MiB))
    assert res.status_code == 400, res.json
    assert (res.json["file"], res.json["reason"], res.json["size"]) == ("n", "size", -10**12)
    assert "whole number of bytes" in res.json["message"]
    cs = declare(client, {**dep, "Accept-Language": "cs"}, draft["id"],
                 multipart("n", -10**12, 2, 5 * MiB))
    assert cs.status_code == 400
    assert "celý počet bajtů" in cs.json["message"], cs.json

    # Not on the one-request path either, nor to make room for another file in the batch.
    res = declare(client, dep, draft["id"], {"key": "minus", "size": -20 * 10**6},
                  {"key": "big", "size": 40 * 10**6})
    assert res.status_code == 400, res.json
    assert res.json["file"] == "minus"
    res = declare(client, dep, draft["id"], {"key": "huge", "size": 2**63})
    assert res.status_code == 400, res.json

    assert entries(client, dep, draft["id"]) == {}
    assert uploads_in_s3(s3, slug) == []
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (0, 0)
    # The quota still holds for a real file.
    assert upload(client, dep, draft["id"], "real.bin", b"r" * (26 * 10**6)).status_code == 413


@pytest.mark.parametrize("size,parts,part_size,reason", [
    (0, 1, 5 * MiB, "size"),                       # multipart needs at least one byte
    (10 * MiB, 10000, 5 * MiB, "parts"),           # 10 000 URLs for two parts' worth
    (10 * MiB, 3, 5 * MiB, "parts"),
    (10 * MiB, 1, 5 * MiB, "parts"),               # fewer parts than the size needs
    (10 * MiB, -1, 5 * MiB, "shape"),
    (10 * MiB, 2, None, "shape"),
    (10 * MiB, 10 * MiB, 1, "part_size"),           # parts under 5 MiB
    (10 * MiB, 2, 6 * GiB, "part_size"),           # a part over 5 GiB
    (7 * GiB, 1, 7 * GiB, "part_size"),
])
def test_a_multipart_shape_s3_cannot_assemble_is_refused_before_anything_exists(
        client, storage_tenant, s3, size, parts, part_size, reason):
    tenant, people = storage_tenant(quota=100 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)

    res = declare(client, dep, draft["id"], multipart("shape.bin", size, parts, part_size))
    assert res.status_code == 400, res.json
    assert (res.json["file"], res.json["reason"]) == ("shape.bin", reason), res.json
    assert "parts" not in res.json or res.json["parts"] == parts
    cs = declare(client, {**dep, "Accept-Language": "cs"}, draft["id"],
                 multipart("shape.bin", size, parts, part_size))
    assert cs.status_code == 400 and "Soubor „shape.bin“" in cs.json["message"], cs.json

    assert entries(client, dep, draft["id"]) == {}
    assert uploads_in_s3(s3, slug) == []
    assert storage_usage(client, mgr, slug)["bytes"] == 0


def test_the_shapes_of_the_deposit_form_are_accepted(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=100 * MiB)
    dep = people["depositors"]
    draft = new_draft(client, dep)
    for key, size, part_size in (("one.bin", 1000, 1000),           # one part, the last
                                 ("two.bin", 10 * MiB + 1, 5 * MiB),  # last part 1 B
                                 ("even.bin", 10 * MiB, 5 * MiB)):
        parts = -(-size // part_size)
        res = declare(client, dep, draft["id"], multipart(key, size, parts, part_size))
        assert res.status_code == 201, res.json
        assert len(part_urls(res, key)) == parts


def test_each_part_url_takes_exactly_its_part_length(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    content = b"a" * (5 * MiB) + b"b" * 1000
    res = init_multipart(client, dep, draft["id"], "exact.bin", len(content), 5 * MiB)
    assert res.status_code == 201, res.json
    first, last = part_urls(res, "exact.bin")

    for url, wrong in ((first, b"x" * (5 * MiB + 1)), (first, b"x" * (5 * MiB - 1)),
                       (last, b"x" * MiB),
                       (last, b"x" * 999)):
        refused = requests.put(url, data=wrong, timeout=60)
        assert refused.status_code == 403, (len(wrong), refused.status_code)
    [pending] = uploads_in_s3(s3, slug)
    listed = s3.list_parts(Bucket=TEST_BUCKET, Key=pending["Key"], UploadId=pending["UploadId"])
    assert listed.get("Parts", []) == []  # S3 kept none of those bytes

    send_parts([first, last], content, 5 * MiB)
    res = commit(client, dep, draft["id"], "exact.bin")
    assert res.status_code == 200, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == len(content)


def test_a_commit_with_a_missing_part_is_a_400_and_deleting_releases_the_reservation(
        client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=30 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    content = b"m" * (11 * MiB)
    res = init_multipart(client, dep, draft["id"], "gap.bin", len(content), 5 * MiB)
    assert res.status_code == 201, res.json
    urls = part_urls(res, "gap.bin")
    assert len(urls) == 3
    for number in (0, 2):
        chunk = content[number * 5 * MiB:(number + 1) * 5 * MiB]
        assert requests.put(urls[number], data=chunk, timeout=60).status_code == 200

    res = commit(client, dep, draft["id"], "gap.bin")
    assert res.status_code == 400, res.json
    assert (res.json["reason"], res.json["parts"], res.json["missing"]) == (
        "missing_parts", 3, [2])
    assert "2 of its 3 parts" in res.json["message"]
    assert "delete the file to release the space" in res.json["message"]
    cs = commit(client, {**dep, "Accept-Language": "cs"}, draft["id"], "gap.bin")
    assert cs.status_code == 400 and "2 z jeho 3 částí" in cs.json["message"], cs.json
    assert entries(client, dep, draft["id"])["gap.bin"]["status"] == "pending"
    assert storage_usage(client, mgr, slug)["bytes"] == len(content)  # still reserved

    # The missing part arrives: the same commit now completes the file.
    assert requests.put(urls[1], data=content[5 * MiB:10 * MiB], timeout=60).status_code == 200
    res = commit(client, dep, draft["id"], "gap.bin")
    assert res.status_code == 200, res.json

    # Another one, given up: deleting it releases its reservation and its parts.
    res = init_multipart(client, dep, draft["id"], "gone.bin", len(content), 5 * MiB)
    assert res.status_code == 201, res.json
    assert commit(client, dep, draft["id"], "gone.bin").status_code == 400
    assert storage_usage(client, mgr, slug)["bytes"] == 2 * len(content)
    res = client.delete(f"/api/records/{draft['id']}/draft/files/gone.bin", headers=dep)
    assert res.status_code == 204
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (len(content), 1)
    assert uploads_in_s3(s3, slug) == []


def test_a_commit_with_a_part_under_5_mib_is_a_400(client, storage_tenant, s3):
    """The part URLs take only their declared lengths; an S3 that does not check
    signed lengths is simulated by writing the short parts with the S3 client."""
    tenant, people = storage_tenant(quota=30 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "small.bin", 6 * MiB, 5 * MiB)
    assert res.status_code == 201, res.json
    [pending] = uploads_in_s3(s3, slug)
    for number in (1, 2):
        s3.upload_part(Bucket=TEST_BUCKET, Key=pending["Key"], UploadId=pending["UploadId"],
                       PartNumber=number, Body=b"s" * MiB)

    res = commit(client, {**dep, "Accept-Language": "cs"}, draft["id"], "small.bin")
    assert res.status_code == 400, res.json
    assert res.json["reason"] == "EntityTooSmall", res.json
    assert "5 MiB" in res.json["message"] and "smažte" in res.json["message"]
    assert storage_usage(client, mgr, slug)["bytes"] == 6 * MiB
    res = client.delete(f"/api/records/{draft['id']}/draft/files/small.bin", headers=dep)
    assert res.status_code == 204
    assert storage_usage(client, mgr, slug)["bytes"] == 0
    assert uploads_in_s3(s3, slug) == []


def _bucket_report(app, *options):
    result = invoke_cli(app, ["tenants", "usage", "--check-s3", "--json", *options])
    start = result.output.index("{")
    return result, json.loads(result.output[start:])["bucket"]


def test_bytes_sent_to_part_urls_after_the_upload_ended_are_found_and_not_backed_up(
        app, client, storage_tenant, configure, s3, tmp_path):
    tenant, people = storage_tenant(quota=20 * MiB)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = init_multipart(client, dep, draft["id"], "done.bin", 1000)
    assert res.status_code == 201, res.json
    [done_url] = part_urls(res, "done.bin")
    send_parts([done_url], b"d" * 1000, 1000)
    assert commit(client, dep, draft["id"], "done.bin").status_code == 200
    res = init_multipart(client, dep, draft["id"], "dropped.bin", 2000)
    [dropped_url] = part_urls(res, "dropped.bin")
    assert client.delete(f"/api/records/{draft['id']}/draft/files/dropped.bin",
                         headers=dep).status_code == 204

    # S3Proxy still takes a PUT on both (AWS and MinIO answer NoSuchUpload).
    assert requests.put(done_url, data=b"D" * 1000, timeout=60).status_code == 200
    assert requests.put(dropped_url, data=b"R" * 2000, timeout=60).status_code == 200
    assert storage_usage(client, mgr, slug)["bytes"] == 1000

    result, bucket = _bucket_report(app)
    assert result.exit_code == 1, result.output
    kinds = ("libraries", "upload_parts", "stray_multipart", "platform", "unknown")
    assert bucket["bytes"] == sum(bucket[kind]["bytes"] for kind in kinds)
    listed = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=TEST_BUCKET):
        listed.update({o["Key"]: o["Size"] for o in page.get("Contents", [])
                       if not o["Key"].endswith("/")})
    assert (bucket["objects"], bucket["bytes"]) == (len(listed), sum(listed.values()))
    stray = {key: listed[key] for key in bucket["stray_multipart"]["keys"]}
    mine = {key: size for key, size in stray.items() if f"tenants/{slug}/" in key}
    assert sorted(mine.values()) == [1000, 2000], stray
    assert all(key.startswith(".mpus-") for key in mine)
    assert bucket["per_library"][slug] == {"objects": 1, "bytes": 1000, "counted": 1000}

    text = invoke_cli(app, ["tenants", "usage", "--check-s3"]).output
    assert "stray multipart parts (sent after the upload ended" in text, text
    assert any(key in text for key in mine)

    # A backup leaves them out and says so.
    result = invoke_cli(app, ["platform", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 0, result.output
    assert "Skipped" in result.output and "multipart parts" in result.output
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert not any(key.startswith(".mpus-") for key in manifest["objects"])
    assert manifest["skipped_multipart_parts"]["bytes"] >= 3000

    # The repair removes them once past the grace period.
    configure(CONSORTIUM_STORAGE_ORPHAN_GRACE=0)
    result, bucket = _bucket_report(app, "--recompute")
    assert bucket["removed"]["bytes"] >= 3000, bucket
    assert not any(key in listed for key in bucket["stray_multipart"]["keys"] if key in mine)
    for key in mine:
        assert s3.list_objects_v2(Bucket=TEST_BUCKET, Prefix=key).get("KeyCount", 0) == 0
    assert storage_usage(client, mgr, slug)["bytes"] == 1000
