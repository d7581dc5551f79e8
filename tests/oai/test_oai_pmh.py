"""OAI-PMH harvested over HTTP with Sickle: consortium and per-library endpoints."""

import re
import time
from pathlib import Path
from datetime import datetime, timezone

import pytest
import requests
from lxml import etree
from sickle import Sickle
from sickle.oaiexceptions import CannotDisseminateFormat, IdDoesNotExist

from helpers import minimal_record, publish_in_library, staff_browser

NS = {"oai": "http://www.openarchives.org/OAI/2.0/",
      "dc": "http://purl.org/dc/elements/1.1/"}


def _publish(client, people, community_id, title, access="public"):
    """Deposit → submit to the library → accepted by its curator; the record JSON."""
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    body["access"] = {"record": access, "files": access}
    draft = client.post("/api/records", headers=people["depositors"], json=body).json
    return publish_in_library(client, people, community_id, draft["id"])


@pytest.fixture(scope="module")
def harvest_world(app, make_tenant, make_user):
    """Library A: 5 public records, 1 restricted, 1 deleted; library B: 1 record."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service

    client = app.test_client()
    a, a_people = make_tenant("oai-a")
    b, b_people = make_tenant("oai-b")
    public = []
    for i in range(5):
        public.append(_publish(client, a_people, a["community_id"], f"Sborník {i}"))
        time.sleep(1.1)  # distinct datestamps at second granularity
    restricted = _publish(client, a_people, a["community_id"], "Neveřejné", "restricted")
    deleted = _publish(client, a_people, a["community_id"], "Smazaný záznam")
    other = _publish(client, b_people, b["community_id"], "Záznam jiné knihovny")
    admin, admin_headers = make_user()
    current_datastore.add_role_to_user(admin, "admin")
    db.session.commit()
    res = client.delete(f"/api/records/{deleted['id']}/delete", headers=admin_headers,
                        json={"removal_reason": {"id": "spam"}, "is_visible": True})
    assert res.status_code == 204, res.json
    current_rdm_records_service.indexer.refresh()
    return {"a": a, "b": b, "public": public, "restricted": restricted, "deleted": deleted,
            "other": other}


def oai_id(record):
    """The record's OAI identifier (restricted records get none minted)."""
    oai = record["pids"].get("oai") or {}
    return oai.get("identifier") or f"oai:repository.consortium.example:{record['id']}"


def sickle(base, host=None):
    kwargs = {"headers": {"Host": host}} if host else {}
    return Sickle(base, max_retries=1, **kwargs)


@pytest.fixture()
def small_pages(configure):
    configure(CONSORTIUM_OAI_PAGE_SIZE=2)


def test_identify_names_the_library_on_its_host_and_path(http_server, harvest_world):
    a = harvest_world["a"]
    port = http_server.rsplit(":", 1)[1]
    by_host = sickle(f"{http_server}/oai2d", host=f"{a['slug']}.localhost:{port}").Identify()
    by_path = sickle(f"{http_server}/oai2d/{a['slug']}").Identify()
    for identify in (by_host, by_path):
        assert identify.repositoryName == f"{a['names']['cs']} / {a['names']['en']}"
        assert identify.adminEmail == a["contact_email"]
        assert identify.deletedRecord == "persistent"
        assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert by_path.baseURL == f"{http_server}/oai2d/{a['slug']}"
    consortium = sickle(f"{http_server}/oai2d").Identify()
    assert consortium.repositoryName != by_host.repositoryName


def test_sets_follow_the_tenant_registry(http_server, harvest_world, client, admin_headers):
    a, b = harvest_world["a"], harvest_world["b"]
    specs = {s.setSpec: s.setName for s in sickle(f"{http_server}/oai2d").ListSets()}
    assert specs[a["slug"]] == f"{a['names']['cs']} / {a['names']['en']}"
    assert b["slug"] in specs
    own = [s.setSpec for s in sickle(f"{http_server}/oai2d/{a['slug']}").ListSets()]
    assert own == [a["slug"]]

    res = client.put(f"/api/tenants/{b['slug']}", headers=admin_headers,
                     json={"names": {"cs": "Přejmenovaná", "en": "Renamed"}})
    assert res.status_code == 200
    specs = {s.setSpec: s.setName for s in sickle(f"{http_server}/oai2d").ListSets()}
    assert specs[b["slug"]] == "Přejmenovaná / Renamed"

    # a library created and deleted again: its set comes and goes with it
    from helpers import tenant_payload

    slug = f"oai-gone-{b['slug'][-6:]}"
    assert client.post("/api/tenants", headers=admin_headers,
                       json=tenant_payload(slug)).status_code == 201
    assert slug in {s.setSpec for s in sickle(f"{http_server}/oai2d").ListSets()}
    assert client.delete(f"/api/tenants/{slug}", headers=admin_headers).status_code == 204
    assert slug not in {s.setSpec for s in sickle(f"{http_server}/oai2d").ListSets()}
    res = requests.get(f"{http_server}/oai2d/{slug}", params={"verb": "Identify"})
    assert res.status_code == 404


