"""A library's managers and curators reach their pages from the library's own site.

Walked as each person does: open the library's home on its host, follow the links
of the library's bar (and the account menu's "Manage <library>"), and every link
opens (200, never 403); a page's tabs show the same set. Someone without a role
sees none. Czech and English labels.
"""

import re

import pytest

from helpers import browser_of

PAGES_OF = {
    "managers": {"dashboard", "submissions", "workflow", "storage", "stats", "dois", "sso",
                 "oa", "embargoes", "statements", "kramerius", "imports"},
    "curators": {"submissions", "stats", "oa", "embargoes"},
    "depositors": set(),
}
LABELS = {
    "en": {"dashboard": "Dashboard", "statements": "Statements", "stats": "Statistics"},
    "cs": {"statements": "Vyúčtování", "sso": "Přihlášení přes instituce"},
}


def bar_links(html):
    """{page key: url} of the library bar's administration links."""
    nav = re.search(r'<nav class="tenant-admin".*?</nav>', html, re.S)
    if nav is None:
        return {}
    return dict((key, url) for url, key in
                re.findall(r'<a href="([^"]+)" data-page="([^"]+)"', nav.group(0)))


@pytest.mark.parametrize("role", sorted(PAGES_OF))
def test_each_person_reaches_the_pages_they_may_open(app, library, role):
    tenant, people = library
    slug = tenant["slug"]
    host = f"http://{slug}.localhost"
    browser = browser_of(app, people[f"{role}_user"], base_url=host)
    for language in ("en", "cs"):
        home = browser.get(f"/communities/{slug}/", base_url=host,
                           headers={"Accept-Language": language})
        assert home.status_code == 200
        html = home.get_data(as_text=True)
        links = bar_links(html)
        assert set(links) == PAGES_OF[role], (role, language, links)
        for key, label in LABELS[language].items():
            if key in links:
                assert f'data-page="{key}">{label}</a>' in html
        menu = re.findall(r'class="item manage-library" href="([^"]+)"\s+'
                          r'(?:tabindex="-1"\s+)?data-tenant="([^"]+)"', html)
        if PAGES_OF[role]:
            assert {tenant_slug for _, tenant_slug in menu} == {slug}
            assert all(url in links.values() for url, _ in menu)
            assert ("Spravovat " if language == "cs" else "Manage ") + tenant["short_name"] in html
        else:
            assert menu == [] and "Library administration" not in html
        for key, url in links.items():
            page = browser.get(url, base_url=host, headers={"Accept-Language": language})
            assert page.status_code == 200, (role, key, url, page.status_code)
            if key == "statements":
                continue  # the printable statement has no tabs
            nav = re.search(r'<nav class="ui secondary pointing stackable menu library-nav".*?</nav>',
                            page.get_data(as_text=True), re.S)
            tabs = set(re.findall(r'data-page="([a-z]+)"', nav.group(0))) if nav else set()
            if len(PAGES_OF[role]) > 1:
                assert tabs == PAGES_OF[role], (role, key, tabs)


def test_another_librarys_staff_see_no_links_here(app, library, make_tenant):
    tenant, _ = library
    _, other_people = make_tenant("other")
    host = f"http://{tenant['slug']}.localhost"
    browser = browser_of(app, other_people["managers_user"], base_url=host)
    html = browser.get(f"/communities/{tenant['slug']}/", base_url=host).get_data(as_text=True)
    assert bar_links(html) == {}
    # ...but their own library is in their account menu
    assert re.search(r'class="item manage-library"[^>]*data-tenant="other-', html)
