"""The shared catalogue in a real browser: each search result names its work's library."""

import re
import secrets

import pytest
from playwright.sync_api import expect

from helpers import deposit, publish_in_library


@pytest.fixture(scope="module")
def published_work(app, make_tenant):
    """A library with a published work and a published open educational resource;
    returns (tenant JSON, the work's title, the OER's title)."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("cat")
    title = f"Herbář {secrets.token_hex(3)}"
    client = app.test_client()
    draft = deposit(client, people["depositors"], tenant["community_id"], title=title)
    publish_in_library(client, people, tenant["community_id"], draft["id"])
    oer_title = f"Výukový kurz {secrets.token_hex(3)}"
    draft = deposit(client, people["depositors"], tenant["community_id"], title=oer_title,
                    changes={"metadata": {"resource_type": {"id": "oer"}}})
    publish_in_library(client, people, tenant["community_id"], draft["id"])
    current_rdm_records_service.indexer.refresh()
    return tenant, title, oer_title


@pytest.mark.parametrize("language", ["cs", "en"])
def test_search_results_name_the_works_library_on_the_consortium_and_library_hosts(
    site, open_page, published_work, language
):
    tenant, title, _oer_title = published_work
    slug = tenant["slug"]
    page = open_page(language)
    for url in (site.consortium(f"/search?q=%22{title}%22"),
                site.library(slug, f"/search?q=%22{title}%22")):
        page.goto(url)
        item = page.locator(".item", has=page.get_by_role("link", name=title))
        expect(item).to_have_count(1)
        library = item.locator(".work-library")
        expect(library).to_have_text(
            f"{'Knihovna' if language == 'cs' else 'Library'}: {tenant['names'][language]}")
        expect(library.get_by_role("link")).to_have_attribute("href", site.library(slug, "/"))
        # the work's own address is on its library's host, from either host
        link = item.get_by_role("link", name=title)
        expect(link).to_have_attribute("href", re.compile(
            "^" + re.escape(site.library(slug, "/records/")) + r"[a-z0-9]{5}-[a-z0-9]{5}$"))
    assert "/communities/" in page.url  # the library's host searches its collection
    link.click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()


def test_the_front_pages_saved_search_finds_the_open_educational_resources(
    site, open_page, published_work
):
    _tenant, title, oer_title = published_work
    page = open_page("cs")
    page.goto(site.consortium("/"))
    page.get_by_role("link", name="Výukové materiály všech členských knihoven").click()
    expect(page.get_by_role("link", name=oer_title)).to_be_visible()
    expect(page.get_by_role("link", name=title)).to_have_count(0)
    assert "f=resource_type%3Aoer" in page.url or "f=resource_type:oer" in page.url


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_front_pages_recent_uploads_name_each_works_library(
    site, open_page, published_work, language
):
    tenant, title, oer_title = published_work
    page = open_page(language)
    page.goto(site.consortium("/"))
    for work in (oer_title, title):  # the newest two works of the platform
        item = page.locator("#records-list .item", has=page.get_by_role("link", name=work))
        expect(item).to_have_count(1)
        library = item.locator(".work-library")
        expect(library).to_have_text(
            f"{'Knihovna' if language == 'cs' else 'Library'}: {tenant['names'][language]}")
        expect(library.get_by_role("link")).to_have_attribute(
            "href", site.library(tenant["slug"], "/"))
        expect(item.get_by_role("link", name=work)).to_have_attribute("href", re.compile(
            "^" + re.escape(site.library(tenant["slug"], "/records/"))))
