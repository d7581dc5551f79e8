"""Files above the multipart threshold go from the deposit form straight to S3 in parts,
smaller ones through the app; an upload over the library's quota is refused with a
message before anything reaches S3."""

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from browsing import add_files, log_in
from helpers import PORT, TEST_BUCKET, new_draft, s3_client, tenant_objects, upload

MiB = 2**20
PART_SIZE = 16 * MiB  # InvenioRDM's part size for files of 16–51 MiB


def watch_uploads(page):
    """What the page sends: file declarations (key → transfer), part PUTs to S3, and
    file contents PUT to the app."""
    sent = {"declared": {}, "parts": [], "through_app": []}

    def on_request(request):
        if request.method == "POST" and request.url.endswith("/draft/files"):
            for entry in request.post_data_json:
                sent["declared"][entry["key"]] = entry["transfer"]
        elif request.method == "PUT" and "partNumber=" in request.url:
            sent["parts"].append(request.url)
        elif request.method == "PUT" and request.url.endswith("/content"):
            sent["through_app"].append(request.url)

    page.on("request", on_request)
    return sent


def payload(folder, name, size):
    """A file of SIZE bytes in FOLDER (the browser reads it from disk, as a person's
    files are chosen); returns its path."""
    path = folder / name
    path.write_bytes(bytes(range(256)) * (size // 256) + b"x" * (size % 256))
    return path


@pytest.mark.parametrize("language", ["cs", "en"])
def test_files_above_the_threshold_go_to_s3_in_parts_smaller_ones_through_the_app(
        app, site, open_page, make_library, tmp_path, language):
    threshold = app.config["CONSORTIUM_STORAGE_MULTIPART_THRESHOLD"]
    assert threshold == 16 * MiB  # the default the sizes below are chosen around
    small = payload(tmp_path, "small.bin", threshold)
    large = payload(tmp_path, "large.bin", threshold + 4 * MiB)
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    sent = watch_uploads(page)
    page.goto(f"{base}/uploads/new")
    assert page.locator("input[name=consortium-multipart-threshold]").input_value() == str(
        threshold)

    committed = []
    page.on("response", lambda r: committed.append(r.url)
            if r.url.endswith("/commit") and r.status == 200 else None)
    add_files(page, small, large)
    for _ in range(120):  # seconds
        if len(committed) == 2:
            break
        page.wait_for_timeout(1000)
    assert len(committed) == 2, committed
    expect(page.get_by_text("large.bin").first).to_be_visible()

    # the small file: one request through the app; the large one: 2 parts straight to S3
    assert sent["declared"] == {
        "small.bin": {"type": "L"},
        "large.bin": {"type": "M", "parts": 2, "part_size": PART_SIZE},
    }, sent["declared"]
    assert len(sent["through_app"]) == 1 and "/files/small.bin/" in sent["through_app"][0]
    s3_origin = f"127.0.0.1:{PORT['S3']}"
    assert len(sent["parts"]) == 2, sent["parts"]
    assert all(urlsplit(url).netloc == s3_origin and f"/tenants/{library.slug}/" in url
               for url in sent["parts"]), sent["parts"]

    draft_id = re.search(r"/records/([^/]+)/draft/files/", committed[0]).group(1)
    client = app.test_client()
    res = client.get(f"/api/records/{draft_id}/draft/files", headers=library.depositor.headers)
    assert sorted((f["key"], f["size"], f["status"]) for f in res.json["entries"]) == [
        ("large.bin", large.stat().st_size, "completed"),
        ("small.bin", small.stat().st_size, "completed")]
    s3 = s3_client()
    objects = tenant_objects(s3, TEST_BUCKET, library.slug)
    assert sorted(objects.values()) == [small.stat().st_size, large.stat().st_size]
    contents = {s3.get_object(Bucket=TEST_BUCKET, Key=key)["Body"].read() for key in objects}
    assert contents == {small.read_bytes(), large.read_bytes()}
    res = client.get(f"/api/tenants/{library.slug}/usage", headers=library.manager.headers)
    assert (res.json["storage"]["bytes"], res.json["storage"]["files"]) == (
        small.stat().st_size + large.stat().st_size, 2)


QUOTA_MESSAGE = {  # the server's 413 message, as the person reads it
    "cs": "Nahrání 21,0 MB by překročilo kvótu úložiště knihovny „Knihovna {slug}“ ({slug}): "
          "využito 16,8 MB z 25,2 MB. Nic nebylo uloženo.",
    "en": "The upload of 21.0 MB would exceed the storage quota of 'Library {slug}' ({slug}): "
          "16.8 MB of 25.2 MB used. Nothing was stored.",
}
STORAGE_SHOWN = {  # the uploader's storage indicator: the library's use and quota
    "cs": "Úložiště knihovny: využito 16,8 MB z 25,2 MB",
    "en": "Library storage: 16.8 MB of 25.2 MB used",
}
NO_FILES = {"cs": "0 z 100 souborů", "en": "0 out of 100 files"}
SAVED = {  # InvenioRDM's answer to saving an incomplete draft (no type, author, file)
    "cs": "Záznam byl uložen s validační zpětnou vazbou v",
    "en": "Record saved with validation feedback in",
}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_file_over_the_library_quota_is_refused_with_a_message_before_s3(
        app, site, open_page, make_library, admin_headers, tmp_path, language):
    library = make_library("open")
    slug = library.slug
    client = app.test_client()
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"storage": {"quota": 24 * MiB}})
    assert res.status_code == 200, res.json
    earlier = new_draft(client, library.depositor.headers)
    res = upload(client, library.depositor.headers, earlier["id"], "earlier.bin",
                 b"e" * (16 * MiB))
    assert res.status_code == 200, res.json
    s3 = s3_client()
    before = tenant_objects(s3, TEST_BUCKET, slug)
    assert list(before.values()) == [16 * MiB]

    expected = QUOTA_MESSAGE[language].format(slug=slug)
    base = site.library(slug)
    page = open_page(language, "researcher")
    page.watch.expect(r"/draft/files$", 413)
    page.watch.expect_console(r"Error uploading file")  # InvenioRDM's log of the answer
    page.watch.expect_console(re.escape(expected))  # Uppy's log of it
    log_in(page, base, library.depositor)
    sent = watch_uploads(page)
    page.goto(f"{base}/uploads/new")
    # the indicator is the library's (RDM's said "0 bytes out of 50.00 GB")
    storage = page.locator(".file-uploader .storage-col")
    expect(storage).to_contain_text(STORAGE_SHOWN[language])
    page.locator("#metadata\\.title").fill("Příliš velká data")
    with page.expect_response(lambda r: r.url.endswith("/draft/files")
                              and r.request.method == "POST", timeout=120_000) as refused:
        add_files(page, payload(tmp_path, "large.bin", 20 * MiB))
    assert refused.value.status == 413
    assert refused.value.json()["message"] == expected
    expect(page.locator(".uppy-Informer").get_by_text(expected)).to_be_visible()
    # the refused file stays with its reason, and no "Retry" that cannot work: only
    # removing it (the reason stays while the file does)
    refused_file = page.locator(".uppy-Dashboard-Item", has_text="large.bin")
    expect(refused_file).to_have_class(re.compile(r"\bis-error\b"))
    expect(page.locator(".uppy-Dashboard-Item-progressIcon--retry")).to_have_count(0)
    expect(page.locator(".uppy-StatusBar-actionBtn--retry")).to_have_count(0)
    # listed once (InvenioRDM listed it among the work's files too, with a delete button
    # that could not work), not counted among them
    expect(page.locator(".file-uploader table", has_text="large.bin")).to_have_count(0)
    expect(storage).to_contain_text(NO_FILES[language])
    page.wait_for_timeout(16_000)  # longer than a passing message
    expect(page.locator(".uppy-Informer").get_by_text(expected)).to_be_visible()
    refused_file.locator(".uppy-Dashboard-Item-action--remove").click()
    expect(refused_file).to_have_count(0)
    expect(page.locator(".uppy-Informer").get_by_text(expected)).to_have_count(0)
    expect(storage).to_contain_text(STORAGE_SHOWN[language])

    assert sent["declared"] == {"large.bin": {"type": "M", "parts": 2, "part_size": PART_SIZE}}
    assert sent["parts"] == [] and sent["through_app"] == []
    listing = s3.list_multipart_uploads(Bucket=TEST_BUCKET, Prefix=f"tenants/{slug}/")
    assert listing.get("Uploads", []) == []
    assert tenant_objects(s3, TEST_BUCKET, slug) == before
    res = client.get(f"/api/tenants/{slug}/usage", headers=library.manager.headers)
    assert (res.json["storage"]["bytes"], res.json["storage"]["files"]) == (16 * MiB, 1)

    # the draft still saves, without the file (the form says what it still lacks)
    with page.expect_response(lambda r: r.request.method in ("POST", "PUT") and re.search(
            r"/api/records(/[^/]+/draft)?$", urlsplit(r.url).path), timeout=120_000) as saved:
        page.locator("button[name=save]").click()
    assert saved.value.status == 200
    expect(page.get_by_text(SAVED[language]).first).to_be_visible()
    draft_id = saved.value.json()["id"]
    res = client.get(f"/api/records/{draft_id}/draft", headers=library.depositor.headers)
    assert res.json["metadata"]["title"] == "Příliš velká data"
    res = client.get(f"/api/records/{draft_id}/draft/files", headers=library.depositor.headers)
    assert res.json["entries"] == []
