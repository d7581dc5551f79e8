"""A record that leaves an OAI-PMH endpoint or set without being deleted (restricted,
moved to another library, removed from a collection) is announced there with
status="deleted" (Identify promises persistent deletions); responses stay valid."""

import pytest
import requests
from lxml import etree

from test_oai_pmh import NS, _publish, oai_id, oai_schema, without_oai_identifier  # noqa: F401


def _reindex(recid):
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.records.api import RDMRecord

    service.indexer.index(RDMRecord.pid.resolve(recid))
    service.indexer.refresh()


def _restrict(recid, access):
    from invenio_access.permissions import system_identity
    from invenio_rdm_records.proxies import current_rdm_records_service as service

    draft = service.edit(system_identity, recid).to_dict()
    draft["access"] = {"record": access, "files": access}
    service.update_draft(system_identity, recid, draft)
    service.publish(system_identity, recid)
    service.indexer.refresh()


@pytest.fixture(scope="module")
def departures_world(app, make_tenant):
    """Library A (with collection `A:sbirka`) and library B; three records of A leave."""
    from invenio_access.permissions import system_identity
    from invenio_communities.proxies import current_communities
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records
    from invenio_rdm_records.records.api import RDMRecord

    client = app.test_client()
    a, a_people = make_tenant("oai-gone-a")
    b, _b_people = make_tenant("oai-gone-b")
    child_slug = f"sbirka-{a['slug'][-6:]}"
    res = client.post("/api/communities", headers=a_people["managers"], json={
        "slug": child_slug, "access": {"visibility": "public"},
        "metadata": {"title": "Sbírka", "description": "Sbírka knihovny"}})
    assert res.status_code == 201, res.json
    child = res.json
    current_communities.service.bulk_update_parent(
        system_identity, [child["id"]], a["community_id"])
    current_communities.service.indexer.refresh()
    stays = _publish(client, a_people, a["community_id"], "Zůstává")
    restricted = _publish(client, a_people, a["community_id"], "Bude neveřejný")
    moved = _publish(client, a_people, a["community_id"], "Přestěhuje se")
    curators = {**a_people, "curators": a_people["managers"]}  # the collection's owner reviews
    removed = _publish(client, curators, child["id"], "Vyřazen ze sbírky")

    _restrict(restricted["id"], "restricted")
    rec = RDMRecord.pid.resolve(moved["id"])
    rec.parent.communities.remove(a["community_id"])
    rec.parent.communities.add(b["community_id"], default=True)
    rec.parent.commit()
    db.session.commit()
    _reindex(moved["id"])
    processed, errors = current_rdm_records.record_communities_service.remove(
        system_identity, removed["id"], {"communities": [{"id": child["id"]}]})
    assert not errors, errors
    _reindex(removed["id"])
    return {"a": a, "b": b, "child": f"{a['slug']}:{child_slug}", "stays": stays,
            "restricted": restricted, "moved": moved, "removed": removed}


def _headers(base, oai_schema, **params):  # noqa: F811
    """identifier → (deleted?, setSpecs) over every page; each page schema-valid."""
    found = {}
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", **params}
    while True:
        res = requests.get(base, params=params)
        document = etree.fromstring(res.content)
        assert oai_schema.validate(without_oai_identifier(document)), oai_schema.error_log
        for header in document.iterfind(".//oai:header", NS):
            identifier = header.findtext("oai:identifier", namespaces=NS)
            assert identifier not in found, f"{identifier} listed twice"
            found[identifier] = (header.get("status") == "deleted",
                                 [s.text for s in header.iterfind("oai:setSpec", NS)])
        token = document.findtext(".//oai:resumptionToken", namespaces=NS)
        if not token:
            return found
        params = {"verb": params["verb"], "resumptionToken": token}


def test_a_set_lists_the_records_that_left_it_as_deleted(
        http_server, departures_world, oai_schema, configure):  # noqa: F811
    configure(CONSORTIUM_OAI_PAGE_SIZE=2)  # departures and records share the pages
    world = departures_world
    a, child = world["a"]["slug"], world["child"]
    got = _headers(f"{http_server}/oai2d", oai_schema, set=a)
    assert got[oai_id(world["stays"])] == (False, [a])
    assert got[oai_id(world["restricted"])] == (True, [a])
    assert got[oai_id(world["moved"])] == (True, [a])
    got = _headers(f"{http_server}/oai2d/{a}", oai_schema, set=child)
    assert got[oai_id(world["removed"])] == (True, [child])


def test_a_library_endpoint_lists_every_record_that_left_it(
        http_server, departures_world, oai_schema):  # noqa: F811
    world = departures_world
    got = _headers(f"{http_server}/oai2d/{world['a']['slug']}", oai_schema)
    assert got[oai_id(world["stays"])][0] is False
    for name in ("restricted", "moved"):
        assert got[oai_id(world[name])][0] is True, name
    # out of the collection, still the library's (the library's deposit stays with it)
    assert got[oai_id(world["removed"])] == (False, [world["a"]["slug"]])
    got = _headers(f"{http_server}/oai2d/{world['b']['slug']}", oai_schema)
    assert got == {oai_id(world["moved"]): (False, [world["b"]["slug"]])}


def test_the_consortium_endpoint_deletes_only_what_left_it(
        http_server, departures_world, oai_schema):  # noqa: F811
    world = departures_world
    got = _headers(f"{http_server}/oai2d", oai_schema)
    assert got[oai_id(world["restricted"])] == (True, [])
    assert got[oai_id(world["moved"])][0] is False  # still here, in library B
    assert got[oai_id(world["removed"])][0] is False  # public, in library A


def test_get_record_and_list_records_answer_deleted_for_a_departed_record(
        http_server, departures_world, oai_schema):  # noqa: F811
    world = departures_world
    a = world["a"]["slug"]
    for base, name in ((f"{http_server}/oai2d/{a}", "moved"),
                       (f"{http_server}/oai2d", "restricted")):
        res = requests.get(base, params={"verb": "GetRecord", "metadataPrefix": "oai_dc",
                                         "identifier": oai_id(world[name])})
        document = etree.fromstring(res.content)
        assert oai_schema.validate(without_oai_identifier(document)), oai_schema.error_log
        header = document.find(".//oai:record/oai:header", NS)
        assert header is not None and header.get("status") == "deleted", res.text
        assert document.find(".//oai:record/oai:metadata", NS) is None
    res = requests.get(f"{http_server}/oai2d/{a}", params={
        "verb": "ListRecords", "metadataPrefix": "oai_dc"})
    document = etree.fromstring(res.content)
    assert oai_schema.validate(without_oai_identifier(document)), oai_schema.error_log
    deleted = {r.findtext("oai:header/oai:identifier", namespaces=NS)
               for r in document.iterfind(".//oai:record", NS)
               if r.find("oai:header", NS).get("status") == "deleted"}
    assert {oai_id(world[n]) for n in ("restricted", "moved")} <= deleted
    assert oai_id(world["removed"]) not in deleted


def test_a_record_that_comes_back_is_listed_live_once(
        http_server, departures_world, oai_schema):  # noqa: F811
    world = departures_world
    record = world["restricted"]
    _restrict(record["id"], "public")
    try:
        got = _headers(f"{http_server}/oai2d", oai_schema, set=world["a"]["slug"])
        assert got[oai_id(record)] == (False, [world["a"]["slug"]])
        got = _headers(f"{http_server}/oai2d", oai_schema)
        assert got[oai_id(record)][0] is False
    finally:
        _restrict(record["id"], "restricted")
