"""One address per work: `/records/<id>` on its library's host is canonical on every host
(the DOI points there too); the consortium's copy of the page says where the work lives."""

import re

import pytest

from ui_pages import page


@pytest.fixture(scope="module")
def work(app, library):
    """(tenant, record id, its canonical URL) of the library's published work."""
    tenant, _people = library
    hits = app.test_client().get(f"/api/communities/{tenant['community_id']}/records").json["hits"]["hits"]
    record_id = hits[0]["id"]
    return tenant, record_id, f"http://{tenant['slug']}.localhost:5000/records/{record_id}"


def _canonical(html):
    return re.findall(r'<link rel="canonical" href="([^"]*)"', html)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_library_host_is_the_canonical_address_on_both_hosts(client, work, language):
    tenant, record_id, canonical = work
    on_library = page(client, f"/records/{record_id}", language,
                      host=f"{tenant['slug']}.localhost:5000")
    on_consortium = page(client, f"/records/{record_id}", language)
    for html in (on_library, on_consortium):
        assert _canonical(html) == [canonical]
        assert f'<meta property="og:url" content="{canonical}" />' in html
        assert f'<meta name="citation_abstract_html_url" content="{canonical}" />' in html


@pytest.mark.parametrize("language, note", [
    ("cs", "Domovem tohoto díla je jeho knihovna, Knihovna {slug}. Jeho stálá adresa:"),
    ("en", "This work's home is its library, Library {slug}. Its permanent address:"),
])
def test_the_consortium_copy_says_where_the_work_lives(client, work, language, note):
    tenant, record_id, canonical = work
    on_consortium = page(client, f"/records/{record_id}", language)
    block = re.search(r'<p class="ui info message work-home">(.*?)</p>', on_consortium, re.S)
    assert block, on_consortium[:500]
    text = " ".join(re.sub(r"<[^>]+>", " ", block.group(1)).split())
    assert text == f"{note.format(slug=tenant['slug'])} {canonical}"
    assert f'<a href="{canonical}">' in block.group(1)
    on_library = page(client, f"/records/{record_id}", language,
                      host=f"{tenant['slug']}.localhost:5000")
    assert "work-home" not in on_library
