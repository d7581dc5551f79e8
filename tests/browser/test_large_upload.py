"""A file larger than one upload part goes from the deposit form straight to S3."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browsing import add_files, log_in
from helpers import PORT, TEST_BUCKET, s3_client, tenant_objects

MiB = 2**20
SIZE = 12 * MiB  # three parts of the uploader's smallest part size (5 MiB)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_large_file_goes_from_the_deposit_form_straight_to_s3(app, site, open_page,
                                                              make_library, language):
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    s3_origin = f"127.0.0.1:{PORT['S3']}"
    sent = {"parts": [], "through_app": []}

    def watch(request):
        if request.method == "PUT" and "partNumber=" in request.url:
            sent["parts"].append(request.url)
        elif request.method == "PUT" and request.url.endswith("/content"):
            sent["through_app"].append(request.url)

    page.on("request", watch)
    page.goto(f"{base}/uploads/new")
    content = bytes(range(256)) * (SIZE // 256)
    with page.expect_response(lambda r: r.url.endswith("/commit") and r.status == 200,
                              timeout=120_000) as committed:
        add_files(page, {"name": "data.bin", "mimeType": "application/octet-stream",
                         "buffer": content})
    expect(page.get_by_text("data.bin").first).to_be_visible()

    assert len(sent["parts"]) == 3, sent
    assert all(urlsplit(url).netloc == s3_origin and f"/tenants/{library.slug}/" in url
               for url in sent["parts"]), sent
    assert sent["through_app"] == []
    draft_id = re.search(r"/records/([^/]+)/draft/files/", committed.value.url).group(1)
    client = app.test_client()
    res = client.get(f"/api/records/{draft_id}/draft/files", headers=library.depositor.headers)
    assert [(f["key"], f["size"], f["status"]) for f in res.json["entries"]] == [
        ("data.bin", SIZE, "completed")]
    s3 = s3_client()
    objects = tenant_objects(s3, TEST_BUCKET, library.slug)
    assert list(objects.values()) == [SIZE]
    key = next(iter(objects))
    assert s3.get_object(Bucket=TEST_BUCKET, Key=key)["Body"].read() == content
    res = client.get(f"/api/tenants/{library.slug}/usage", headers=library.manager.headers)
    assert (res.json["storage"]["bytes"], res.json["storage"]["files"]) == (SIZE, 1)
