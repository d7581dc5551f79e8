"""Footers: the consortium's on its pages, a library's on its host, never InvenioRDM's."""

from ui_pages import page

STOCK_FOOTER = ("Chatroom", "Product page", "About InvenioRDM", "Demo site")


def test_consortium_pages_have_the_consortium_footer_not_invenio_rdms(client, library, configure):
    tenant, _ = library
    configure(CONSORTIUM_FOOTER_LIBRARIES=10_000)  # names every library of the test session
    html = page(client, "/search", "en")
    assert 'class="footer-top consortium-footer"' in html
    assert "repository@consortium.example" in html
    assert f'href="http://{tenant["slug"]}.localhost:5000/"' in html  # its libraries
    assert not [text for text in STOCK_FOOTER if text in html]
    assert html.count('class="footer-top') == 1


def test_a_library_host_has_the_librarys_footer_only(client, library):
    tenant, _ = library
    host = f"{tenant['slug']}.localhost"
    for language in ("en", "cs"):
        html = page(client, f"/communities/{tenant['slug']}/records", language, host=host)
        assert 'class="footer-top tenant-footer"' in html
        assert tenant["branding"]["footer_text"] in html
        assert f'href="mailto:{tenant["contact_email"]}"' in html
        assert 'href="http://127.0.0.1:5000/"' in html  # the consortium
        assert "consortium-footer" not in html
        assert not [text for text in STOCK_FOOTER if text in html]
        assert html.count('class="footer-top') == 1
        # the usual bottom bar, not InvenioRDM's placeholder one of themed communities
        assert "Verified community" not in html and "Privacy policy" not in html
        assert 'name="lang_code" class="ui selection dropdown"' in html


def test_a_librarys_community_header_names_it_in_the_pages_language(client, library):
    tenant, _ = library
    host = f"{tenant['slug']}.localhost"
    for language in ("en", "cs"):
        html = page(client, f"/communities/{tenant['slug']}/records", language, host=host)
        header = html[html.index("page-subheader-outer"):html.index("theme-primary")]
        other = "cs" if language == "en" else "en"
        assert tenant["names"][language] in header
        assert tenant["names"][other] not in header
