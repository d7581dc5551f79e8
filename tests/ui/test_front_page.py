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


def test_front_page_lists_each_library_with_logo_name_works_and_its_own_site(client, library):
    tenant, _ = library
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
