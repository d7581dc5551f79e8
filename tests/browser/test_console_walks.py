"""No script error on the way to the administration and through it, nor on the
curators' request page however its window and tabs change (issue 26 item 10), and
the panels' success messages shown where the action happened, as a sentence in the
page's language. Every console error of these pages fails the test (conftest), and
so does every uncaught script error (page errors, which the console does not show)."""

import re

import pytest
from playwright.sync_api import expect

from browsing import library_with_a_submission, log_in

ACCOUNT_MENU = "#user-profile-dropdown-btn"
ADMIN_ITEM = ('#user-profile-menu a.item[href$="/administration"], '
              '#user-profile-menu a.item[href$="/administration/"]')


@pytest.fixture(scope="module")
def collection(app, make_library):
    return library_with_a_submission(app, make_library, "walks", "Mapy Jeseníků",
                                     "Plány Olomouce čekají")


def _choose_in_account_menu(page, item):
    page.locator(ACCOUNT_MENU).click()
    expect(page.locator(item)).to_be_visible()
    page.locator(item).click()


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_administration_is_reached_and_walked_from_the_account_menu_without_errors(
        site, open_page, platform_admin, collection, language):
    page = open_page(language, "admin")
    page.watch.watch_uncaught_errors()
    log_in(page, site.consortium(), platform_admin)
    page.goto(site.consortium("/"))
    _choose_in_account_menu(page, ADMIN_ITEM)  # from the site's menu
    page.wait_for_url(re.compile(r"/administration/?$"))
    page.wait_for_load_state("networkidle")

    sidebar = page.locator("#admin-side-menu a.item[href]")
    pages = sorted({sidebar.nth(i).get_attribute("href") for i in range(sidebar.count())})
    assert any(p.endswith("/administration/tenants") for p in pages), pages
    for path in pages:
        page.goto(site.consortium(path) if path.startswith("/") else path)
        page.wait_for_load_state("networkidle")
        expect(page.locator("#admin-main-content")).to_be_visible()
        _choose_in_account_menu(page, ADMIN_ITEM)  # the administration's own menu
        page.wait_for_url(re.compile(r"/administration/?$"))
        page.wait_for_load_state("networkidle")


SAVED = {
    "cs": "Přihlášení přes instituce pro knihovnu {slug} bylo uloženo.",
    "en": "Login through institutions for library {slug} was saved.",
}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_panel_says_what_it_did_on_the_panel_in_the_page_language(
        site, open_page, consortium_admin, collection, language):
    page = open_page(language, "admin")
    log_in(page, site.consortium(), consortium_admin)
    page.goto(site.consortium(f"/administration/consortium-sso?edit={collection.slug}"))
    page.locator("form:has(#sso-rules) button[type=submit]").click()
    page.wait_for_load_state("networkidle")
    assert "/administration/consortium-sso" in page.url
    flashed = page.locator(".message.flashed")
    expect(flashed).to_have_text(SAVED[language].format(slug=collection.slug))
    page.goto(site.consortium("/libraries"))  # shown once, where it happened: not later
    expect(page.get_by_text(SAVED[language].format(slug=collection.slug))).to_have_count(0)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_request_page_has_no_script_error_across_widths_tabs_dialogs_and_reloads(
        site, open_page, collection, language):
    base = site.library(collection.slug)
    page = open_page(language, "curator")
    page.watch.watch_uncaught_errors()
    # the test deposit's work.pdf is no PDF: the preview of the record tab says so
    page.watch.expect_uncaught("InvalidPDFException")
    log_in(page, base, collection.curator)
    page.goto(f"{base}/me/requests/{collection.request_id}")
    page.wait_for_load_state("networkidle")
    expect(page.locator(".tox-tinymce").first).to_be_visible()  # the comment editor
    for width in (375, 768, 1280, 1920):
        page.set_viewport_size({"width": width, "height": 900})
        page.wait_for_timeout(300)
    tabs = page.get_by_role("tab")
    for i in range(tabs.count()):
        if tabs.nth(i).is_visible():
            tabs.nth(i).click()
            page.wait_for_load_state("networkidle")
            page.set_viewport_size({"width": 600 + 100 * i, "height": 900})
            page.wait_for_timeout(300)
    if tabs.count():
        tabs.first.click()
    accept = page.get_by_role("button", name=re.compile(r"^(Schválit|Accept and publish)")).first
    accept.click()
    expect(page.locator(".ui.modal")).to_be_visible()
    page.set_viewport_size({"width": 900, "height": 700})
    page.wait_for_timeout(300)
    page.locator(".ui.modal .actions").get_by_role(
        "button", name=re.compile("Stornovat|Cancel")).click()
    expect(page.locator(".ui.modal")).to_have_count(0)
    page.set_viewport_size({"width": 1100, "height": 900})
    page.wait_for_timeout(300)
    page.reload()
    page.wait_for_load_state("networkidle")
    page.set_viewport_size({"width": 375, "height": 800})
    page.wait_for_timeout(500)
