"""A search says how many works it found in the page's language (issue 26): Czech has
three plural forms (1 / 2–4 / 5+) where InvenioRDM wrote "nalezených výsledků" after any
number, and the number in the page's digits."""

import pytest
from playwright.sync_api import expect

from helpers import deposit, submit_review

COUNTS = {  # query → (works found, Czech, English)
    "jedinec": (1, "1 nalezený výsledek", "1 result found"),
    "trojice": (3, "3 nalezené výsledky", "3 results found"),
    "petice": (5, "5 nalezených výsledků", "5 results found"),
}


@pytest.fixture(scope="module")
def library(app, make_library):
    from invenio_rdm_records.proxies import current_rdm_records_service

    library = make_library("open", prefix="count")
    client = app.test_client()
    for number in range(1, 6):
        words = ["petice"] + (["trojice"] if number <= 3 else []) + \
            (["jedinec"] if number == 5 else [])
        draft = deposit(client, library.depositor.headers, library.community_id,
                        f"Mapa {number} {' '.join(words)}", content=None,
                        changes={"files": {"enabled": False}})
        res = submit_review(client, library.depositor.headers, draft["id"])
        assert res.status_code == 202, res.json  # an open library publishes at once
    current_rdm_records_service.indexer.refresh()
    return library


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_count_of_results_takes_the_numbers_plural(site, open_page, library, language):
    page = open_page(language, "reader")
    base = site.library(library.slug)
    for query, (found, czech, english) in COUNTS.items():
        page.goto(f"{base}/search?q={query}")
        expect(page.locator(".results-count").first).to_have_text(
            czech if language == "cs" else english)
    if language == "cs":
        expect(page.get_by_text("5 nalezené výsledky")).to_have_count(0)
