"""Search results serialized by the record schema built once per process
(consortium_platform/schemas.py) and loaded by the instance's record classes
(consortium_platform/records.py) equal RDM's own path, record by record.

Records with every part filled (custom field, DOI, files, an embargo, a restricted
record, a draft, a record in two libraries) are searched over REST as different
people, in JSON and in the search page's UI serialization, once with the instance's
`RDM_RECORD_SCHEMA` and once with the plain class RDM would build for every record.
The people alternate, so an answer that leaked from the previous reader's dump would
show.
"""

import pytest

from helpers import full_record, publish_in_library, request_action, upload

FORMATS = ("application/json", "application/vnd.inveniordm.v1+json")


@pytest.fixture(scope="module")
def works(app, make_tenant, admin_headers):
    """Published full records of one library (one also in a second library) and a draft."""
    from consortium_tenants.oa.rules import REASON_FIELD
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("search-out")
    other, other_people = make_tenant("search-out2")
    client = app.test_client()
    dep = people["depositors"]
    published = {}
    for name, access in (
        ("open", {"record": "public", "files": "public"}),
        ("embargoed", {"record": "public", "files": "restricted",
                       "embargo": {"active": True, "until": "2031-06-30",
                                   "reason": "Nakladatelská smlouva"}}),
        ("restricted", {"record": "restricted", "files": "restricted"}),
    ):
        body = full_record(f"Výstup vyhledávání: {name}",
                           doi=f"10.5072/search.{tenant['slug']}.{name}")
        body["access"], body["files"] = access, {"enabled": True}
        # Every custom field the instance declares (the agreement is full_record's).
        body["custom_fields"][REASON_FIELD] = "Výjimka z politiky: smlouva s vydavatelem"
        res = client.post("/api/records", headers=dep, json=body)
        assert res.status_code == 201, res.json
        draft = res.json
        assert upload(client, dep, draft["id"], "clanek.pdf", b"%PDF-1.4 out").status_code == 200
        published[name] = publish_in_library(client, people, tenant["community_id"],
                                              draft["id"])
    # A draft only its depositor sees (made while they belong to one library).
    res = client.post("/api/records", headers=dep, json=full_record("Rozpracovaný záznam"))
    assert res.status_code == 201, res.json
    # The open work joins a second library (its depositor is a member there too)
    # through the inclusion request.
    res = client.post(f"/api/tenants/{other['slug']}/members", headers=admin_headers,
                      json={"email": people["depositors_user"].email, "role": "depositors"})
    assert res.status_code == 200, res.json
    res = client.post(f"/api/records/{published['open']['id']}/communities", headers=dep,
                      json={"communities": [{"id": other["community_id"]}]})
    assert res.status_code == 200, res.json
    request_id = res.json["processed"][0]["request_id"]
    res = request_action(client, other_people["curators"], request_id, "accept")
    assert res.status_code == 200, res.json
    current_rdm_records_service.indexer.refresh()
    current_rdm_records_service.draft_indexer.refresh()
    return tenant, people, published


def search(client, path, headers, accept):
    res = client.get(path, headers={**(headers or {}), "Accept": accept},
                     query_string={"size": 25, "sort": "newest"})
    assert res.status_code == 200, res.json
    return {hit["id"]: hit for hit in res.json["hits"]["hits"]}


def test_search_results_equal_rdms_per_record_schema(app, works, configure, admin_headers):
    from consortium_tenants.workflows.requests import LibraryRecordSchema
    from invenio_rdm_records.records.api import RDMDraft, RDMRecord

    tenant, people, published = works
    client = app.test_client()
    readers = [("anonymous", None), ("depositor", people["depositors"]),
               ("curator", people["curators"]), ("anonymous again", None),
               ("administrator", admin_headers), ("depositor again", people["depositors"])]
    queries = [f"/api/communities/{tenant['community_id']}/records", "/api/user/records"]

    def answers():
        out = {}
        for reader, headers in readers:
            for path in queries:
                if path.startswith("/api/user") and headers is None:
                    continue
                for accept in FORMATS:
                    out[reader, path, accept] = search(client, path, headers, accept)
        return out

    instance = answers()
    # RDM's own path: the schema class built per record, RDM's record classes.
    configure(RDM_RECORD_SCHEMA=LibraryRecordSchema, RDM_RECORD_CLS=RDMRecord,
              RDM_DRAFT_CLS=RDMDraft)
    per_record = answers()

    assert instance.keys() == per_record.keys()
    compared = 0
    for key, hits in instance.items():
        assert hits.keys() == per_record[key].keys(), key
        for recid, hit in hits.items():
            assert hit == per_record[key][recid], (key, recid)
            compared += 1
    # The readers saw different things (the comparison covers more than one answer).
    community = f"/api/communities/{tenant['community_id']}/records"
    seen_by_anonymous = instance["anonymous", community, "application/json"]
    seen_by_curator = instance["curator", community, "application/json"]
    assert published["restricted"]["id"] not in seen_by_anonymous
    assert published["restricted"]["id"] in seen_by_curator
    drafts = instance["depositor", "/api/user/records", "application/json"]
    assert any(not hit["is_published"] for hit in drafts.values())
    open_work = seen_by_anonymous[published["open"]["id"]]
    assert len(open_work["parent"]["communities"]["ids"]) == 2
    assert open_work["pids"]["doi"]["identifier"].startswith("10.5072/search.")
    assert open_work["custom_fields"]["consortium:oa_exception"].startswith("Výjimka")
    assert open_work["custom_fields"]["consortium:oa_version"] == "accepted"
    ui_work = instance["anonymous", community, "application/vnd.inveniordm.v1+json"][
        published["open"]["id"]]
    assert ui_work["ui"]["custom_fields"]["consortium:oa_exception"].startswith("Výjimka")
    assert compared >= 40


