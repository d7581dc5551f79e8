"""Parallel uploads over real HTTP, an S3 outage, and the 80 %/95 % warnings."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

import requests

from helpers import (
    browser_of,
    TEST_BUCKET,
    init_file,
    new_draft,
    put_content,
    storage_usage,
    tenant_objects,
    upload,
)


def test_parallel_uploads_never_pass_the_quota(client, storage_tenant, http_server, s3):
    tenant, people = storage_tenant(quota=1000)
    slug, dep = tenant["slug"], people["depositors"]
    drafts = [new_draft(client, dep, title=f"Race {i}")["id"] for i in range(10)]
    for draft_id in drafts:
        assert init_file(client, dep, draft_id, "part.bin").status_code == 201

    start = threading.Barrier(len(drafts))
    headers = {**dep, "Content-Type": "application/octet-stream"}

    def send(draft_id):
        start.wait()
        return requests.put(
            f"{http_server}/api/records/{draft_id}/draft/files/part.bin/content",
            headers=headers, data=os.urandom(300), timeout=60,
        )

    with ThreadPoolExecutor(len(drafts)) as pool:
        responses = list(pool.map(send, drafts))

    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * 3 + [413] * 7, [r.text[:200] for r in responses]
    usage = storage_usage(client, people["managers"], slug)
    assert (usage["bytes"], usage["files"]) == (900, 3)
    assert sorted(tenant_objects(s3, TEST_BUCKET, slug).values()) == [300, 300, 300]


def test_s3_outage_answers_503_and_keeps_draft_and_counters(client, storage_tenant, own_s3):
    tenant, people = storage_tenant()
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "before.txt", b"b" * 100).status_code == 200
    assert init_file(client, dep, draft["id"], "during.txt", 200).status_code == 201

    own_s3("stop")
    try:
        res = put_content(client, dep, draft["id"], "during.txt", b"d" * 200)
        assert res.status_code == 503
        assert res.json["retry"] is True
        assert "storage service is unavailable" in res.json["message"]
        czech = put_content(client, {**dep, "Accept-Language": "cs"}, draft["id"],
                            "during.txt", b"d" * 200)
        assert czech.status_code == 503
        assert czech.json["message"].startswith("Úložiště je právě nedostupné.")
    finally:
        own_s3("start")

    usage = storage_usage(client, mgr, slug)
    assert (usage["bytes"], usage["files"]) == (100, 1)
    entries = client.get(f"/api/records/{draft['id']}/draft/files", headers=dep).json["entries"]
    assert {e["key"]: e["status"] for e in entries} == {
        "before.txt": "completed", "during.txt": "pending"}

    # Once S3 is back, the same upload goes through.
    assert put_content(client, dep, draft["id"], "during.txt", b"d" * 200).status_code == 200
    assert storage_usage(client, mgr, slug)["bytes"] == 300


def test_managers_are_warned_at_80_and_95_percent(app, client, storage_tenant, outbox):
    tenant, people = storage_tenant(quota=1000)
    dep = people["depositors"]
    manager = people["managers_user"].email
    draft = new_draft(client, dep)

    assert upload(client, dep, draft["id"], "a.bin", b"a" * 700).status_code == 200
    assert [m for m in outbox if manager in m.recipients] == []

    assert upload(client, dep, draft["id"], "b.bin", b"b" * 150).status_code == 200  # 85 %
    warned = [m for m in outbox if manager in m.recipients]
    assert len(warned) == 1 and "80 %" in warned[0].subject
    assert "85.0 %" in warned[0].body

    assert upload(client, dep, draft["id"], "c.bin", b"c" * 20).status_code == 200  # 87 %
    assert len([m for m in outbox if manager in m.recipients]) == 1  # once per threshold

    assert upload(client, dep, draft["id"], "d.bin", b"d" * 90).status_code == 200  # 96 %
    warned = [m for m in outbox if manager in m.recipients]
    assert len(warned) == 2 and "95 %" in warned[1].subject
    assert all(m.recipients == [manager] for m in warned)  # not the depositor

    # The deposit form shows the banner to the library's depositors.
    browser = browser_of(app, people["depositors_user"])
    page = browser.get("/uploads/new").get_data(as_text=True)
    assert "storage-warning" in page and "96.0 %" in page
    page = browser.get("/uploads/new", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "Úložiště knihovny je zaplněno z 96,0 %" in page  # Czech decimal comma
    assert "96.0 %" not in page

    # Freeing space re-arms the warnings and removes the banner.
    res = client.delete(f"/api/records/{draft['id']}/draft/files/a.bin", headers=dep)
    assert res.status_code == 204
    assert "storage-warning" not in browser.get("/uploads/new").get_data(as_text=True)
