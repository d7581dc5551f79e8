"""The consortium's front page: what the consortium is, its libraries, a search box."""

import re

from ui_pages import page


def test_front_page_says_what_the_consortium_is_in_czech_and_english(client):
    english = page(client, "/", "en")
    assert "About the consortium" in english
    assert "a shared institutional repository of Czech libraries" in english
    czech = page(client, "/", "cs")
    assert "O konsorciu" in czech
    assert "společný institucionální repozitář českých knihoven" in czech


def test_front_page_lists_each_library_with_logo_name_works_and_its_own_site(
        client, library, configure):
    tenant, _ = library
    configure(CONSORTIUM_FRONTPAGE_LIBRARIES=10_000)  # every library of the test session
    slug, community = tenant["slug"], tenant["community_id"]
    html = page(client, "/", "en")
    card = re.search(rf'<li class="ui card member-library" data-slug="{slug}">(.*?)</li>',
                     html, re.S)
    assert card, html[:2000]
    card = card.group(1)
    assert f'src="/api/communities/{community}/logo"' in card
    assert f'href="http://{slug}.localhost:5000/"' in card  # port of SITE_UI_URL
    assert tenant["names"]["en"] in card and tenant["names"]["cs"] not in card
    assert "1 work" in card
    czech = page(client, "/", "cs")
    assert tenant["names"]["cs"] in czech
    assert "1 dílo" in czech


def test_front_page_has_a_search_box(client):
    html = page(client, "/", "en")
    form = re.search(r'<form action="/search"[^>]*role="search">(.*?)</form>', html, re.S)
    assert form and 'name="q"' in form.group(1)


def cards(html):
    """slug → works of the library cards on a page."""
    found = re.findall(r'<li class="ui card member-library" data-slug="([^"]+)">.*?'
                       r'class="member-library-works">(\d+) ', html, re.S)
    return {slug: int(works) for slug, works in found}


def test_with_more_libraries_than_it_shows_the_front_page_shows_the_busiest_and_links_all(
        client, library, configure, make_tenant):
    for _ in range(4):
        make_tenant("quiet")  # libraries without works: 5 and more, Czech's last plural form
    listed = cards(page(client, "/libraries", "en"))
    assert library[0]["slug"] in listed and len(listed) >= 5
    configure(CONSORTIUM_FRONTPAGE_LIBRARIES=2, CONSORTIUM_FOOTER_LIBRARIES=2)
    html = page(client, "/", "en")
    shown = cards(html)
    assert len(shown) == 2
    assert sorted(shown.values()) == sorted(listed.values())[-2:]  # the most works
    assert all(listed[slug] == works for slug, works in shown.items())
    link = f'<a href="/libraries">All {len(listed)} member libraries</a>'
    assert html.count(link) == 2  # under the cards and in the footer
    assert 'class="footer-libraries"><a href="/libraries">' in html
    assert "<ul class=\"footer-libraries\">" not in html
    czech = page(client, "/", "cs")
    assert czech.count(f'<a href="/libraries">Všech {len(listed)} členských knihoven</a>') == 2


def test_a_library_logo_disappears_from_its_card_when_removed(client, make_tenant, admin_headers,
                                                              configure):
    from ui_pages import PNG_LOGO

    tenant, people = make_tenant("logo")
    slug, community = tenant["slug"], tenant["community_id"]
    configure(CONSORTIUM_FRONTPAGE_LIBRARIES=10_000)
    url = f"/api/tenants/{slug}/logo"
    res = client.put(url, data=PNG_LOGO,
                     headers={**admin_headers, "Content-Type": "application/octet-stream"})
    assert res.status_code == 200, res.json
    logo = f'src="/api/communities/{community}/logo"'
    assert logo in page(client, "/libraries", "en")
    removed = client.delete(f"/api/communities/{community}/logo", headers=people["managers"])
    assert removed.status_code == 204, removed.data
    html = page(client, "/libraries", "en")
    assert f'data-slug="{slug}"' in html and logo not in html
