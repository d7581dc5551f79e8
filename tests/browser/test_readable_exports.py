"""Machine formats a person may open in a browser: the DataCite export of a work without
a DOI and the OAI-PMH endpoint are pages in the person's language, while API clients
and harvesters get JSON and XML as before."""

import secrets

import pytest
import requests
from lxml import etree
from playwright.sync_api import expect

from browsing import axe
from helpers import deposit, publish_in_library

OAI = {"o": "http://www.openarchives.org/OAI/2.0/"}
TEXT = {
    "cs": {"no_export": "Export DataCite není k dispozici",
           "reason": "Toto dílo nemá DOI, a tedy ani metadata DataCite.",
           "back": "Zpět na dílo", "oai": "Rozhraní OAI-PMH: Knihovna {slug}",
           "about": "O repozitáři", "formats": "Formáty metadat"},
    "en": {"no_export": "No DataCite export",
           "reason": "This work has no DOI, so it has no DataCite metadata.",
           "back": "Back to the work", "oai": "OAI-PMH interface of Library {slug}",
           "about": "About the repository", "formats": "Metadata formats"},
}


@pytest.fixture(scope="module")
def work(app, make_tenant):
    """A published work of a library without a DataCite account (so without a DOI):
    (tenant JSON, record id, title)."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("exp")
    title = f"Kronika bez DOI {secrets.token_hex(3)}"
    client = app.test_client()
    draft = deposit(client, people["depositors"], tenant["community_id"], title=title)
    record = publish_in_library(client, people, tenant["community_id"], draft["id"])
    assert "doi" not in record["pids"]
    current_rdm_records_service.indexer.refresh()
    return tenant, record["id"], title


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_datacite_export_of_a_work_without_a_doi_is_a_page_for_a_browser(
    site, open_page, work, language
):
    tenant, record_id, title = work
    text = TEXT[language]
    page = open_page(language)
    url = site.library(tenant["slug"], f"/records/{record_id}/export/datacite-json")
    page.watch.expect(r"/export/datacite-json$", 406)  # the page says why
    response = page.goto(url)
    assert response.status == 406
    assert response.headers["content-type"].startswith("text/html")
    expect(page.get_by_role("heading", level=1)).to_have_text(text["no_export"])
    expect(page.locator("#no-doi-export .message")).to_have_text(text["reason"])
    assert "\\u" not in page.locator("body").inner_text()
    expect(page.get_by_role("link", name="Dublin Core XML")).to_have_attribute(
        "href", f"/records/{record_id}/export/dublincore")
    assert axe(page) == []
    page.get_by_role("link", name=text["back"]).click()
    expect(page.get_by_role("heading", name=title, level=1)).to_be_visible()

    # API clients still get the JSON message.
    res = requests.get(site.consortium(f"/records/{record_id}/export/datacite-json"),
                       headers={"Accept": "application/json", "Accept-Language": language},
                       timeout=30)
    assert res.status_code == 406
    assert res.json()["message"].startswith(text["reason"][:20])


@pytest.mark.parametrize("language", ["cs", "en"])
def test_oai_pmh_is_a_readable_page_in_a_browser_and_xml_for_harvesters(
    site, open_page, work, language
):
    tenant, record_id, title = work
    text = TEXT[language]
    slug = tenant["slug"]
    page = open_page(language)
    page.goto(site.library(slug, "/oai2d?verb=ListRecords&metadataPrefix=oai_dc"))
    expect(page.get_by_role("heading", level=1)).to_have_text(text["oai"].format(slug=slug))
    expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    assert page.evaluate("() => document.documentElement.lang") == language
    assert axe(page) == []
    page.get_by_role("link", name=text["about"]).click()
    expect(page.get_by_role("heading", name=text["about"], level=2)).to_be_visible()
    page.get_by_role("link", name=text["formats"]).click()
    expect(page.get_by_role("link", name="oai_dc", exact=True)).to_be_visible()

    # Harvesters: the XML, whether they send no Accept, */* or an XML type.
    query = f"/oai2d/{slug}?verb=ListRecords&metadataPrefix=oai_dc"
    bodies = []
    for accept in (None, "*/*", "text/xml", "application/xml, text/html;q=0.5"):
        res = requests.get(site.consortium(query), timeout=30,
                           headers={"Accept": accept} if accept else {})
        assert res.status_code == 200
        assert res.headers["Content-Type"] == "text/xml; charset=utf-8", accept
        assert "Accept" in res.headers["Vary"]
        document = etree.fromstring(res.content)
        assert document.find(".//o:record//o:identifier", OAI).text.endswith(record_id)
        bodies.append(res.content.split(b"<request", 1)[1])  # all but the responseDate
    assert len(set(bodies)) == 1
