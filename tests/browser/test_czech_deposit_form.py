"""Czech as Czech on InvenioRDM's deposit form: the instance corrects the upstream
catalogue where it asks the wrong question or leaves English placeholders."""

import pytest
from playwright.sync_api import expect

from browsing import log_in


@pytest.mark.parametrize("language,asked,wrong", [
    ("cs", "Máte již pro tento záznam DOI?", "Opravdu máte"),
    ("en", "Do you already have a DOI for this upload?", "Opravdu máte"),
])
def test_the_doi_question_asks_whether_the_depositor_has_one(site, open_page, make_library,
                                                             language, asked, wrong):
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    page.goto(f"{base}/uploads/new")
    expect(page.get_by_text(asked).first).to_be_visible()
    assert wrong not in page.content()
    if language == "cs":
        assert "DATE/DATE" not in page.content()
