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


# What people met in the other language on these pages (issue 26). A Czech page must
# not show the English, an English page not the Czech; text, names and alternative
# texts (what a screen reader says) alike. (The consortium's name in the header is
# tested above: a work's publisher, data, may be "Library Consortium Repository". The
# jobs panel's own title, "Jobs", is still English.)
KNOWN = {
    "cs": ["Bytes", "Block Paragraph", "results found", "System", "Bold", "Italic",
           "přispěvovatel",  # a misspelling in InvenioRDM's Czech ("přispěvatel")
           # hard-coded in InvenioRDM's React parts, named through overrides
           "Close filter", "Previous item", "Next item", "First item", "Pagination Navigation",
           "Select relation", "Status",
           # the administration's users: tabs and the label of one's own row
           re.compile(r"\b(?:Active|Inactive|Blocked|You)\b")],
    "en": ["Repozitář knihovního konsorcia", "Odstavec", "Tučné", "Blok ", "Počet výsledků",
           "Systém", "Úlohy", "Zavřít filtry", "Předchozí stránka", "Vyberte vztah", "Stav",
           "Aktivní", "Neaktivní", "Zablokovaní"],
}
WORDS_ON_PAGE = """() => [document.body.innerText, ...[...document.querySelectorAll(
    '[aria-label],[title],[placeholder],[alt]')].flatMap(element =>
    ['aria-label', 'title', 'placeholder', 'alt'].map(name => element.getAttribute(name)))
    ].filter(Boolean).join('\\n')"""
ADD_AUTHOR = {"cs": "Přidat autora", "en": "Add author"}
ADD_RELATED_WORK = {"cs": "Přidejte související práci", "en": "Add related work"}


@pytest.fixture(scope="module")
def collection(app, make_library):
    from browsing import library_with_a_submission

    return library_with_a_submission(app, make_library, "czech", "Mapy Jeseníků",
                                     "Plány Olomouce čekají")


# A count in the wrong plural form: "3 nalezených výsledků" (1: nalezený, 2–4: nalezené).
WRONG_PLURAL = {"cs": re.compile(r"(?<!\d)[1-4] nalezených")}


def _other_language_words(page, language):
    page.wait_for_load_state("networkidle")
    words = page.evaluate(WORDS_ON_PAGE)
    found = [known for known in KNOWN[language] if isinstance(known, str) and known in words]
    found += [word for known in KNOWN[language] if isinstance(known, re.Pattern)
              for word in known.findall(words)]
    if language in WRONG_PLURAL:
        found += WRONG_PLURAL[language].findall(words)
    return found


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_pages_people_walk_speak_only_the_page_language(site, open_page, collection,
                                                            platform_admin, language):
    base = site.library(collection.slug)
    found = {}
    depositor = open_page(language, "depositor")
    log_in(depositor, base, collection.depositor)
    depositor.goto(f"{base}/uploads/new")
    depositor.wait_for_load_state("networkidle")
    expect(depositor.locator(".tox-tinymce").first).to_be_visible()
    depositor.get_by_role("button", name=ADD_RELATED_WORK[language]).click()
    depositor.get_by_role("button", name=ADD_AUTHOR[language]).click()
    expect(depositor.locator(".ui.modal")).to_be_visible()
    found["deposit form with the author dialog"] = _other_language_words(depositor, language)

    curator = open_page(language, "curator")
    log_in(curator, base, collection.curator)
    curator.goto(f"{base}/me/requests/{collection.request_id}")
    found["request page"] = _other_language_words(curator, language)
    curator.goto(f"{base}/search?q=")
    expect(curator.locator(".pagination").first).to_be_attached()
    found["library search"] = _other_language_words(curator, language)
    curator.goto(f"{base}/records/{collection.record_id}")
    found["record page"] = _other_language_words(curator, language)

    admin = open_page(language, "admin")
    log_in(admin, site.consortium(), platform_admin)
    for path in ("/administration/jobs", "/administration/users"):
        admin.goto(site.consortium(path))
        expect(admin.locator(".ui.vertical.menu").first).to_be_visible()
        found[path] = _other_language_words(admin, language)
    found = {page: words for page, words in found.items() if words}
    assert found == {}, found


# A person's own lists and the communities' searches: on a phone or a tablet their
# filters slide in as a sidebar with its own close button ("Close filter" on Czech
# pages, InvenioRDM's words in each layout).
PHONE = {"width": 375, "height": 800}
SEARCHES_WITH_A_SIDEBAR = ["/me/uploads", "/me/requests", "/me/communities", "/communities-search",
                           "/communities/{slug}/requests"]


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_filters_of_people_s_lists_speak_the_page_language_on_a_phone(
        site, open_page, collection, language):
    base = site.library(collection.slug)
    curator = open_page(language, "curator")
    curator.set_viewport_size(PHONE)
    log_in(curator, base, collection.curator)
    found = {}
    for path in SEARCHES_WITH_A_SIDEBAR:
        curator.goto(base + path.format(slug=collection.slug))
        curator.wait_for_load_state("networkidle")
        opener = curator.locator("button:has(i.sliders.icon)").first  # "Filter results"
        expect(opener).to_be_visible()
        opener.click()
        sidebar = curator.locator(".ui.sidebar.visible")
        expect(sidebar).to_be_visible()
        close = sidebar.locator("button:has(i.close.icon)").first
        expect(close).to_have_attribute("aria-label", {"cs": "Zavřít filtry",
                                                       "en": "Close filter"}[language])
        found[path] = _other_language_words(curator, language)
        close.click()
        expect(sidebar).to_have_count(0)
    found = {page: words for page, words in found.items() if words}
    assert found == {}, found


# A library's community has one title, its Czech name: English pages named the library in
# Czech ("Part of Knihovna …" under each search result, the request's receiver).
@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_library_is_named_in_the_page_language(site, open_page, collection, language):
    base = site.library(collection.slug)
    other_name = {"cs": f"Library {collection.slug}", "en": f"Knihovna {collection.slug}"}
    curator = open_page(language, "curator")
    log_in(curator, base, collection.curator)
    found = {}
    # (Not yet: the record page's Communities box, fetched from /api/records/<id>/communities.)
    for name, path in (("library search", "/search?q="),
                       ("request page", f"/me/requests/{collection.request_id}")):
        curator.goto(base + path)
        curator.wait_for_load_state("networkidle")
        if name == "library search":
            expect(curator.locator(".work-library").first).to_be_visible()
        words = curator.evaluate(WORDS_ON_PAGE)
        if other_name[language] in words:
            found[name] = [line for line in words.splitlines() if other_name[language] in line]
    assert found == {}, found
