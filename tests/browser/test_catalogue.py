"""The shared catalogue in a real browser: each search result names its work's library."""

import secrets

import pytest
from playwright.sync_api import expect

from helpers import deposit, publish_in_library


@pytest.fixture(scope="module")
def published_work(app, make_tenant):
    """A library with one published work; returns (tenant JSON, the work's title)."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("cat")
    title = f"Herbář {secrets.token_hex(3)}"
    client = app.test_client()
    draft = deposit(client, people["depositors"], tenant["community_id"], title=title)
    publish_in_library(client, people, tenant["community_id"], draft["id"])
    current_rdm_records_service.indexer.refresh()
    return tenant, title


@pytest.mark.parametrize("language", ["cs", "en"])
def test_search_results_name_the_works_library_on_the_consortium_and_library_hosts(
    site, open_page, published_work, language
):
    tenant, title = published_work
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
    assert "/communities/" in page.url  # the library's host searches its collection
