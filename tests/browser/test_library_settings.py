"""The library's settings page (/communities/<slug>/settings, issue 26): its picture
uploader states the largest picture as the page's language writes sizes (it said
"1.00 MB" on Czech pages, and a limit the instance does not keep: logos are at most
CONSORTIUM_LOGO_MAX_SIZE), and a picture over it is refused on the page, saying why,
before anything is sent (the uploader only logged it in the console). Czech and English;
axe runs on the page in tests/browser/test_accessibility_states.py."""

import pytest
from playwright.sync_api import expect

from browsing import PNG_LOGO, log_in

LIMIT = {"cs": "Soubor musí být menší než 500,0 kB", "en": "File must be smaller than 500.0 kB"}
TOO_LARGE = {"cs": "Obrázek je větší než 500,0 kB.", "en": "The picture is larger than 500.0 kB."}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_picture_limit_is_written_in_the_page_language_and_kept_on_the_page(
        site, open_page, make_library, language):
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "manager")
    log_in(page, base, library.manager)
    page.goto(f"{base}/communities/{library.slug}/settings")
    expect(page.get_by_text(LIMIT[language], exact=True)).to_be_visible()
    assert "1.00 MB" not in page.locator("body").inner_text()

    uploads = []
    page.on("request", lambda r: uploads.append(r.url) if r.method == "PUT" else None)
    too_large = PNG_LOGO + b"\0" * 500_000
    page.locator("input[type=file]").first.set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": too_large})
    expect(page.get_by_role("alert").filter(has_text=TOO_LARGE[language])).to_be_visible()
    assert uploads == []

    # A picture within the limit still goes up (InvenioRDM's upload, the instance's checks).
    with page.expect_response(lambda r: r.url.endswith("/logo") and r.request.method == "PUT"
                              ) as answer:
        page.locator("input[type=file]").first.set_input_files(
            {"name": "logo.png", "mimeType": "image/png", "buffer": PNG_LOGO})
    assert answer.value.status == 200
    expect(page.get_by_role("alert").filter(has_text=TOO_LARGE[language])).to_have_count(0)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
