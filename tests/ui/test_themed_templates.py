"""Themed library pages render from a template cache kept per library theme."""

import re

import pytest

from helpers import deposit, publish_in_library
from ui_pages import page


@pytest.fixture(scope="module")
def two_libraries(app, make_tenant):
    """Two themed libraries with a published work each: [(tenant, record id)]."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    client, libraries = app.test_client(), []
    for prefix in ("thema", "themb"):
        tenant, people = make_tenant(prefix)
        draft = deposit(client, people["depositors"], tenant["community_id"], title=prefix)
        record = publish_in_library(client, people, tenant["community_id"], draft["id"])
        libraries.append((tenant, record["id"]))
    current_rdm_records_service.indexer.refresh()
    return libraries


def theme_css(html):
    return set(re.findall(r"/communities/([^/]+)/community-theme-\d+\.css", html))


@pytest.mark.parametrize("kept", [32, 1])
def test_each_librarys_pages_keep_its_own_theme_whatever_was_shown_before(
        app, client, two_libraries, configure, kept):
    overlays = app.jinja_env.overlay
    configure(CONSORTIUM_THEMED_ENVIRONMENTS=kept)
    overlays.size = kept
    overlays.by_brand.clear()
    try:
        for _ in range(3):  # alternating: each page after the other library's
            for tenant, record_id in two_libraries:
                host = f"{tenant['slug']}.localhost"
                for path in (f"/records/{record_id}", f"/communities/{tenant['slug']}/records"):
                    for language in ("en", "cs"):
                        html = page(client, path, language, host=host)
                        assert theme_css(html) <= {tenant["slug"], tenant["community_id"]}
                        assert theme_css(html), path
                        assert tenant["names"][language] in html
                        others = [t for t, _ in two_libraries if t is not tenant]
                        assert not [t for t in others if t["names"]["en"] in html]
        kept_brands = list(overlays.by_brand)
        assert len(kept_brands) <= kept
        assert two_libraries[-1][0]["slug"] in kept_brands  # the last one shown is kept
    finally:
        overlays.size = 32