def test_full_harvest_of_a_library_pages_with_tokens(http_server, harvest_world, small_pages):
    world, a = harvest_world, harvest_world["a"]
    expected = {oai_id(r) for r in world["public"]} | {oai_id(world["deleted"])}
    for base in (f"{http_server}/oai2d/{a['slug']}", f"{http_server}/oai2d"):
        params = {"metadataPrefix": "oai_dc"}
        if base.endswith("/oai2d"):
            params["set"] = a["slug"]
        headers = list(sickle(base).ListRecords(ignore_deleted=False, **params))
        got = {r.header.identifier for r in headers}
        assert got == expected, base
        deleted = [r for r in headers if r.header.deleted]
        assert [r.header.identifier for r in deleted] == [oai_id(world["deleted"])]
        live = [r for r in headers if not r.header.deleted]
        assert all(r.header.setSpecs == [a["slug"]] for r in live)
        assert {r.metadata["title"][0] for r in live} == {f"Sborník {i}" for i in range(5)}
    assert oai_id(world["restricted"]) not in got and oai_id(world["other"]) not in got


def test_resumption_token_carries_size_cursor_and_expiry(http_server, harvest_world,
                                                         small_pages):
    a = harvest_world["a"]
    res = requests.get(f"{http_server}/oai2d/{a['slug']}",
                       params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    tree = etree.fromstring(res.content)
    token = tree.find(".//oai:resumptionToken", NS)
    assert token.get("completeListSize") == "6" and token.get("cursor") == "0"
    expires = datetime.strptime(token.get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ")
    assert (expires.replace(tzinfo=timezone.utc) - datetime.now(timezone.utc)).total_seconds() > 3600
    res = requests.get(f"{http_server}/oai2d/{a['slug']}",
                       params={"verb": "ListIdentifiers", "resumptionToken": token.text})
    second = etree.fromstring(res.content).find(".//oai:resumptionToken", NS)
    assert second.get("cursor") == "2"
    assert len(etree.fromstring(res.content).findall(".//oai:header", NS)) == 2


def test_selective_harvest_by_datestamp(http_server, harvest_world):
    world, a = harvest_world, harvest_world["a"]
    base = sickle(f"{http_server}/oai2d/{a['slug']}")
    stamps = sorted(h.datestamp for h in base.ListIdentifiers(metadataPrefix="oai_dc"))
    third = stamps[2]
    later = list(base.ListIdentifiers(metadataPrefix="oai_dc", **{"from": third}))
    assert sorted(h.datestamp for h in later) == stamps[2:]
    earlier = list(base.ListIdentifiers(metadataPrefix="oai_dc", until=third))
    assert sorted(h.datestamp for h in earlier) == stamps[:3]
    exactly = list(base.ListIdentifiers(metadataPrefix="oai_dc", **{"from": third}, until=third))
    assert [h.datestamp for h in exactly] == [third]


def test_get_record_and_formats(http_server, harvest_world):
    world, a, b = harvest_world, harvest_world["a"], harvest_world["b"]
    base = sickle(f"{http_server}/oai2d/{a['slug']}")
    record = base.GetRecord(identifier=oai_id(world["public"][0]), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Sborník 0"]
    prefixes = {f.metadataPrefix for f in base.ListMetadataFormats()}
    assert {"oai_dc", "oai_datacite", "datacite", "marcxml", "dcat"} <= prefixes
    for prefix in ("marcxml", "dcat"):
        base.GetRecord(identifier=oai_id(world["public"][1]), metadataPrefix=prefix)
    for prefix in ("oai_datacite", "datacite"):  # these libraries have no DOIs (tests/dois)
        with pytest.raises(CannotDisseminateFormat):
            base.GetRecord(identifier=oai_id(world["public"][1]), metadataPrefix=prefix)
    # another library's record does not exist on this endpoint
    with pytest.raises(IdDoesNotExist):
        base.GetRecord(identifier=oai_id(world["other"]), metadataPrefix="oai_dc")
    with pytest.raises(IdDoesNotExist):
        base.GetRecord(identifier=oai_id(world["restricted"]), metadataPrefix="oai_dc")


@pytest.mark.parametrize("params, error", [
    ({}, "badVerb"),
    ({"verb": "Harvest"}, "badVerb"),
    ({"verb": "ListRecords"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "colour": "red"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "yesterday"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-02",
      "until": "2026-01-01"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2026-01-01",
      "until": "2026-01-02T00:00:00Z"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "mods"}, "cannotDisseminateFormat"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:nope"},
     "idDoesNotExist"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no-such-set"}, "noRecordsMatch"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "1990-01-01"},
     "noRecordsMatch"),
    ({"verb": "ListRecords", "resumptionToken": "garbage"}, "badResumptionToken"),
    ({"verb": "ListRecords", "resumptionToken": "eyJhIjoxfQ.AAAAAAAAAAAAAAAAAAAAAA"},
     "badResumptionToken"),
    # empty values are badArgument, never "absent"; so are values of illegal syntax
    ({"verb": "ListRecords", "metadataPrefix": ""}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "a b"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": ""}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "a b"}, "badArgument"),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": ""}, "badArgument"),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": ""}, "badArgument"),
    ({"verb": "ListRecords", "resumptionToken": ""}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": ""}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "a b"}, "badArgument"),
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:\x01"},
     "badArgument"),
    ({"verb": "ListMetadataFormats", "identifier": ""}, "badArgument"),
    ({"verb": "Identify", "\x01": "x"}, "badArgument"),
])
def test_protocol_errors(http_server, harvest_world, params, error):
    response = sickle(f"{http_server}/oai2d/{harvest_world['a']['slug']}").harvest(**params)
    assert response.http_response.status_code == 200
    found = response.xml.find(".//{http://www.openarchives.org/OAI/2.0/}error")
    assert found is not None and found.get("code") == error, response.raw[:500]
    request = response.xml.find("{http://www.openarchives.org/OAI/2.0/}request")
    if error in ("badVerb", "badArgument"):
        assert request.attrib == {}  # the spec: no attributes echoed on these errors


def test_token_of_one_endpoint_is_refused_by_another_and_expires(
    http_server, harvest_world, small_pages, configure
):
    a, b = harvest_world["a"], harvest_world["b"]
    res = requests.get(f"{http_server}/oai2d/{a['slug']}",
                       params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    token = etree.fromstring(res.content).find(".//oai:resumptionToken", NS).text
    response = sickle(f"{http_server}/oai2d/{b['slug']}").harvest(
        verb="ListIdentifiers", resumptionToken=token)
    assert response.xml.find(".//oai:error", NS).get("code") == "badResumptionToken"
    configure(CONSORTIUM_OAI_TOKEN_TTL=-10)
    res = requests.get(f"{http_server}/oai2d/{a['slug']}",
                       params={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    expired = etree.fromstring(res.content).find(".//oai:resumptionToken", NS).text
    res = requests.get(f"{http_server}/oai2d/{a['slug']}",
                       params={"verb": "ListIdentifiers", "resumptionToken": expired})
    error = etree.fromstring(res.content).find("oai:error", NS)
    assert error.get("code") == "badResumptionToken" and "expired" in error.text


SCHEMAS = Path(__file__).parent / "schemas"
REMOTE_SCHEMAS = {  # schemaLocations inside the shipped XSDs → the local copies
    "http://dublincore.org/schemas/xmls/simpledc20021212.xsd": "simpledc20021212.xsd",
    "http://www.w3.org/2001/03/xml.xsd": "xml.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
}
NS_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"


class LocalSchemas(etree.Resolver):
    """Serve the imported schemas from tests/oai/schemas (no network)."""

    def resolve(self, url, pubid, context):
        if url in REMOTE_SCHEMAS:
            return self.resolve_filename(str(SCHEMAS / REMOTE_SCHEMAS[url]), context)
        return None


@pytest.fixture(scope="module")
def oai_schema(tmp_path_factory):
    """OAI-PMH 2.0 with oai_dc (and Simple Dublin Core): the official XSDs, combined."""
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalSchemas())
    # pyoai's copy relaxes the three wildcards (metadata, about, description) to
    # processContents="skip"; the official schema has "strict", restored here.
    envelope = (SCHEMAS / "OAI-PMH.xsd").read_text(encoding="utf-8")
    assert envelope.count('processContents="skip"') == 3
    strict = tmp_path_factory.mktemp("oai-schema") / "OAI-PMH.xsd"
    strict.write_text(envelope.replace('processContents="skip"', 'processContents="strict"'),
                      encoding="utf-8")
    driver = f"""<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/"
                 schemaLocation="{strict.as_uri()}"/>
      <xs:import namespace="http://www.openarchives.org/OAI/2.0/oai_dc/"
                 schemaLocation="{(SCHEMAS / 'oai_dc.xsd').as_uri()}"/>
    </xs:schema>"""
    return etree.XMLSchema(etree.fromstring(driver, parser, base_url=SCHEMAS.as_uri() + "/"))


def without_oai_identifier(document):
    """DOCUMENT without its oai-identifier descriptions, checked here by hand.

    The official oai-identifier.xsd is not obtainable on this machine (see
    schemas/README.md); OAI-PMH.xsd processes descriptions strictly.
    """
    for element in document.iter(f"{{{NS_ID}}}oai-identifier"):
        parts = {child.tag.split("}")[1]: child.text for child in element}
        assert parts["scheme"] == "oai" and parts["delimiter"] == ":"
        assert re.fullmatch(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+",
                            parts["repositoryIdentifier"])
        assert parts["sampleIdentifier"].startswith(f"oai:{parts['repositoryIdentifier']}:")
        description = element.getparent()
        description.getparent().remove(description)
    return document


@pytest.mark.parametrize("params", [
    {"verb": "Identify"},
    {"verb": "ListSets"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc"},
    {"verb": "ListMetadataFormats"},
    {"verb": "Nonsense"},
    {"verb": "ListRecords", "metadataPrefix": "mods"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "no-such-set"},
    {"verb": "ListRecords", "resumptionToken": "garbage"},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:nowhere:1"},
    {"verb": "ListRecords", "metadataPrefix": ""},
    {"verb": "ListRecords", "metadataPrefix": "a b"},
    {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "", "from": ""},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "a:b c"},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "not a uri"},
    {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:\x01"},
    {"verb": "ListSets", "resumptionToken": " "},
])
@pytest.mark.parametrize("endpoint", ["library", "consortium"])
def test_responses_validate_against_the_official_schemas(http_server, harvest_world, params,
                                                         endpoint, small_pages, oai_schema):
    """Envelope, oai_dc records and set descriptions validate (OAI-PMH.xsd, oai_dc.xsd)."""
    path = f"/oai2d/{harvest_world['a']['slug']}" if endpoint == "library" else "/oai2d"
    base = f"{http_server}{path}"
    res = requests.get(base, params=params)
    document = without_oai_identifier(etree.fromstring(res.content))
    assert oai_schema.validate(document), oai_schema.error_log
    if params["verb"] == "ListRecords" and "metadataPrefix" in params and "set" not in params \
            and params["metadataPrefix"] == "oai_dc":
        assert document.findall(".//oai:metadata", NS)  # records' metadata were validated
    token = document.find(".//oai:resumptionToken", NS)
    while token is not None and token.text:  # every page of a list
        res = requests.get(base, params={"verb": params["verb"], "resumptionToken": token.text})
        document = etree.fromstring(res.content)
        assert oai_schema.validate(document), oai_schema.error_log
        token = document.find(".//oai:resumptionToken", NS)


@pytest.mark.parametrize("params, echoed", [
    ({"verb": "ListRecords", "metadataPrefix": "mods"},
     {"verb": "ListRecords", "metadataPrefix": "mods"}),  # cannotDisseminateFormat
    ({"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:nope"},
     {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:x:nope"}),
    ({"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "no-such-set",
      "from": "2020-01-01"},
     {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "no-such-set",
      "from": "2020-01-01"}),  # noRecordsMatch
    ({"verb": "ListRecords", "metadataPrefix": "", "set": "x"}, {}),
    ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "until": "tomorrow"}, {}),
])
def test_request_element_echoes_only_legal_and_valid_arguments(client, harvest_world,
                                                                 params, echoed):
    res = client.get(f"/oai2d/{harvest_world['a']['slug']}", query_string=params)
    assert res.status_code == 200
    request = etree.fromstring(res.data).find("oai:request", NS)
    assert dict(request.attrib) == echoed
    assert request.text == f"http://localhost/oai2d/{harvest_world['a']['slug']}"


@pytest.fixture()
def csrf_enforced(configure):
    """The application's forms check their CSRF token (as in production)."""
    configure(WTF_CSRF_ENABLED=True)


@pytest.mark.parametrize("params", [
    {"verb": "Identify"},
    {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"},
    {"verb": "ListSets"},
])
def test_both_endpoint_forms_answer_post_without_a_csrf_token(
    client, harvest_world, csrf_enforced, oai_schema, params
):
    """OAI-PMH 2.0 §3.1.1: GET and POST (form-encoded), as pyoai's client posts."""
    a = harvest_world["a"]
    for path, headers in ((f"/oai2d/{a['slug']}", {}),
                          ("/oai2d", {"Host": f"{a['slug']}.localhost"})):
        get = client.get(path, query_string=params, headers=headers)
        post = client.post(path, data=params, headers=headers)
        assert post.status_code == 200, (path, post.get_data(as_text=True)[:300])
        assert post.content_type == "text/xml; charset=utf-8"
        document = without_oai_identifier(etree.fromstring(post.data))
        assert oai_schema.validate(document), oai_schema.error_log
        assert document.find("oai:error", NS) is None
        assert dict(document.find("oai:request", NS).attrib) == params
        strip_date = re.compile(rb"<responseDate>[^<]*</responseDate>")
        assert strip_date.sub(b"", post.data) == strip_date.sub(b"", get.data)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_an_unknown_library_is_no_repository_404(client, csrf_enforced, method):
    """Not an OAI error: the slug is part of the base URL, not an argument (§3.1.1)."""
    res = client.open("/oai2d/no-such-library", method=method,
                      **{"query_string" if method == "GET" else "data": {"verb": "Identify"}})
    assert res.status_code == 404


def test_a_harvester_posting_over_http_gets_the_records(http_server, harvest_world):
    """As pyoai does: POST with an application/x-www-form-urlencoded body."""
    a = harvest_world["a"]
    res = requests.post(f"{http_server}/oai2d/{a['slug']}",
                        data={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    assert res.status_code == 200
    assert res.request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    identifiers = {e.text for e in etree.fromstring(res.content).iterfind(
        ".//oai:header/oai:identifier", NS)}
    assert oai_id(harvest_world["public"][0]) in identifiers


def test_get_record_validates_with_its_metadata(http_server, harvest_world, oai_schema):
    record = harvest_world["public"][0]
    res = requests.get(f"{http_server}/oai2d", params={
        "verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id(record)})
    document = etree.fromstring(res.content)
    assert document.find(".//oai_dc:dc", {"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/"}) \
        is not None
    assert oai_schema.validate(document), oai_schema.error_log
    broken = etree.fromstring(res.content)  # the schema does catch a wrong element
    dc = broken.find(".//{http://www.openarchives.org/OAI/2.0/oai_dc/}dc")
    etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}shoeSize").text = "42"
    assert not oai_schema.validate(broken)


def test_collections_of_a_library_are_sub_sets(app, http_server, make_tenant, client):
    from invenio_access.permissions import system_identity
    from invenio_communities.proxies import current_communities
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("oai-sub")
    child_slug = f"rukopisy-{tenant['slug'][-6:]}"
    res = client.post("/api/communities", headers=people["managers"], json={
        "slug": child_slug, "access": {"visibility": "public"},
        "metadata": {"title": "Rukopisy", "description": "Digitalizované rukopisy"}})
    assert res.status_code == 201, res.json
    child = res.json
    current_communities.service.bulk_update_parent(
        system_identity, [child["id"]], tenant["community_id"])
    current_communities.service.indexer.refresh()
    curators = {**people, "curators": people["managers"]}  # the child's owner reviews
    in_child = _publish(client, curators, child["id"], "Rukopis z fondu")
    in_library = _publish(client, people, tenant["community_id"], "Běžný záznam")
    current_rdm_records_service.indexer.refresh()

    base = sickle(f"{http_server}/oai2d/{tenant['slug']}")
    sets = {s.setSpec: s.setName for s in base.ListSets()}
    assert sets == {tenant["slug"]: f"{tenant['names']['cs']} / {tenant['names']['en']}",
                    f"{tenant['slug']}:{child_slug}": "Rukopisy"}
    sub = list(base.ListIdentifiers(metadataPrefix="oai_dc", set=f"{tenant['slug']}:{child_slug}"))
    assert [h.identifier for h in sub] == [oai_id(in_child)]
    everything = {h.identifier for h in base.ListIdentifiers(metadataPrefix="oai_dc")}
    assert everything == {oai_id(in_child), oai_id(in_library)}
    assert f"{tenant['slug']}:{child_slug}" in sub[0].setSpecs


def test_fast_oai_dc_is_invenio_rdm_output_with_plain_text_descriptions(app, harvest_world):
    import html

    from flask import g
    from flask_principal import AnonymousIdentity
    from invenio_rdm_records.oai import dublincore_etree as rdm_dublincore
    from invenio_search import current_search_client
    from invenio_search.utils import build_alias_name

    from consortium_tenants.oai.formats import dublincore_etree
    from consortium_tenants.text import plain_text

    ids = [r["id"] for r in harvest_world["public"]]
    hits = current_search_client.search(
        index=build_alias_name("rdmrecords-records"),
        body={"query": {"terms": {"id": ids}}, "size": len(ids)})["hits"]["hits"]
    assert len(hits) == len(ids)
    with app.test_request_context("/oai2d"):
        g.identity = AnonymousIdentity()
        for hit in hits:
            rdm = rdm_dublincore(None, hit)
            for description in rdm.iter("{http://purl.org/dc/elements/1.1/}description"):
                description.text = plain_text(html.unescape(description.text))
            assert etree.tostring(dublincore_etree(None, hit)) == etree.tostring(rdm)


def test_oai_openaire_shows_public_files_only(app, http_server, make_tenant, client):
    from invenio_rdm_records.proxies import current_rdm_records_service

    from helpers import upload

    tenant, people = make_tenant("oai-aire")
    dep, cur = people["depositors"], people["curators"]
    records = {}
    for files_access in ("public", "restricted"):
        body = minimal_record(f"Článek se soubory {files_access}")
        body["access"] = {"record": "public", "files": files_access}
        body["metadata"]["languages"] = [{"id": "ces"}]
        body["parent"] = {"review": {"type": "community-submission",
                                     "receiver": {"community": tenant["community_id"]}}}
        draft = client.post("/api/records", headers=dep, json=body).json
        assert upload(client, dep, draft["id"], "clanek.pdf", b"%PDF-1.4 test").status_code == 200
        req = client.post(f"/api/records/{draft['id']}/draft/actions/submit-review",
                          headers=dep, json={"payload": {"content": "ok", "format": "html"}}).json
        res = client.post(f"/api/requests/{req['id']}/actions/accept", headers=cur, json={})
        assert res.status_code == 200, res.json
        records[files_access] = client.get(f"/api/records/{draft['id']}", headers=dep).json
    current_rdm_records_service.indexer.refresh()

    base = f"{http_server}/oai2d/{tenant['slug']}"
    aire = {"oaire": "http://namespace.openaire.eu/schema/oaire/",
            "datacite": "http://datacite.org/schema/kernel-4",
            "dc": "http://purl.org/dc/elements/1.1/"}
    formats = requests.get(base, params={"verb": "ListMetadataFormats"}).content
    assert b"<metadataPrefix>oai_openaire</metadataPrefix>" in formats
    for files_access, record in records.items():
        res = requests.get(base, params={"verb": "GetRecord", "metadataPrefix": "oai_openaire",
                                         "identifier": oai_id(record)})
        resource = etree.fromstring(res.content).find(".//oaire:resource", aire)
        assert resource.findtext("datacite:titles/datacite:title", namespaces=aire) == \
            f"Článek se soubory {files_access}"
        assert resource.findtext(".//datacite:familyName", namespaces=aire) == "Nováková"
        resource_type = resource.find("oaire:resourceType", aire)
        assert resource_type.get("uri") == "http://purl.org/coar/resource_type/c_6501"
        assert resource_type.get("resourceTypeGeneral") == "literature"
        assert resource.findtext("dc:language", namespaces=aire) == "ces"
        rights = resource.find("datacite:rights", aire)
        files = resource.findall("oaire:file", aire)
        if files_access == "public":
            assert rights.get("rightsURI") == "http://purl.org/coar/access_right/c_abf2"
            assert [f.text for f in files] == [
                f"{app.config['SITE_UI_URL']}/records/{record['id']}/files/clanek.pdf?download=1"]
        else:
            assert rights.get("rightsURI") == "http://purl.org/coar/access_right/c_16ec"
            assert files == [] and b"clanek.pdf" not in res.content


def test_library_with_its_own_identifier_prefix(http_server, harvest_world, client,
                                                admin_headers):
    a, world = harvest_world["a"], harvest_world
    res = client.put(f"/api/tenants/{a['slug']}", headers=admin_headers,
                     json={"oai_identifier_prefix": "not a domain"})
    assert res.status_code == 400
    res = client.put(f"/api/tenants/{a['slug']}", headers=admin_headers,
                     json={"oai_identifier_prefix": "repozitar.knihovna-a.cz"})
    assert res.status_code == 200, res.json
    try:
        base = sickle(f"{http_server}/oai2d/{a['slug']}")
        identify = etree.fromstring(base.Identify().raw.encode())
        assert identify.findtext(
            ".//{http://www.openarchives.org/OAI/2.0/oai-identifier}repositoryIdentifier"
        ) == "repozitar.knihovna-a.cz"
        record_id = world["public"][0]["id"]
        own = f"oai:repozitar.knihovna-a.cz:{record_id}"
        headers = {h.identifier for h in base.ListIdentifiers(metadataPrefix="oai_dc")}
        assert own in headers and all(h.startswith("oai:repozitar.knihovna-a.cz:")
                                      for h in headers)
        assert base.GetRecord(identifier=own, metadataPrefix="oai_dc").header.identifier == own
        # the consortium endpoint keeps the identifiers InvenioRDM minted
        consortium = sickle(f"{http_server}/oai2d")
        record = consortium.GetRecord(identifier=oai_id(world["public"][0]),
                                      metadataPrefix="oai_dc")
        assert record.header.identifier == oai_id(world["public"][0])
    finally:
        client.put(f"/api/tenants/{a['slug']}", headers=admin_headers,
                   json={"oai_identifier_prefix": None})


# --- the blueprint that replaced invenio-oaiserver's view -----------------------------

def _identify(client, method, path, headers):
    params = {"verb": "Identify"}
    if method == "GET":
        return client.get(path, query_string=params, headers=headers)
    return client.post(path, data=params, headers=headers)


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize("form", ["consortium", "library path", "library host"])
def test_every_endpoint_form_answers_get_and_post(app, client, harvest_world, method, form):
    a = harvest_world["a"]
    path, headers, name, base = {
        "consortium": ("/oai2d", {}, str(app.config["THEME_SITENAME"]),
                       "http://localhost/oai2d"),
        "library path": (f"/oai2d/{a['slug']}", {}, f"{a['names']['cs']} / {a['names']['en']}",
                         f"http://localhost/oai2d/{a['slug']}"),
        "library host": ("/oai2d", {"Host": f"{a['slug']}.localhost"},
                         f"{a['names']['cs']} / {a['names']['en']}",
                         f"http://{a['slug']}.localhost/oai2d"),
    }[form]
    res = _identify(client, method, path, headers)
    assert res.status_code == 200
    assert res.content_type == "text/xml; charset=utf-8"
    document = etree.fromstring(res.data)
    assert document.findtext("oai:Identify/oai:repositoryName", namespaces=NS) == name
    assert document.findtext("oai:Identify/oai:baseURL", namespaces=NS) == base
    assert document.findtext("oai:request", namespaces=NS) == base


def test_oai2d_is_this_modules_blueprint_and_invenio_oaiserver_view_is_gone(app):
    adapter = app.url_map.bind("localhost")
    for method in ("GET", "POST"):
        assert adapter.match("/oai2d", method=method) == ("consortium_tenants_oai.consortium", {})
        assert adapter.match("/oai2d/mzk", method=method) == (
            "consortium_tenants_oai.library", {"slug": "mzk"})
    assert [r.rule for r in app.url_map.iter_rules()
            if r.endpoint.startswith("invenio_oaiserver.")] == []
    assert "invenio_oaiserver" not in app.blueprints
    assert not [e for e in app.view_functions if e.startswith("invenio_oaiserver.")]


@pytest.fixture(scope="module")
def administrator(app):
    """A logged-in browser session of a user with the administration panel."""
    return staff_browser(app, roles=("administration", "admin"), prefix="oai-admin")


def test_oai_sets_administration_pages_are_gone(administrator):
    for path in ("/administration/oai-pmh", "/administration/oai-pmh/create",
                 "/administration/oai-pmh/some-id/edit", "/administration/oai-pmh/some-id"):
        assert administrator.get(path).status_code == 404, path
    panel = administrator.get("/administration/tenants")
    assert panel.status_code == 200
    html = panel.get_data(as_text=True)
    assert 'href="/administration/tenants"' in html  # the panel's menu is there
    assert "/administration/oai-pmh" not in html  # without the OAI-PMH sets entry


def test_invenio_rdm_oai_links_lead_to_this_endpoint(administrator):
    """The REST OAI sets API still names `/oai2d` in its links; they reach this module."""
    res = administrator.get("/api/oaipmh/sets")
    assert res.status_code == 200, res.json
    link = res.json["links"]["oai-listsets"]
    assert link.endswith("/oai2d?verb=ListSets")
    answer = administrator.get("/oai2d" + link.split("/oai2d", 1)[1])
    assert answer.status_code == 200
    assert etree.fromstring(answer.data).find("oai:ListSets", NS) is not None


def test_oaiserver_percolator_receivers_are_not_connected(app, make_tenant):
    """A library's community still gets InvenioRDM's OAISet row; no percolator is written."""
    from invenio_oaiserver import receivers
    from invenio_oaiserver.models import OAISet
    from invenio_search import current_search_client
    from sqlalchemy import event

    tenant, _ = make_tenant("oai-perc")
    oai_set = OAISet.query.filter(OAISet.search_pattern.contains(tenant["community_id"])).one()
    percolators = f"{app.config['SEARCH_INDEX_PREFIX']}*-percolators"
    options = {"ignore_unavailable": "true", "allow_no_indices": "true"}
    current_search_client.indices.refresh(index=percolators, params=options)
    found = current_search_client.search(
        index=percolators, params=options,
        body={"query": {"ids": {"values": [f"oaiset-{oai_set.spec}"]}}})
    assert found["hits"]["total"]["value"] == 0
    for name, receiver in (("after_insert", receivers.after_insert_oai_set),
                           ("after_update", receivers.after_update_oai_set),
                           ("after_delete", receivers.after_delete_oai_set)):
        assert not event.contains(OAISet, name, receiver), name


def _first_token(client, slug):
    res = client.get(f"/oai2d/{slug}",
                     query_string={"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"})
    return etree.fromstring(res.data).find(".//oai:resumptionToken", NS).text


def _resume(client, slug, token):
    res = client.get(f"/oai2d/{slug}",
                     query_string={"verb": "ListIdentifiers", "resumptionToken": token})
    assert res.status_code == 200
    return etree.fromstring(res.data)


def test_resumption_token_is_signed_by_itsdangerous_with_the_secret_key(app, client,
                                                                       harvest_world,
                                                                       small_pages):
    from itsdangerous import URLSafeTimedSerializer

    slug = harvest_world["a"]["slug"]
    token = _first_token(client, slug)
    state = URLSafeTimedSerializer(app.config["SECRET_KEY"],
                                   salt="consortium-oai-resumption-token").loads(token)
    assert state["scope"] == slug and state["cursor"] == 2


def test_tampered_resumption_token_is_bad(app, client, harvest_world, small_pages):
    from itsdangerous import URLSafeTimedSerializer

    slug = harvest_world["a"]["slug"]
    token = _first_token(client, slug)
    assert _resume(client, slug, token).find("oai:error", NS) is None
    middle = len(token) // 2
    altered = token[:middle] + ("A" if token[middle] != "A" else "B") + token[middle + 1:]
    forged = URLSafeTimedSerializer("not the secret key",
                                    salt="consortium-oai-resumption-token").dumps(
        {"scope": slug, "prefix": "oai_dc", "set": None, "from": None, "until": None,
         "after": None, "cursor": 0})
    for bad in (altered, forged, token[:-1]):
        error = _resume(client, slug, bad).find("oai:error", NS)
        assert error.get("code") == "badResumptionToken", bad
        assert "not one this repository issued" in error.text


def test_token_older_than_the_configured_ttl_is_bad(client, harvest_world, small_pages,
                                                     configure):
    slug = harvest_world["a"]["slug"]
    token = _first_token(client, slug)  # issued while tokens live a day
    configure(CONSORTIUM_OAI_TOKEN_TTL=1)
    time.sleep(2.1)
    error = _resume(client, slug, token).find("oai:error", NS)
    assert error.get("code") == "badResumptionToken" and "expired" in error.text


def test_listsets_pages_with_tokens_when_there_are_many_sets(http_server, harvest_world,
                                                             configure, oai_schema):
    everything = [s.setSpec for s in sickle(f"{http_server}/oai2d").ListSets()]
    assert harvest_world["a"]["slug"] in everything and len(everything) >= 3
    configure(CONSORTIUM_OAI_SETS_PAGE_SIZE=2)
    first = requests.get(f"{http_server}/oai2d", params={"verb": "ListSets"})
    document = etree.fromstring(first.content)
    assert oai_schema.validate(without_oai_identifier(document)), oai_schema.error_log
    assert [e.text for e in document.iterfind(".//oai:setSpec", NS)] == sorted(everything)[:2]
    token = document.find(".//oai:resumptionToken", NS)
    assert token.get("completeListSize") == str(len(everything)) and token.get("cursor") == "0"
    # Sickle follows the tokens: every set once, in setSpec order
    paged = [s.setSpec for s in sickle(f"{http_server}/oai2d").ListSets()]
    assert paged == sorted(everything)
    # a record list's token is not one of ListSets, and the other way round
    configure(CONSORTIUM_OAI_PAGE_SIZE=1)
    records = etree.fromstring(requests.get(f"{http_server}/oai2d", params={
        "verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}).content)
    record_token = records.find(".//oai:resumptionToken", NS).text
    for verb, other in (("ListSets", record_token), ("ListRecords", token.text)):
        answer = etree.fromstring(requests.get(f"{http_server}/oai2d", params={
            "verb": verb, "resumptionToken": other}).content)
        assert answer.find("oai:error", NS).get("code") == "badResumptionToken", verb
    # a library's endpoint with one set answers in one response, without a token
    own = etree.fromstring(requests.get(f"{http_server}/oai2d/{harvest_world['a']['slug']}",
                                        params={"verb": "ListSets"}).content)
    assert own.find(".//oai:resumptionToken", NS) is None


def test_harvesters_have_a_rate_limit_of_their_own(app):
    """A harvest is hundreds of requests in a row: the OAI-PMH endpoints (by host and
    by path) have a budget of their own per client, larger than a guest's for pages.
    (The test apps run without the limiter; this asks invenio-app's limit function what
    it applies to each URL, as the limiter does per request; bench/oai.py harvests
    100 000 records through the real limiter.)"""
    from invenio_app.limiter import set_rate_limit

    def limit(path):
        with app.test_request_context(path):
            return set_rate_limit()

    harvest = "1200 per minute;50000 per hour"
    assert limit("/oai2d?verb=ListRecords") == harvest
    assert limit("/oai2d/mzk?verb=ListRecords") == harvest
    assert limit("/libraries") == app.config["RATELIMIT_GUEST_USER"] != harvest
