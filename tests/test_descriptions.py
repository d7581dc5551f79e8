"""Descriptions are stored as characters: the rich editor's entities are decoded."""

import pytest

from consortium_tenants.deposits.text import decode_entities
from helpers import deposit


@pytest.mark.parametrize("written, stored", [
    ("<p>Popis d&iacute;la</p>", "<p>Popis díla</p>"),
    ("1470&ndash;1500 &#268;esko &#x17E;e", "1470–1500 Česko že"),
    ("a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;", "a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;"),
    ("&nosuchentity; &amp;iacute;", "&nosuchentity; &amp;iacute;"),
    ("bez entit", "bez entit"),
])
def test_character_entities_become_characters_markup_entities_stay(written, stored):
    assert decode_entities(written) == stored


def test_a_deposited_description_is_stored_and_found_with_its_czech_letters(client,
                                                                            make_tenant):
    tenant, people = make_tenant("text")
    headers = people["depositors"]
    draft = deposit(client, headers, tenant["community_id"], "Kronika", changes={"metadata": {
        "description": "<p>Popis d&iacute;la z let 1470&ndash;1500 &lt;v&aacute;z&gt;</p>"}})
    res = client.get(f"/api/records/{draft['id']}/draft", headers=headers)
    assert res.status_code == 200
    assert res.json["metadata"]["description"] == "<p>Popis díla z let 1470–1500 &lt;váz&gt;</p>"
    edited = {**res.json, "metadata": {**res.json["metadata"],
                                       "description": "<p>&Uacute;prava</p>"}}
    res = client.put(f"/api/records/{draft['id']}/draft", headers=headers, json=edited)
    assert res.status_code == 200, res.json
    assert res.json["metadata"]["description"] == "<p>Úprava</p>"
