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


@pytest.mark.parametrize("language,names,english", [
    ("cs", ["Tučné", "Kurzíva", "Odrážky", "Číslovaný seznam"], ["Bold", "Italic"]),
    ("en", ["Bold", "Italic", "Bullet list", "Numbered list"], ["Tučné"]),
])
def test_the_rich_editor_speaks_the_page_language(site, open_page, make_library, language,
                                                  names, english):
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    page.goto(f"{base}/uploads/new")
    toolbar = page.locator(".tox-tinymce").first
    for name in names:
        expect(toolbar.get_by_role("button", name=name, exact=True).first).to_be_attached()
    for name in english:
        expect(toolbar.get_by_role("button", name=name, exact=True)).to_have_count(0)
    block = "Odstavec" if language == "cs" else "Paragraph"
    expect(page.locator(".tox-tbtn--select").first).to_contain_text(block)
    chooser = "Blok Odstavec" if language == "cs" else "Block Paragraph"
    expect(page.locator(".tox-tbtn--select").first).to_have_attribute("aria-label", chooser)
