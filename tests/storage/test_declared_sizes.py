"""A file's stored size must be the size it was declared (and charged) with."""

import socket
from urllib.parse import parse_qs, urlparse

import requests

from helpers import (
    TEST_BUCKET,
    init_file,
    invoke_cli,
    new_draft,
    put_content,
    s3_client,
    storage_usage,
    tenant_objects,
    upload,
)


def _entries(client, headers, draft_id):
    res = client.get(f"/api/records/{draft_id}/draft/files", headers=headers)
    return {e["key"]: e for e in res.json["entries"]}


def _multipart(client, headers, draft_id, sent):
    """Declare "x" as 1000 B in one part, then PUT SENT bytes straight to S3.

    The part URL is signed for 1000 B, so S3 refuses any other length (403); an
    S3 that does not check signed lengths is simulated by writing the part with
    the S3 client.
    """
    entry = {"key": "x", "size": 1000, "transfer": {"type": "M", "parts": 1, "part_size": 1000}}
    res = client.post(f"/api/records/{draft_id}/draft/files", headers=headers, json=[entry])
    assert res.status_code == 201, res.json
    part_url = next(e for e in res.json["entries"] if e["key"] == "x")["links"]["parts"][0]["url"]
    answer = requests.put(part_url, data=b"x" * sent, timeout=60)
    assert answer.status_code == (200 if sent == 1000 else 403)
    if sent != 1000:
        url = urlparse(part_url)
        upload_id = parse_qs(url.query)["uploadId"][0]
        key = url.path.split("/", 2)[2]
        s3_client().upload_part(Bucket=TEST_BUCKET, Key=key, UploadId=upload_id,
                                PartNumber=1, Body=b"x" * sent)


def _uploads(s3, slug):
    listing = s3.list_multipart_uploads(Bucket=TEST_BUCKET, Prefix=f"tenants/{slug}/")
    return listing.get("Uploads", [])


def test_multipart_commit_refuses_parts_larger_than_declared(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=5000, max_file_size=4000)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "before.txt", b"b" * 300).status_code == 200
    # The part goes straight to S3, past the web app.
    _multipart(client, dep, draft["id"], 200_000)
    assert storage_usage(client, mgr, slug)["bytes"] == 1300  # 1000 B reserved at init

    res = client.post(f"/api/records/{draft['id']}/draft/files/x/commit", headers=dep)
    assert res.status_code == 400, res.json
    assert (res.json["file"], res.json["declared"], res.json["received"]) == ("x", 1000, 200_000)
    assert "1000 B" in res.json["message"] and "200000 B" in res.json["message"]
    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (300, 1)  # reservation released
    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [300]
    assert _uploads(s3, slug) == []
    assert set(_entries(client, dep, draft["id"])) == {"before.txt"}

    # An honest multipart upload still goes through.
    _multipart(client, dep, draft["id"], 1000)
    res = client.post(f"/api/records/{draft['id']}/draft/files/x/commit", headers=dep)
    assert res.status_code == 200, res.json
    assert res.json["size"] == 1000
    assert sorted(tenant_objects(s3, TEST_BUCKET, slug).values()) == [300, 1000]
    assert storage_usage(client, mgr, slug)["bytes"] == 1300


def test_storage_check_discards_uncommitted_uploads_larger_than_declared(
    app, client, storage_tenant, s3
):
    tenant, people = storage_tenant(quota=5000, max_file_size=4000)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    _multipart(client, dep, draft["id"], 200_000)  # and never committed

    result = invoke_cli(app, ["tenants", "usage", slug, "--check-s3"])
    assert result.exit_code == 1, result.output
    assert "oversized upload: tenants/" in result.output
    assert "unfinished multipart uploads: 1, 200.0 kB" in result.output

    result = invoke_cli(app, ["tenants", "usage", slug, "--recompute", "--check-s3"])
    assert result.exit_code == 0, result.output
    assert "1 unfinished uploads" in result.output
    assert _uploads(s3, slug) == []
    assert _entries(client, dep, draft["id"]) == {}
    assert storage_usage(client, mgr, slug)["bytes"] == 0


def test_content_must_match_the_declared_size(client, storage_tenant, s3):
    tenant, people = storage_tenant(quota=5000, max_file_size=4000)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert init_file(client, dep, draft["id"], "x", 1000).status_code == 201

    res = put_content(client, dep, draft["id"], "x", b"y" * 3000)
    assert res.status_code == 400, res.json
    assert (res.json["declared"], res.json["received"]) == (1000, 3000)
    assert "declared as 1000 B" in res.json["message"]
    assert tenant_objects(s3, TEST_BUCKET, slug) == {}
    assert storage_usage(client, mgr, slug)["bytes"] == 0
    assert _entries(client, dep, draft["id"])["x"]["status"] == "pending"

    assert put_content(client, dep, draft["id"], "x", b"y" * 1000).status_code == 200
    res = client.post(f"/api/records/{draft['id']}/draft/files/x/commit", headers=dep)
    assert res.status_code == 200, res.json
    assert storage_usage(client, mgr, slug)["bytes"] == 1000


def test_content_over_http_never_stores_more_than_declared(
    client, storage_tenant, http_server, s3
):
    tenant, people = storage_tenant(quota=5000, max_file_size=4000)
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    url = f"{http_server}/api/records/{draft['id']}/draft/files/x/content"
    headers = {**dep, "Content-Type": "application/octet-stream"}
    assert init_file(client, dep, draft["id"], "x", 1000).status_code == 201

    # Chunked: no Content-Length to check first; the stored bytes are compared.
    res = requests.put(url, headers=headers, data=iter([b"z" * 1500, b"z" * 1500]), timeout=60)
    assert res.status_code == 400, res.text
    assert (res.json()["declared"], res.json()["received"]) == (1000, 3000)
    assert tenant_objects(s3, TEST_BUCKET, slug) == {}
    assert storage_usage(client, mgr, slug)["bytes"] == 0

    # More bytes than the Content-Length: only Content-Length bytes are read.
    target = urlparse(url)
    head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    with socket.create_connection((target.hostname, target.port), timeout=60) as sock:
        sock.sendall(f"PUT {target.path} HTTP/1.1\r\nHost: {target.netloc}\r\n{head}"
                     "Content-Length: 1000\r\nConnection: close\r\n\r\n".encode())
        sock.sendall(b"z" * 6000)  # 5000 B past its Content-Length
        status = sock.makefile("rb").readline()
    assert b" 200 " in status, status
    assert list(tenant_objects(s3, TEST_BUCKET, slug).values()) == [1000]
    assert storage_usage(client, mgr, slug)["bytes"] == 1000


def test_files_initialised_without_a_size_take_their_content_length(
        client, storage_tenant, s3):
    """The deposit form declares no size at init (stored as 0): the upload declares it."""
    tenant, people = storage_tenant(quota=10_000)
    dep = people["depositors"]
    draft = new_draft(client, dep)
    res = upload(client, dep, draft["id"], "clanek.pdf", b"%PDF" + b"x" * 44, declare=False)
    assert res.status_code == 200, res.json
    assert storage_usage(client, people["managers"], tenant["slug"])["bytes"] == 48
    assert sorted(tenant_objects(s3, TEST_BUCKET, tenant["slug"]).values()) == [48]
