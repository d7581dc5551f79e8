"""The instance's React parts read their Czech from their i18next catalogue
(assets/translations/consortium/messages/cs/translations.json), not from
`document.documentElement.lang` branches in the code."""

import json
import re

from helpers import ROOT

CATALOGUE = ROOT / "assets" / "translations" / "consortium" / "messages" / "cs" / "translations.json"


def _bundles_of(client, path):
    """The JavaScript the page at PATH loads, as one text."""
    html = client.get(path, headers={"Accept-Language": "cs"}).get_data(as_text=True)
    texts = []
    for source in re.findall(r'<script[^>]+src="(/static/dist/js/[^"]+)"', html):
        res = client.get(source)
        assert res.status_code == 200, source
        texts.append(res.get_data(as_text=True))
        res.close()
    return "\n".join(texts)


def _unescaped(script):
    """SCRIPT with the bundler's \\xNN and \\uNNNN escapes decoded."""
    return re.sub(r"\\(?:x([0-9a-f]{2})|u([0-9a-f]{4}))",
                  lambda m: chr(int(m.group(1) or m.group(2), 16)), script)


def test_the_search_pages_bundles_carry_the_consortium_catalogue(client):
    scripts = _unescaped(_bundles_of(client, "/search"))
    catalogue = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    assert catalogue["Year"] == "Rok" and catalogue["Ask for changes"] == "Vrátit k úpravám"
    for msgid, czech in catalogue.items():
        assert f'"{msgid}":"{czech}"' in scripts, msgid
    assert "documentElement.lang" not in scripts  # no language branches of our own
