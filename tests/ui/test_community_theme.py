"""A library's community theme style sheet (was a 500: the theme had no fonts)."""

import re

from ui_pages import page


def test_a_new_librarys_theme_css_answers_200_with_its_colours(client, make_tenant):
    tenant, _ = make_tenant("theme")
    slug = tenant["slug"]
    html = page(client, f"/communities/{slug}/records", "en")
    link = re.search(rf"/communities/{slug}/community-theme-(\d+)\.css", html)
    assert link, "the community page links no theme style sheet"
    res = client.get(link.group(0))
    assert res.status_code == 200
    assert res.content_type == "text/css; charset=utf-8"
    css = res.get_data(as_text=True)
    assert "background-color: #123456 !important" in css  # tenant_payload's primary colour
    assert "font-family: inherit !important" in css
    assert "color:  !important" not in css  # every colour the template reads is set
