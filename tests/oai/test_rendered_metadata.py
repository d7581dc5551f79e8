"""Rendered-metadata cache (oai/rendered.py): what OAI-PMH serves stays what the serializers make.

Full records (rights, subjects, languages, funding, related identifiers, files,
an embargo) are published through the REST API into a library and harvested over
HTTP in each format, record by record against the serializers (InvenioRDM's; oai_dc
the instance's, compared with RDM's in test_oai_pmh; oai_openaire the instance's, RDM
v14 has none), with the cache filled at
publication, emptied (made on the harvest) and switched off.
"""

import difflib

import pytest
import requests
from lxml import etree

from helpers import full_record, publish_in_library, upload

NS = {"oai": "http://www.openarchives.org/OAI/2.0/"}
REFERENCE = {  # metadataPrefix → the serializer the served XML must equal
    "oai_dc": "consortium_tenants.oai.formats:dublincore_etree",
    "marcxml": "invenio_rdm_records.oai:marcxml_etree",
    "oai_datacite": "invenio_rdm_records.oai:oai_datacite_etree",
    "oai_openaire": "consortium_tenants.oai.openaire:openaire_etree",
}
FORMATS = list(REFERENCE)


@pytest.fixture(scope="module")
def library(app, make_tenant):
    """A library with three full records: open files, restricted files, an embargo."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("oai-full")
    client = app.test_client()
    dep = people["depositors"]
    records = {}
    for name, access in (
        ("open", {"record": "public", "files": "public"}),
        ("restricted files", {"record": "public", "files": "restricted"}),
        ("embargoed", {"record": "public", "files": "restricted",
                       "embargo": {"active": True, "until": "2031-06-30",
                                   "reason": "Nakladatelská smlouva"}}),
    ):
        body = full_record(f"Úplný záznam: {name}",
                           doi=f"10.5072/full.{tenant['slug']}.{name.replace(' ', '-')}")
        body["access"], body["files"] = access, {"enabled": True}
        res = client.post("/api/records", headers=dep, json=body)
        assert res.status_code == 201, res.json
        draft = res.json
        assert upload(client, dep, draft["id"], "clanek.pdf", b"%PDF-1.4 full").status_code == 200
        records[name] = publish_in_library(client, people, tenant["community_id"], draft["id"])
    current_rdm_records_service.indexer.refresh()
    return tenant, people, records


def rows(record_ids):
    """{(record UUID, prefix): digest} of the rendered rows of RECORD_IDS (recids)."""
    from invenio_db import db
    from sqlalchemy import text

    db.session.rollback()  # see what other connections committed
    result = db.session.execute(text(
        "SELECT r.json->>'id', o.metadata_prefix, o.digest FROM consortium_oai_rendered o "
        "JOIN rdm_records_metadata r ON r.id = o.record_id WHERE r.json->>'id' = ANY(:ids)"),
        {"ids": list(record_ids)})
    return {(recid, prefix): digest for recid, prefix, digest in result}


def harvest(base, prefix):
    """The ListRecords response body and its <record> elements (one page)."""
    res = requests.get(base, params={"verb": "ListRecords", "metadataPrefix": prefix})
    assert res.status_code == 200
    document = etree.fromstring(res.content)
    assert document.find("oai:error", NS) is None, res.text
    return res.content, document.findall(".//oai:record", NS)


def expected_metadata(app, recid, prefix):
    """What the reference serializer makes of the record's index document now."""
    from flask import g
    from invenio_search import current_search_client
    from invenio_search.utils import build_alias_name
    from werkzeug.utils import import_string

    from consortium_tenants.oai.rendered import anonymous

    hit = current_search_client.search(
        index=build_alias_name("rdmrecords-records"),
        body={"query": {"term": {"id": recid}}})["hits"]["hits"][0]
    with app.test_request_context("/oai2d"):
        g.identity = anonymous()  # a harvester's
        return etree.tostring(import_string(REFERENCE[prefix])(pid=None, record=hit),
                              encoding="UTF-8")


def assert_served(body, records, expected):
    """The response holds the records of EXPECTED, each one's metadata byte for byte what
    its serializer makes (UTF-8, as in the response); a line diff of the first that is not."""
    served = {record.findtext(".//oai:identifier", namespaces=NS).rsplit(":", 1)[-1]:
              record.find("oai:metadata", NS)[0] for record in records}
    assert sorted(served) == sorted(expected)
    for recid, xml in expected.items():
        diff = "\n".join(difflib.unified_diff(
            _lines(etree.fromstring(xml)), _lines(served[recid]), "serializer", "served",
            lineterm=""))
        assert xml in body, f"{recid}:\n{diff}"


def _lines(element):
    return etree.tostring(element, pretty_print=True).decode().splitlines()


def without_response_date(body):
    return etree.tostring(_dropped(etree.fromstring(body), "oai:responseDate"))


def _dropped(document, path):
    element = document.find(path, NS)
    document.remove(element)
    return document


