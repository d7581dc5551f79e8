"""oai_openaire validates against the OpenAIRE Guidelines for Literature Repositories v4
schema (../shared/standards/openaire-literature-v4, with its provenance in that folder's
README): every record a library's endpoint lists — open, restricted files, embargoed, a
dataset, with and without the deposited version — and the version as COAR's term."""

from pathlib import Path

import pytest
import requests
from lxml import etree

from helpers import full_record, publish_in_library, upload

STANDARD = Path(__file__).resolve().parents[3] / "shared" / "standards" / "openaire-literature-v4"
W3C_XML = ("http://www.w3.org/2001/xml.xsd", "http://www.w3.org/2009/01/xml.xsd",
           "http://www.w3.org/2001/03/xml.xsd")
NS = {"oai": "http://www.openarchives.org/OAI/2.0/",
      "oaire": "http://namespace.openaire.eu/schema/oaire/",
      "datacite": "http://datacite.org/schema/kernel-4"}
COAR_AM = "http://purl.org/coar/version/c_ab4af688f83e57aa"


class W3CXml(etree.Resolver):
    """The W3C's xml.xsd from the standard's folder (the same file; no network)."""

    def resolve(self, url, pubid, context):
        if url in W3C_XML:
            return self.resolve_filename(str(STANDARD / "xml.xsd"), context)
        return None


@pytest.fixture(scope="module")
def openaire_schema():
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(W3CXml())
    root = etree.parse(str(STANDARD / "openaire.xsd"), parser)
    return etree.XMLSchema(root)


@pytest.fixture(scope="module")
def harvested(app, make_tenant, http_server):
    """{title: oaire:resource} of a library's oai_openaire ListRecords (all pages)."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("aire-xsd")
    client, dep = app.test_client(), people["depositors"]
    cases = {
        "otevřený, přijatý rukopis": ({"record": "public", "files": "public"},
                                      "publication-article", "accepted"),
        "soubory jen pro oprávněné": ({"record": "public", "files": "restricted"},
                                      "publication-article", None),
        "embargo do 2031": ({"record": "public", "files": "restricted",
                             "embargo": {"active": True, "until": "2031-06-30",
                                         "reason": "Nakladatel"}}, "publication-book", "published"),
        "data": ({"record": "public", "files": "public"}, "dataset", None),
    }
    for title, (access, type_id, version) in cases.items():
        body = full_record(title)
        body["access"], body["files"] = access, {"enabled": True}
        body["metadata"]["resource_type"] = {"id": type_id}
        body["custom_fields"].pop("consortium:oa_version")
        if version:
            body["custom_fields"]["consortium:oa_version"] = version
        res = client.post("/api/records", headers=dep, json=body)
        assert res.status_code == 201, res.json
        assert upload(client, dep, res.json["id"], "dilo.pdf", b"%PDF-1.4 x").status_code == 200
        publish_in_library(client, people, tenant["community_id"], res.json["id"])
    current_rdm_records_service.indexer.refresh()

    base, params, found = f"{http_server}/oai2d/{tenant['slug']}", \
        {"verb": "ListRecords", "metadataPrefix": "oai_openaire"}, {}
    while params:
        document = etree.fromstring(requests.get(base, params=params).content)
        for resource in document.iterfind(".//oaire:resource", NS):
            found[resource.findtext("datacite:titles/datacite:title", namespaces=NS)] = resource
        token = document.findtext(".//oai:resumptionToken", namespaces=NS)
        params = {"verb": "ListRecords", "resumptionToken": token} if token else None
    assert set(found) == set(cases), sorted(found)
    return found


def test_every_record_validates_against_the_openaire_schema(openaire_schema, harvested):
    for title, resource in harvested.items():
        assert openaire_schema.validate(resource), (title, openaire_schema.error_log)


def test_the_deposited_version_is_coars_term(harvested):
    accepted = harvested["otevřený, přijatý rukopis"].find("oaire:version", NS)
    assert accepted is not None and accepted.get("uri") == COAR_AM
    assert accepted.text == "Accepted Manuscript"
    assert harvested["embargo do 2031"].find("oaire:version", NS).get("uri").endswith(
        "c_970fb48d4fbd8a85")  # Version of Record
    assert harvested["data"].find("oaire:version", NS) is None  # not stated: not made up


def test_the_schema_refuses_what_openaire_refuses(openaire_schema, harvested):
    """The schema is strict enough to catch our mistakes: a version outside COAR's list,
    a contributor without its type (oai_openaire wrote none before this test)."""
    import copy

    good = harvested["otevřený, přijatý rukopis"]
    wrong_version = copy.deepcopy(good)
    wrong_version.find("oaire:version", NS).set("uri", "http://purl.org/coar/version/x")
    assert not openaire_schema.validate(wrong_version)
    no_type = copy.deepcopy(good)
    contributor = no_type.find("datacite:contributors/datacite:contributor", NS)
    assert contributor.get("contributorType") == "DataCurator"  # RDM's role datacurator
    del contributor.attrib["contributorType"]
    assert not openaire_schema.validate(no_type)
