"""Upstream Czech strings corrected in the instance's catalogue (React, i18next).

The search facets' date range read "2020 komu 2025" ("to" as in "to whom") and
its help text "e.g. 2025 or 2025-03-15" stayed English on Czech pages.
"""

import re


def _scripts_of(client, path):
    """The JavaScript the page at PATH loads (its bundles), as one text."""
    html = client.get(path, headers={"Accept-Language": "cs"}).get_data(as_text=True)
    sources = re.findall(r'<script[^>]+src="(/static/dist/js/[^"]+)"', html)
    assert sources, "the page loads no bundles"
    texts = []
    for source in sources:
        res = client.get(source)
        assert res.status_code == 200, source
        texts.append(res.get_data(as_text=True))
        res.close()
    return "\n".join(texts)


def test_the_search_pages_bundles_carry_the_corrected_czech_date_range_words(client):
    scripts = _scripts_of(client, "/search")
    assert '"to":"do"' in scripts
    assert "např. 2025 nebo 2025-03-15" in scripts
