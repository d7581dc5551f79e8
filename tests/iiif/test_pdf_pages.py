"""A PDF work's pages as canvases of its IIIF manifest: after publish each page of a public
work's PDF gets its pyramidal TIFF (the real `vips` rendering the page with poppler), the
manifest (valid Presentation 3) gives it a canvas after the images, and the real IIPImage
server serves it through the work's public Image API URL, after the PDF's own access check.
A work whose files are restricted has its pages too, apart from the public ones, shown to
those who may read the PDF; a deleted work has none."""

import io
from unittest import mock

import pytest
from invenio_accounts.proxies import current_datastore
from invenio_db import db
from PIL import Image
from helpers import invoke_cli, minimal_record, publish_in_library, upload
from test_manifest import image, manifest_of, problems
from test_tiles import IIP_MARK

from consortium_tenants.iiif.tiles import (
    PUBLIC, RESTRICTED, grid_folder, page_key, pages_file, tiles_file)

# Pillow writes each page at 100 dpi: 8 × 6 in is 1200 × 900 pixels at the 150 dpi of tiles
PDF_PAGES = [(800, 600), (600, 800), (700, 700)]
RENDERED = [(w * 150 // 100, h * 150 // 100) for w, h in PDF_PAGES]


def pdf(sizes=PDF_PAGES):
    pages = [Image.new("RGB", size, (40 * n, 120, 200)) for n, size in enumerate(sizes)]
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=100)
    return out.getvalue()


def pdf_work(client, people, tenant, title, access=None, pdf_data=None):
    dep = people["depositors"]
    body = minimal_record(title)
    body["metadata"]["rights"] = [{"id": "cc-by-4.0"}]
    if access:
        body["access"] = access
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    draft_id = res.json["id"]
    assert upload(client, dep, draft_id, "cover.png",
                  image("cover.png", (300, 400))).status_code == 200
    assert upload(client, dep, draft_id, "book.pdf", pdf_data or pdf()).status_code == 200
    return publish_in_library(client, people, tenant["community_id"], draft_id)


@pytest.fixture(scope="module")
def book(app, make_tenant):
    client = app.test_client()
    tenant, people = make_tenant("pdfpages")
    record = pdf_work(client, people, tenant, "Kniha v PDF")
    return client, tenant, people, record


def test_a_published_pdf_gives_one_valid_canvas_per_page(book):
    client, tenant, _, record = book
    host = f"{tenant['slug']}.localhost:5000"
    for number in (1, 2, 3):
        assert tiles_file(record["id"], page_key("book.pdf", number)).stat().st_size > 0
    res = manifest_of(client, record["id"], host)
    assert res.status_code == 200, res.json
    manifest = res.json
    assert problems(manifest) == []
    canvases = manifest["items"]
    # the image first, then the PDF's pages in order, each with its rendered size
    assert len(canvases) == 4
    assert canvases[0]["label"] == {"none": ["cover.png"]}
    assert [c["label"]["en"][0] for c in canvases[1:]] == [
        "book.pdf — page 1", "book.pdf — page 2", "book.pdf — page 3"]
    assert canvases[2]["label"]["cs"] == ["book.pdf — strana 2"]
    assert [(c["width"], c["height"]) for c in canvases[1:]] == RENDERED
    assert len({c["id"] for c in canvases}) == 4
    # the PDF itself stays offered whole
    assert [r["label"]["none"][0] for r in manifest["rendering"]] == ["book.pdf"]
    cs = manifest_of(client, record["id"], host, lang="cs").json
    assert [c["label"] for c in cs["items"]] == [c["label"] for c in canvases]


def test_each_pdf_page_is_served_by_the_image_server_through_the_public_url(book):
    client, tenant, _, record = book
    host = f"{tenant['slug']}.localhost:5000"
    canvases = manifest_of(client, record["id"], host).json["items"][1:]
    for canvas, (width, height) in zip(canvases, RENDERED):
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["@id"]
        assert service.startswith(f"http://{host}/api/iiif/record:{record['id']}:book.pdf.page-")
        path = service.split(host, 1)[1]
        info = client.get(f"{path}/info.json", base_url=f"http://{host}")
        assert info.status_code == 200, info.data[:300]
        assert info.json["@id"] == service
        assert (info.json["width"], info.json["height"]) == (width, height)
        tile = client.get(f"{path}/0,0,512,512/256,/0/default.jpg", base_url=f"http://{host}")
        assert tile.status_code == 200 and tile.mimetype == "image/jpeg"
        assert IIP_MARK in tile.data
        assert Image.open(io.BytesIO(tile.data)).size == (256, 256)
        # the page's grid (the platform's nginx serves public tiles on it directly)
        number = int(service.rsplit("-", 1)[1])
        grid = grid_folder(tiles_file(record["id"], page_key("book.pdf", number)))
        assert (grid / "size").read_text() == f"{width} {height}"
        assert (grid / f"x{(width - 1) // 256 * 256}").is_file()
        assert not (grid / f"x{((width - 1) // 256 + 1) * 256}").exists()
    # a page the PDF does not have, and a bad request for one it has
    missing = service.rsplit("-", 1)[0].split(host, 1)[1] + "-4/info.json"
    assert client.get(missing, base_url=f"http://{host}").status_code == 404
    messages = {}
    for lang in ("cs", "en"):
        res = client.get(f"{path}/0,0,512,512/256,/0/default.gif2", base_url=f"http://{host}",
                         headers={"Accept-Language": lang})
        assert res.status_code == 400
        messages[lang] = res.json["message"]
    assert messages["cs"] != messages["en"]


def test_a_pdf_that_cannot_be_read_is_only_offered_whole(book):
    client, tenant, people, _ = book
    host = f"{tenant['slug']}.localhost:5000"
    record = pdf_work(client, people, tenant, "Poškozené PDF", pdf_data=b"%PDF-1.4 broken")
    assert not pages_file(record["id"], "book.pdf").exists()
    manifest = manifest_of(client, record["id"], host).json
    assert problems(manifest) == []
    assert [c["label"] for c in manifest["items"]] == [{"none": ["cover.png"]}]
    assert [r["format"] for r in manifest["rendering"]] == ["application/pdf"]


def test_a_restricted_pdf_work_shows_its_pages_to_those_who_may_read_the_pdf(book):
    client, tenant, people, _ = book
    host = f"{tenant['slug']}.localhost:5000"
    record = pdf_work(client, people, tenant, "Kniha jen pro čtenáře",
                      access={"record": "public", "files": "restricted"})
    # tiles made apart from the public ones
    for number in (1, 2, 3):
        assert tiles_file(record["id"], page_key("book.pdf", number), RESTRICTED).is_file()
        assert not tiles_file(record["id"], page_key("book.pdf", number)).exists()
    owner = people["depositors"]
    manifest = manifest_of(client, record["id"], host, headers=owner).json
    assert problems(manifest) == []
    assert [c["label"]["en"][0] for c in manifest["items"][1:]] == [
        "book.pdf — page 1", "book.pdf — page 2", "book.pdf — page 3"]
    assert [(c["width"], c["height"]) for c in manifest["items"][1:]] == RENDERED
    service = manifest["items"][2]["items"][0]["items"][0]["body"]["service"][0]["@id"]
    path = service.split(host, 1)[1]
    assert path == f"/api/iiif/record:{record['id']}:{page_key('book.pdf', 2)}"
    # the owner: the page from the image server
    owner = {"Authorization": owner["Authorization"]}
    info = client.get(f"{path}/info.json", base_url=f"http://{host}", headers=owner)
    assert info.status_code == 200, info.data[:300]
    assert (info.json["width"], info.json["height"]) == RENDERED[1]
    tile = client.get(f"{path}/0,0,512,512/256,/0/default.jpg", base_url=f"http://{host}",
                      headers=owner)
    assert tile.status_code == 200 and tile.mimetype == "image/jpeg"
    assert IIP_MARK in tile.data
    # anyone else: no page in the work's manifest; the PDF's own refusal, in their
    # language, never a tile
    anonymous = manifest_of(client, record["id"], host)
    assert anonymous.status_code == 403 or anonymous.json["items"] == [], anonymous.json
    download = client.get(f"/api/records/{record['id']}/files/book.pdf/content",
                          base_url=f"http://{host}")
    assert download.status_code == 403
    messages = {}
    for lang in ("cs", "en"):
        for suffix in ("/info.json", "/0,0,512,512/256,/0/default.jpg"):
            refused = client.get(path + suffix, base_url=f"http://{host}",
                                 headers={"Accept-Language": lang})
            assert refused.status_code == 403, refused.data[:200]
            assert IIP_MARK not in refused.data
            messages[lang] = refused.json["message"]
    assert messages["cs"] != messages["en"]


def test_a_pdf_work_restricted_later_moves_its_pages_apart(book):
    client, tenant, people, _ = book
    host = f"{tenant['slug']}.localhost:5000"
    record = pdf_work(client, people, tenant, "Kniha, později omezená")
    page = tiles_file(record["id"], page_key("book.pdf", 1))
    left = page.read_bytes()
    path = f"/api/iiif/record:{record['id']}:{page_key('book.pdf', 1)}"
    assert client.get(f"{path}/info.json", base_url=f"http://{host}").status_code == 200
    owner = people["depositors"]
    res = client.post(f"/api/records/{record['id']}/draft", headers=owner)
    assert res.status_code == 201, res.json
    draft = res.json
    draft["access"]["files"] = "restricted"
    assert client.put(f"/api/records/{record['id']}/draft", headers=owner,
                      json=draft).status_code == 200
    res = client.post(f"/api/records/{record['id']}/draft/actions/publish", headers=owner)
    assert res.status_code == 202, res.json
    # no public page is left; the pages are made again apart, for those who may read
    assert not page.exists() and not pages_file(record["id"], "book.pdf").exists()
    assert tiles_file(record["id"], page_key("book.pdf", 1), RESTRICTED).is_file()
    manifest = manifest_of(client, record["id"], host, headers=owner).json
    assert problems(manifest) == [] and len(manifest["items"]) == 4
    tile = client.get(f"{path}/0,0,256,256/256,/0/default.jpg", base_url=f"http://{host}",
                      headers={"Authorization": owner["Authorization"]})
    assert tile.status_code == 200 and IIP_MARK in tile.data
    # even a public page's tiles left behind are refused to others, as the PDF's download is
    page.write_bytes(left)
    try:
        download = client.get(f"/api/records/{record['id']}/files/book.pdf/content",
                              base_url=f"http://{host}")
        assert download.status_code == 403
        for suffix in ("/info.json", "/0,0,256,256/256,/0/default.jpg"):
            refused = client.get(path + suffix, base_url=f"http://{host}")
            assert refused.status_code == download.status_code
            assert IIP_MARK not in refused.data
    finally:
        page.unlink(missing_ok=True)


def test_a_deleted_work_loses_its_tiles_and_a_restored_one_gets_them_again(book, make_user):
    client, tenant, people, _ = book
    public = pdf_work(client, people, tenant, "Kniha ke smazání")
    restricted = pdf_work(client, people, tenant, "Omezená kniha ke smazání",
                          access={"record": "public", "files": "restricted"})
    made = {public["id"]: tiles_file(public["id"], page_key("book.pdf", 2)),
            restricted["id"]: tiles_file(restricted["id"], page_key("book.pdf", 2), RESTRICTED)}
    assert all(path.is_file() for path in made.values())
    admin, admin_headers = make_user()
    current_datastore.add_role_to_user(admin, "admin")
    db.session.commit()
    for recid, path in made.items():
        # the tiles go at once, not by a task (the platform's nginx serves public tiles
        # without the app): gone even when no worker runs the tasks queued meanwhile
        with mock.patch("celery.app.task.Task.apply_async"):  # fault injection: worker down
            res = client.delete(f"/api/records/{recid}/delete", headers=admin_headers,
                                json={"removal_reason": {"id": "spam"}, "is_visible": True})
        assert res.status_code == 204, res.json
        assert not path.exists()
        assert [p for area in (PUBLIC, RESTRICTED)
                for p in tiles_file(recid, "x", area).parent.glob("*")] == []
    res = client.post(f"/api/records/{public['id']}/restore", headers=admin_headers)
    assert res.status_code == 200, res.json
    assert made[public["id"]].is_file() and tiles_file(public["id"], "cover.png").is_file()


def test_pages_beyond_the_configured_cap_get_no_canvas(book, app, api_app):
    client, tenant, _, record = book
    host = f"{tenant['slug']}.localhost:5000"
    pages_file(record["id"], "book.pdf").unlink()
    cap = app.config["CONSORTIUM_IIIF_PDF_MAX_PAGES"]
    app.config["CONSORTIUM_IIIF_PDF_MAX_PAGES"] = 2
    try:
        result = invoke_cli(app, ["tenants", "tiles", record["id"], "--now"])
    finally:
        app.config["CONSORTIUM_IIIF_PDF_MAX_PAGES"] = cap
    assert result.exit_code == 0, result.output
    assert not tiles_file(record["id"], page_key("book.pdf", 3)).exists()
    canvases = manifest_of(client, record["id"], host).json["items"]
    assert [c["label"]["en"][0] for c in canvases[1:]] == ["book.pdf — page 1",
                                                          "book.pdf — page 2"]
    pages_file(record["id"], "book.pdf").unlink()
    assert invoke_cli(app, ["tenants", "tiles", record["id"], "--now"]).exit_code == 0
    assert len(manifest_of(client, record["id"], host).json["items"]) == 4
