"""Czech as Czech (issue 26): a Czech page speaks Czech and writes numbers as Czech
does, an English page speaks English, on the real pages in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from browsing import log_in

SITE_NAME = {"cs": "Repozitář knihovního konsorcia", "en": "Library Consortium Repository"}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_consortium_logo_has_no_words_and_its_name_is_in_the_page_language(
        site, open_page, language):
    """The logo's SVG said "Library Consortium" on Czech pages too: an image's words
    cannot be translated, so the logo is a mark and the name beside it is text."""
    page = open_page(language)
    page.goto(site.consortium("/"))
    brand = page.locator("#invenio-nav .consortium-brand")
    expect(brand).to_have_text(SITE_NAME[language])
    other = SITE_NAME["en" if language == "cs" else "cs"]
    assert other not in page.locator("header").inner_text()
    logo = brand.locator("img")
    answer = page.request.get(site.consortium(logo.get_attribute("src")))
    assert answer.status == 200 and b"<svg" in answer.body()
    assert b"<text" not in answer.body()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", logo.element_handle())


SIZE = re.compile(r"\d+([.,])\d (?:kB|MB|GB|TB)")


@pytest.mark.parametrize("language,separator", [("cs", ","), ("en", ".")])
def test_sizes_are_written_as_the_page_language_writes_numbers(site, open_page, make_library,
                                                               language, separator):
    """A library's storage page said "50.0 GB" on Czech pages: "50,0 GB"."""
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "manager")
    log_in(page, base, library.manager)
    page.goto(f"{base}/libraries/{library.slug}/storage")
    text = page.locator("main, #main, body").first.inner_text()
    separators = {match.group(1) for match in SIZE.finditer(text)}
    assert separators == {separator}, text
