"""Library logos in a real browser: a library created without one shows its generated
logo (its short name on its colour) wherever pages show logos, and no page asks for a
logo that answers 404 (a console error)."""

import secrets

import pytest
from playwright.sync_api import expect

from helpers import tenant_payload

LOGOS_DRAWN = """(part) => [...document.querySelectorAll(`img[src*="${part}"]`)]
    .map(img => img.complete && img.naturalWidth > 0)"""


@pytest.fixture(scope="module")
def new_library(app, admin_headers):
    """A library as an administrator creates it: no logo uploaded."""
    slug = f"gen-{secrets.token_hex(3)}"
    res = app.test_client().post("/api/tenants", headers=admin_headers,
                                 json=tenant_payload(slug))
    assert res.status_code == 201, res.json
    return res.json


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_library_created_without_a_logo_shows_a_generated_one_on_its_pages(
    site, open_page, new_library, language
):
    slug, community = new_library["slug"], new_library["community_id"]
    logo = f"/api/communities/{community}/logo"
    page = open_page(language)
    for url in (site.library(slug, "/"), site.library(slug, f"/communities/{slug}/records"),
                site.consortium("/libraries")):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        expect(page.locator(f"img[src*='{logo}']").first).to_be_attached()
        drawn = page.evaluate(LOGOS_DRAWN, logo)
        assert drawn and all(drawn), (url, drawn)


SVG_LOGO = (b'<svg xmlns="http://www.w3.org/2000/svg" width="96" height="48" viewBox="0 0 96 48">'
            b'<rect width="96" height="48" fill="#0b6e4f"/><circle cx="48" cy="24" r="16" '
            b'fill="#ffffff"/></svg>')


@pytest.fixture(scope="module")
def svg_library(app, admin_headers):
    """A library whose manager uploaded an SVG logo."""
    slug = f"svg-{secrets.token_hex(3)}"
    client = app.test_client()
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
    assert res.status_code == 201, res.json
    library = res.json
    res = client.put(f"/api/tenants/{slug}/logo", data=SVG_LOGO,
                     headers={**admin_headers, "Content-Type": "application/octet-stream"})
    assert res.status_code == 200, res.json
    return library


@pytest.mark.parametrize("language", ["cs", "en"])
def test_an_svg_logo_is_drawn_served_as_svg_in_a_sandbox(site, open_page, svg_library,
                                                         language):
    """An SVG logo was sent as application/octet-stream, which browsers refuse to draw
    (ORB): it is image/svg+xml, sandboxed (no script, no request of its own)."""
    slug = svg_library["slug"]
    logo = f"/api/communities/{svg_library['community_id']}/logo"
    page = open_page(language)
    for url in (site.library(slug, "/"), site.consortium("/libraries")):
        page.goto(url)
        page.wait_for_load_state("networkidle")
        expect(page.locator(f"img[src*='{logo}']").first).to_be_attached()
        drawn = page.evaluate(LOGOS_DRAWN, logo)
        assert drawn and all(drawn), (url, drawn)
    answer = page.request.get(site.consortium(logo))  # (Node resolves no *.localhost)
    assert answer.status == 200
    assert answer.headers["content-type"].startswith("image/svg+xml")
    policy = answer.headers["content-security-policy"]
    assert "sandbox" in policy and "default-src 'none'" in policy
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert b"<circle" in answer.body()


@pytest.mark.parametrize("language,message", [
    ("cs", "Logo musí být ve formátu PNG, JPEG nebo SVG."),
    ("en", "Only PNG, JPEG or SVG logos are accepted."),
])
def test_a_refused_logo_says_why_in_the_page_language(site, open_page, app, make_library,
                                                      language, message):
    """The library's manager uploads a GIF (named .png, as the uploader wants) as the logo
    on the library's settings page: the page says why it was refused, in its language
    (it showed only "A validation error occurred.")."""
    from browsing import log_in, png

    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "manager")
    page.watch.expect(r"/api/communities/[^/]+/logo$", 400)
    log_in(page, base, library.manager)
    page.goto(f"{base}/communities/{library.slug}/settings")
    page.wait_for_load_state("networkidle")
    gif = b"GIF89a" + png(4, 4, (0, 0, 0))[8:]
    page.locator("input[type=file]").first.set_input_files(
        files=[{"name": "logo.png", "mimeType": "image/png", "buffer": gif}])
    expect(page.get_by_text(message).first).to_be_visible()
