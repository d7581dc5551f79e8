"""Layout at the widths people use: these pages of the journeys do not scroll sideways
on a 375 px phone, and the dashboards' wide tables scroll inside their own box at
1280 px, not the page."""

import secrets

import pytest
from playwright.sync_api import expect

from browsing import MEDIATED_RULES, axe, log_in
from helpers import deposit, submit_review, tenant_payload

PHONE = {"width": 375, "height": 800}
SIDEWAYS = "() => document.documentElement.scrollWidth - window.innerWidth"
PAST_THE_EDGE = """() => [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
    .filter(el => el.matches('img, svg, input, select, button, textarea, a')
                  || [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
    .filter(el => getComputedStyle(el).visibility !== 'hidden' && el.getClientRects().length)
    .map(el => `${el.tagName}#${el.id}.${el.className}`)"""
"""Text, images and controls that reach past the window's right edge."""


@pytest.fixture(scope="module")
def phone_library(app, make_library, admin_headers):
    """A mediated library with a published work and a submission waiting."""
    library = make_library("mediated", MEDIATED_RULES, prefix="phone")
    client = app.test_client()
    changes = {"metadata": {"description": "Popis.", "subjects": [{"subject": "mapy"}],
                            "rights": [{"id": "cc-by-4.0"}]},
               "custom_fields": {"consortium:deposit_agreement": True}}
    published = deposit(client, library.curator.headers, library.community_id,
                        "Mapy na telefonu", changes=changes)
    res = submit_review(client, library.curator.headers, published["id"])
    assert res.status_code == 202 and res.json["status"] == "accepted", res.json
    waiting = deposit(client, library.depositor.headers, library.community_id,
                      "Mapy čekají", changes=changes)
    res = submit_review(client, library.depositor.headers, waiting["id"])
    assert res.status_code == 202, res.json
    library.record_id, library.request_id = published["id"], res.json["id"]
    # a member whose name has one long word, as on /libraries in a full run (58 px too wide)
    slug = f"long-{secrets.token_hex(3)}"
    word = "Vědeckotechnickoinformačněknihovnickéhospracovatelského"
    res = client.post("/api/tenants", headers=admin_headers,
                      json=tenant_payload(slug, names={"cs": f"{word} {slug}",
                                                       "en": f"{word} {slug}"}))
    assert res.status_code == 201, res.json
    return library


@pytest.mark.parametrize("language", ["cs", "en"])
def test_no_page_of_the_journeys_scrolls_sideways_on_a_phone(site, open_page, phone_library,
                                                             language):
    library = phone_library
    base = site.library(library.slug)
    visitor = open_page(language, "visitor")
    visitor.set_viewport_size(PHONE)
    depositor = open_page(language, "depositor")
    depositor.set_viewport_size(PHONE)
    log_in(depositor, base, library.depositor)
    pages = [
        (visitor, site.consortium("/")), (visitor, site.consortium("/libraries")),
        (visitor, site.consortium("/search")),
        (visitor, site.consortium("/login/")), (visitor, f"{base}/login/"),
        (visitor, f"{base}/"), (visitor, f"{base}/communities/{library.slug}/records"),
        (visitor, f"{base}/records/{library.record_id}"),
        (depositor, f"{base}/uploads/new"), (depositor, f"{base}/me/uploads"),
        (depositor, f"{base}/me/requests/{library.request_id}"),
    ]
    wide = {}
    for page, url in pages:
        page.goto(url)
        page.wait_for_load_state("networkidle")
        extra, cut = page.evaluate(SIDEWAYS), page.evaluate(PAST_THE_EDGE)
        if extra > 0 or cut:
            wide[url] = (extra, cut)
    assert wide == {}


def test_the_consortium_dashboard_table_scrolls_in_its_box_at_1280_px(site, open_page,
                                                                      consortium_admin,
                                                                      phone_library):
    page = open_page("en", "admin")
    log_in(page, site.consortium(), consortium_admin)
    page.goto(site.consortium("/administration/consortium-dashboard"))
    box = page.get_by_role("region", name="Storage, deposits and use per library")
    expect(box.locator("table.consortium-dashboard-table")).to_be_visible()
    assert page.evaluate(SIDEWAYS) <= 0, page.evaluate(PAST_THE_EDGE)
    assert box.evaluate("box => box.scrollWidth > box.clientWidth")  # its columns scroll
    assert axe(page) == []