def test_publication_renders_every_cached_format_of_the_record(app, library):
    _, _, records = library
    cached = app.config["CONSORTIUM_OAI_CACHED_FORMATS"]
    assert sorted(cached) == ["marcxml", "oai_datacite", "oai_dc"]
    recids = [r["id"] for r in records.values()]
    assert sorted(rows(recids)) == sorted((recid, prefix) for recid in recids
                                          for prefix in cached)


@pytest.mark.parametrize("prefix", FORMATS)
def test_served_metadata_is_what_the_serializer_makes(app, http_server, library, configure,
                                                      prefix):
    from invenio_db import db
    from sqlalchemy import text

    configure(CONSORTIUM_OAI_CACHED_FORMATS=FORMATS)  # oai_openaire kept too, for this test
    tenant, _, records = library
    base = f"{http_server}/oai2d/{tenant['slug']}"
    recids = sorted(r["id"] for r in records.values())
    expected = {recid: expected_metadata(app, recid, prefix) for recid in recids}
    assert b"clanek.pdf" in expected[records["open"]["id"]] or prefix != "oai_openaire"

    harvest(base, prefix)  # rows made at publication (and now for oai_openaire)
    warm_body, warm = harvest(base, prefix)
    assert_served(warm_body, warm, expected)

    db.session.execute(text("DELETE FROM consortium_oai_rendered WHERE metadata_prefix = :p"),
                       {"p": prefix})
    db.session.commit()
    cold_body, cold = harvest(base, prefix)  # made on this request, stored
    assert_served(cold_body, cold, expected)
    assert sorted(key for key in rows(recids) if key[1] == prefix) == [
        (recid, prefix) for recid in recids]

    configure(CONSORTIUM_OAI_CACHED_FORMATS=[])
    off_body, off = harvest(base, prefix)  # made on every request
    assert_served(off_body, off, expected)
    assert without_response_date(warm_body) == without_response_date(cold_body) == \
        without_response_date(off_body)


def test_full_records_carry_every_part_in_each_format(app, library):
    _, _, records = library
    open_id, embargoed_id = records["open"]["id"], records["embargoed"]["id"]
    marc = expected_metadata(app, open_id, "marcxml").decode()
    datacite = expected_metadata(app, open_id, "oai_datacite").decode()
    for text in ("Grantová agentura České republiky", "GA24-00001S", "10.1234/related.1",
                 "knihovny"):
        assert text in datacite, text
    assert "Creative Commons Attribution 4.0 International" in datacite
    assert "knihovny" in marc and "ces" in marc
    # the rich editor's HTML ("<p>Popis záznamu pro <b>sklizeň</b>.</p>") is text in both
    for prefix in ("oai_dc", "oai_openaire"):
        document = etree.fromstring(expected_metadata(app, open_id, prefix))
        descriptions = document.findall(".//{http://purl.org/dc/elements/1.1/}description")
        assert [d.text for d in descriptions] == ["Popis záznamu pro sklizeň."], prefix
    embargo = expected_metadata(app, embargoed_id, "oai_openaire").decode()
    assert "2031-06-30" in embargo and "c_f1cf" in embargo and "clanek.pdf" not in embargo


def test_an_edit_is_served_at_once(app, http_server, library):
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people, records = library
    client, dep = app.test_client(), people["depositors"]
    recid = records["restricted files"]["id"]
    cached = app.config["CONSORTIUM_OAI_CACHED_FORMATS"]
    before = {key: digest for key, digest in rows([recid]).items() if key[1] in cached}
    assert sorted(prefix for _, prefix in before) == sorted(cached)
    assert client.post(f"/api/records/{recid}/draft", headers=dep).status_code == 201
    draft = client.get(f"/api/records/{recid}/draft", headers=dep).json
    draft["metadata"]["title"] = "Opravený název"
    draft["metadata"]["subjects"] = [{"subject": "sklizeň"}]
    res = client.put(f"/api/records/{recid}/draft", headers=dep, json=draft)
    assert res.status_code == 200, res.json
    res = client.post(f"/api/records/{recid}/draft/actions/publish", headers=dep)
    assert res.status_code == 202, res.json
    current_rdm_records_service.indexer.refresh()

    after = {key: digest for key, digest in rows([recid]).items() if key[1] in cached}
    assert sorted(after) == sorted(before)
    assert all(after[key] != before[key] for key in before)  # made again at publication
    base = f"{http_server}/oai2d/{tenant['slug']}"
    identifier = records["restricted files"]["pids"]["oai"]["identifier"]
    for prefix in FORMATS:
        res = requests.get(base, params={"verb": "GetRecord", "metadataPrefix": prefix,
                                         "identifier": identifier})
        assert expected_metadata(app, recid, prefix) in res.content, prefix
        assert "Opravený název" in res.text and "sklizeň" in res.text, prefix
        assert "Úplný záznam: restricted files<" not in res.text, prefix  # the old title
