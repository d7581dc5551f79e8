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
