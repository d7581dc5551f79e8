"""A scanned work is read in Mirador on its library's host: the preview frame of its
landing page opens the work's IIIF manifest, a person turns pages and zooms, in Czech and
English, by mouse and by keyboard, without console errors and with no critical or serious
axe violation in the viewer."""

import pytest
from playwright.sync_api import expect

from browsing import AXE_JS, png
from helpers import minimal_record, publish_in_library, upload

PAGES = 12
TEXT = {
    "cs": {"next": "Další strana", "previous": "Předchozí strana", "zoom_in": "Přiblížit",
           "of": "z"},
    "en": {"next": "Next item", "previous": "Previous item", "zoom_in": "Zoom in", "of": "of"},
}


@pytest.fixture(scope="module")
def scanned(app, make_tenant):
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("scan")
    client = app.test_client()
    body = minimal_record("Herbář Moravy, 1790")
    body["metadata"]["rights"] = [{"id": "cc-by-4.0"}]
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    draft_id = res.json["id"]
    for n in range(1, PAGES + 1):
        page = png(600 + n, 800, (200 - n * 5, 180, 120 + n * 5))
        assert upload(client, people["depositors"], draft_id, f"strana-{n:03}.png",
                      page).status_code == 200
    record = publish_in_library(client, people, tenant["community_id"], draft_id)
    current_rdm_records_service.indexer.refresh()
    return tenant, record["id"]


def axe_in(frame):
    frame.add_script_tag(content=AXE_JS.read_text())
    violations = frame.evaluate("async () => (await axe.run(document)).violations")
    return [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
            for v in violations if v["impact"] in ("critical", "serious")]


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_reader_turns_pages_and_zooms_a_scanned_work(site, open_page, scanned, language):
    tenant, record_id = scanned
    text = TEXT[language]
    page = open_page(language)
    tiles = []
    page.on("request", lambda r: tiles.append(r.url) if "/default.jpg" in r.url
            or "/default.png" in r.url else None)
    page.goto(site.library(tenant["slug"], f"/records/{record_id}"))
    frame_element = page.locator("iframe.preview-iframe")
    expect(frame_element).to_be_visible()
    viewer = page.frame_locator("iframe.preview-iframe")

    # the whole work, first page shown: "1 of 12"
    counter = viewer.get_by_text(f"1 {text['of']} {PAGES}")
    expect(counter.first).to_be_visible(timeout=30000)
    viewer.get_by_role("button", name=text["next"]).click()
    expect(viewer.get_by_text(f"2 {text['of']} {PAGES}").first).to_be_visible()
    viewer.get_by_role("button", name=text["next"]).click()
    expect(viewer.get_by_text(f"3 {text['of']} {PAGES}").first).to_be_visible()
    viewer.get_by_role("button", name=text["previous"]).click()
    expect(viewer.get_by_text(f"2 {text['of']} {PAGES}").first).to_be_visible()

    # by keyboard: focus the next-page button and press Enter
    viewer.get_by_role("button", name=text["next"]).focus()
    page.keyboard.press("Enter")
    expect(viewer.get_by_text(f"3 {text['of']} {PAGES}").first).to_be_visible()

    # zoom: the viewer asks the Image API for a region of the page (deep zoom tiles)
    before = len(tiles)
    for _ in range(3):
        viewer.get_by_role("button", name=text["zoom_in"]).click()
    page.wait_for_timeout(1500)
    asked = tiles[before:]
    assert any("strana-003.png" in url and "/full/" not in url.split(".png", 1)[1][:6]
               for url in asked), asked[-5:]

    frame = frame_element.element_handle().content_frame()
    assert frame.locator("html").get_attribute("lang") == language
    assert axe_in(frame) == []
