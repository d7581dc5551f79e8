"""The foundation: a deposit goes through the REST API into S3 and search."""

import re
import secrets

from invenio_rdm_records.proxies import current_rdm_records_service

from helpers import TEST_BUCKET, invoke_cli, minimal_record, publish_in_library, submit_review


def deposit(client, people, community_id, title, filename, content):
    """Create a draft, upload one file and publish it in the library; the record JSON."""
    headers = people["depositors"]
    res = client.post("/api/records", headers=headers, json=minimal_record(title))
    assert res.status_code == 201, res.json
    draft = res.json
    links = draft["links"]

    res = client.post(links["files"], headers=headers, json=[{"key": filename}])
    assert res.status_code == 201, res.json
    res = client.put(
        f"{links['files']}/{filename}/content",
        headers={**headers, "Content-Type": "application/octet-stream"},
        data=content,
    )
    assert res.status_code == 200, res.json
    res = client.post(f"{links['files']}/{filename}/commit", headers=headers)
    assert res.status_code == 200, res.json
    assert res.json["size"] == len(content)

    return publish_in_library(client, people, community_id, draft["id"])


def test_platform_init_is_idempotent(app):
    """A second `invenio platform init` finds every step done and changes nothing.

    The first brings back what other tests took away (a library's logo)."""
    result = invoke_cli(app, ["platform", "init"])
    assert result.exit_code == 0, result.output
    result = invoke_cli(app, ["platform", "init"])
    assert result.exit_code == 0, result.output
    assert "running" not in result.output
    assert result.output.count("already done") >= 10


def test_deposit_lands_in_s3_search_and_landing_page(app, client, make_tenant, s3):
    tenant, people = make_tenant("found")
    headers = people["depositors"]
    word = f"lipa{secrets.token_hex(4)}"
    content = f"Czech linden tree data {word}\n".encode() * 100
    record = deposit(client, people, tenant["community_id"], f"Výzkum {word} v knihovně",
                     "data.txt", content)
    assert record["is_published"] is True

    # The file is an object in the consortium bucket on the S3 server.
    res = client.get(f"/api/records/{record['id']}/files/data.txt", headers=headers)
    assert res.status_code == 200
    # every page of the listing: the test bucket holds more than 1 000 objects by now
    objects = [o for page in s3.get_paginator("list_objects_v2").paginate(Bucket=TEST_BUCKET)
               for o in page.get("Contents", [])]
    bodies = [
        s3.get_object(Bucket=TEST_BUCKET, Key=o["Key"])["Body"].read()
        for o in objects
        if o["Size"] == len(content)
    ]
    assert content in bodies

    # The record is found by search.
    current_rdm_records_service.indexer.refresh()
    res = client.get(f"/api/records?q={word}")
    assert res.status_code == 200
    hits = res.json["hits"]["hits"]
    assert [h["id"] for h in hits] == [record["id"]]

    # The landing page renders, with the built CSS and JS.
    res = client.get(f"/records/{record['id']}")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert word in html
    assets = re.findall(r'(?:src|href)="(/static/dist/[^"]+\.(?:js|css))"', html)
    assert assets, "landing page links no built assets"
    for path in assets[:3]:
        assert client.get(path).status_code == 200, path

    # The file downloads through the public endpoint.
    res = client.get(f"/records/{record['id']}/files/data.txt?download=1")
    assert res.status_code == 302  # to the object on S3


def test_front_page_and_api_answer(client):
    res = client.get("/")
    assert res.status_code == 200
    assert "Library Consortium Repository" in res.get_data(as_text=True)
    res = client.get("/api/records")
    assert res.status_code == 200
    assert "hits" in res.json


def test_bad_deposit_gets_field_errors(client, make_tenant):
    tenant, people = make_tenant("found-bad")
    headers = people["depositors"]
    res = client.post("/api/records", headers=headers, json=minimal_record(""))
    assert res.status_code == 201  # drafts may be incomplete ...
    draft_id = res.json["id"]
    res = client.put(f"/api/records/{draft_id}/draft/review", headers=headers,
                     json={"receiver": {"community": tenant["community_id"]},
                           "type": "community-submission"})
    assert res.status_code == 200, res.json
    res = submit_review(client, headers, draft_id)
    assert res.status_code == 400, res.json  # ... but are not submitted or published
    fields = {e["field"] for e in res.json["errors"]}
    assert "metadata.title" in fields


def test_anonymous_cannot_deposit(client):
    res = client.post("/api/records", json=minimal_record("x"))
    assert res.status_code == 403