def test_the_schema_is_built_once_per_process(app, works):
    """The instance's schema hands out one instance per arguments; RDM's class does not."""
    from consortium_tenants.workflows.requests import LibraryRecordSchema
    from invenio_rdm_records.proxies import current_rdm_records_service

    schema_cls = current_rdm_records_service.config.schema
    assert issubclass(schema_cls, LibraryRecordSchema)
    assert schema_cls() is schema_cls()
    assert schema_cls(partial=True) is not schema_cls()
    assert LibraryRecordSchema() is not LibraryRecordSchema()


def test_hits_load_through_the_instances_record_classes(app, works):
    """Records, drafts and their parents load with hooks resolved once per class."""
    from consortium_platform.records import LibraryDraft, LibraryParent, LibraryRecord
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.records.api import RDMRecord

    assert service.record_cls is LibraryRecord and service.draft_cls is LibraryDraft
    tenant, people, published = works
    record = service.record_cls.pid.resolve(published["open"]["id"])
    dump = record.dumps()
    loaded, plain = LibraryRecord.loads(dump), RDMRecord.loads(dump)
    assert isinstance(loaded.parent, LibraryParent)
    assert loaded == plain and loaded.parent == plain.parent
    assert loaded.parent.communities.ids == plain.parent.communities.ids
    assert len(loaded.parent.communities.ids) == 2
    assert dump == record.dumps()  # loading never changed the hit it was given


def test_a_pages_hits_share_their_librarys_community_while_its_entry_is_equal(app, works):
    """Hits loaded in one request share a Community loaded from an equal entry; an entry
    that differs (another revision in the index) loads a Community of its own."""
    from consortium_platform.records import LibraryCommunitiesManager, LibraryRecord
    from invenio_rdm_records.proxies import current_rdm_records_service as service

    tenant, people, published = works
    dump = service.record_cls.pid.resolve(published["open"]["id"]).dumps()
    assert len(dump["parent"]["communities"]["entries"]) == 2
    changed = LibraryRecord.loads(dump).dumps()
    entry = next(e for e in changed["parent"]["communities"]["entries"]
                 if e["id"] == tenant["community_id"])
    entry["metadata"]["title"] = "Jiný název"
    with app.test_request_context("/api/records"):
        first, second, third = (LibraryRecord.loads(d) for d in (dump, dump, changed))
        assert isinstance(first.parent.communities, LibraryCommunitiesManager)
        ones, twos, threes = ({str(c.id): c for c in r.parent.communities}
                              for r in (first, second, third))
        assert ones.keys() == twos.keys() == threes.keys() and len(ones) == 2
        assert all(ones[key] is twos[key] for key in ones)
        assert threes[tenant["community_id"]] is not ones[tenant["community_id"]]
        assert threes[tenant["community_id"]]["metadata"]["title"] == "Jiný název"
        assert ones[tenant["community_id"]]["metadata"]["title"] != "Jiný název"
    with app.test_request_context("/api/records"):  # a new request loads them anew
        fourth = {str(c.id): c for c in LibraryRecord.loads(dump).parent.communities}
        assert fourth[tenant["community_id"]] is not ones[tenant["community_id"]]


def test_the_web_tier_falls_back_to_rdms_search_path_when_asked(monkeypatch):
    """CONSORTIUM_SEARCH_AS_RDM=1 (the web tier's environment) configures RDM's record
    classes, the schema built per record and the access cache in Redis only; without it
    the instance's (bench/load/run.py --search-compare measures one against the other)."""
    import runpy

    from consortium_platform.records import LibraryDraft, LibraryRecord
    from consortium_tenants.workflows.requests import LibraryRecordSchema
    from helpers import ROOT
    from invenio_rdm_records.records.api import RDMDraft, RDMRecord

    monkeypatch.delenv("CONSORTIUM_SEARCH_AS_RDM", raising=False)
    instance = runpy.run_path(str(ROOT / "invenio.cfg"))
    assert (instance["RDM_RECORD_CLS"], instance["RDM_DRAFT_CLS"]) == (LibraryRecord,
                                                                        LibraryDraft)
    assert instance["RDM_RECORD_SCHEMA"] is not LibraryRecordSchema
    assert issubclass(instance["RDM_RECORD_SCHEMA"], LibraryRecordSchema)
    assert instance["ACCESS_CACHE"] == "consortium_platform.access_cache:access_cache"
    monkeypatch.setenv("CONSORTIUM_SEARCH_AS_RDM", "1")
    rdm = runpy.run_path(str(ROOT / "invenio.cfg"))
    assert (rdm["RDM_RECORD_CLS"], rdm["RDM_DRAFT_CLS"]) == (RDMRecord, RDMDraft)
    assert rdm["RDM_RECORD_SCHEMA"] is LibraryRecordSchema
    assert rdm["ACCESS_CACHE"] == "invenio_cache:current_cache"
