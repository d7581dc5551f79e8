"""The shared catalogue: a *Library* facet in the consortium search, /libraries, and the
library named on a work's page."""

import pytest

from helpers import deposit, publish_in_library
from ui_pages import page


@pytest.fixture(scope="module")
def second_library(app, make_tenant):
    """Another library with two published works."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("second")
    client = app.test_client()
    for title in ("Mapa kraje", "Atlas ptactva"):
        draft = deposit(client, people["depositors"], tenant["community_id"], title=title)
        publish_in_library(client, people, tenant["community_id"], draft["id"])
    current_rdm_records_service.indexer.refresh()
    return tenant, people


def _facet(client, language, **args):
    res = client.get("/api/records", query_string={"size": 1, **args},
                     headers={"Accept-Language": language})
    assert res.status_code == 200, res.json
    return res.json


def test_the_consortium_search_has_a_library_facet_with_names_and_counts(
    client, library, second_library
):
    first, second = library[0], second_library[0]
    # Only these two libraries' works: the facet shows its top 10 buckets, and other tests'
    # libraries may have more works.
    ours = f'parent.communities.ids:("{first["community_id"]}" OR "{second["community_id"]}")'
    for language in ("cs", "en"):
        data = _facet(client, language, q=ours)
        assert data["aggregations"]["library"]["label"] == (
            "Knihovna" if language == "cs" else "Library")
        buckets = {b["key"]: (b["label"], b["doc_count"])
                   for b in data["aggregations"]["library"]["buckets"]}
        assert buckets[first["community_id"]] == (first["names"][language], 1)
        assert buckets[second["community_id"]] == (second["names"][language], 2)

    data = _facet(client, "en", library=second["community_id"])
    assert data["hits"]["total"] == 2
    titles = sorted(h["metadata"]["title"] for h in _facet(
        client, "en", library=second["community_id"], size=10)["hits"]["hits"])
    assert titles == ["Atlas ptactva", "Mapa kraje"]


def test_the_search_page_offers_the_library_facet(client, library):
    html = page(client, "/search", "en")
    assert "parent.communities.ids" in html  # the facet's field in the search app's config


def test_the_libraries_page_lists_each_library_with_logo_works_and_links(
    client, library, second_library
):
    first, second = library[0], second_library[0]
    english = page(client, "/libraries", "en")
    assert '<h1 id="libraries-title" class="ui header">Member libraries</h1>' in english
    assert f'src="/api/communities/{first["community_id"]}/logo"' in english
    assert f'<li class="ui card member-library" data-slug="{second["slug"]}">' in english
    assert '<span class="member-library-works">2 works</span>' in english
    assert f'href="http://{second["slug"]}.localhost:5000/"' in english
    assert second["names"]["en"] in english and second["names"]["cs"] not in english
    czech = page(client, "/libraries", "cs")
    assert "Členské knihovny" in czech and second["names"]["cs"] in czech
    assert '<span class="member-library-works">2 díla</span>' in czech
    front = page(client, "/", "en")
    assert '<a href="/libraries">Member libraries</a>' in front


def test_a_works_page_names_its_library(client, second_library, app):
    tenant = second_library[0]
    res = client.get("/api/records", query_string={"library": tenant["community_id"]})
    record_id = res.json["hits"]["hits"][0]["id"]
    html = page(client, f"/records/{record_id}", "en")
    assert tenant["names"]["en"] in html
    assert f'/communities/{tenant["slug"]}' in html


def test_open_educational_resources_are_findable_across_the_consortium(
    app, client, make_tenant, library
):
    """Two libraries' OER are in the `oer` resource type facet; the front page links to
    the consortium search filtered to them."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    third, people = make_tenant("oer")
    oer = {"metadata": {"resource_type": {"id": "oer"}}}
    titles = []
    for tenant, who in ((library[0], library[1]), (third, people)):
        title = f"Výukový modul {tenant['slug']}"
        draft = deposit(client, who["depositors"], tenant["community_id"], title=title,
                        changes=oer)
        publish_in_library(client, who, tenant["community_id"], draft["id"])
        titles.append(title)
    current_rdm_records_service.indexer.refresh()

    ours = (f'parent.communities.ids:("{library[0]["community_id"]}" OR '
            f'"{third["community_id"]}")')
    for language, label in (("cs", "Otevřený vzdělávací zdroj"),
                            ("en", "Open educational resource")):
        data = _facet(client, language, q=ours, size=10)
        buckets = {b["key"]: (b["label"], b["doc_count"])
                   for b in data["aggregations"]["resource_type"]["buckets"]}
        assert buckets["oer"] == (label, 2)
        assert buckets["publication"][1] == 1  # the library's "Kronika"
    found = _facet(client, "en", q=ours, resource_type="oer", size=10)
    assert sorted(h["metadata"]["title"] for h in found["hits"]["hits"]) == sorted(titles)

    for language, heading in (("cs", "Otevřené vzdělávací zdroje"),
                              ("en", "Open educational resources")):
        front = page(client, "/", language)
        assert f'<h2 id="consortium-oer-title" class="ui small header">{heading}</h2>' in front
        assert '<a href="/search?q=&amp;f=resource_type%3Aoer">' in front
