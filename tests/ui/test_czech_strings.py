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


def test_czech_plurals_of_five_and_more_are_czech(app):
    """The instance's catalogue is merged with InvenioRDM's, whose Czech plural rule has
    four forms (the last for 5 and more); with a three-form rule of its own, '5 works'
    stayed English on Czech pages."""
    from flask_babel import ngettext

    with app.test_request_context("/", headers={"Accept-Language": "cs"}):
        forms = {n: ngettext("%(num)d work", "%(num)d works", n) for n in (1, 3, 5, 22, 167)}
        libraries = ngettext("All %(num)d member library", "All %(num)d member libraries", 167)
    assert forms == {1: "1 dílo", 3: "3 díla", 5: "5 děl", 22: "22 děl", 167: "167 děl"}
    assert libraries == "Všech 167 členských knihoven"


def test_the_instance_catalogue_corrects_the_packages_czech(app):
    """The instance's catalogue was merged first, so every package translating the same
    msgid won: InvenioRDM's "Status" stayed on Czech administration lists, "Stornovat"
    where the instance says "Zrušit". Its corrections win; its other words stay."""
    from flask_babel import gettext

    with app.test_request_context("/", headers={"Accept-Language": "cs"}):
        words = {msgid: gettext(msgid) for msgid in ("Status", "Cancel", "Related works",
                                                     "Log in", "Slug (address name)")}
    assert words == {"Status": "Stav", "Cancel": "Zrušit", "Related works": "Související díla",
                     "Log in": "Přihlásit se", "Slug (address name)": "Zkratka v adrese (slug)"}


# Where the curators' action is named on a page: its button, the request's state, the
# timeline, the flash after it, the deposit form's notice (React and Python catalogues);
# the depositor's e-mail (subject and text) and the workflow's description.
ACTION_NAMES = {
    "react": ("Ask for changes", "Ask the depositor for changes", "Changes requested",
              "asked for changes"),
    "python": ("The depositor was asked for changes.", "The curators asked for changes",
               "Changes requested for '%(title)s'",
               "The curators of %(library)s ask you to change your deposit \"%(title)s\" "
               "before it is published:",
               "The curators of *%(library)s* ask you to change your deposit *%(title)s*:",
               "The library's curators review each deposit: they accept it, decline it or "
               "ask for changes."),
}


def test_the_curators_action_has_one_name_on_every_page(app):
    """The button said "Vrátit k úpravám" and the timeline beside it "požádal(a) o
    úpravy": one action, two names. Each place names it "… k úpravám"."""
    import json

    from flask_babel import gettext

    from helpers import ROOT

    react = json.loads((ROOT / "assets" / "translations" / "consortium" / "messages" / "cs"
                        / "translations.json").read_text(encoding="utf-8"))
    with app.test_request_context("/", headers={"Accept-Language": "cs"}):
        python = {msgid: gettext(msgid) for msgid in ACTION_NAMES["python"]}
    names = {**{msgid: react[msgid] for msgid in ACTION_NAMES["react"]}, **python}
    assert {msgid: "k úpravám" in name for msgid, name in names.items()} == \
        {msgid: True for msgid in names}, names
