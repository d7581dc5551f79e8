"""Each library's works get DOIs under its own DataCite account, over the test double."""

from urllib.parse import urlsplit

import pytest

from helpers import invoke_cli, minimal_record, publish_in_library


def _account(client, admin_headers, slug, prefix, repository_id, password):
    res = client.put(f"/api/tenants/{slug}/datacite", headers=admin_headers, json={
        "prefix": prefix, "repository_id": repository_id, "password": password})
    assert res.status_code == 200, res.json


def _publish(client, tenant, people, title):
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    draft = client.post("/api/records", headers=people["depositors"], json=body).json
    return publish_in_library(client, people, tenant["community_id"], draft["id"])


def _library_site(app, slug):
    """A library's own site as its visitors reach it: its host, SITE_UI_URL's scheme and port."""
    site = urlsplit(app.config["SITE_UI_URL"])
    return f"{site.scheme}://{slug}.localhost" + (f":{site.port}" if site.port else "")


def _status(doi):
    from invenio_pidstore.models import PersistentIdentifier

    return PersistentIdentifier.get("doi", doi).status.value


@pytest.fixture(scope="module")
def world(app, datacite, make_tenant, admin_headers):
    """Libraries A and B with their own accounts (prefixes 10.70001, 10.70002); C with none."""
    client = app.test_client()
    datacite.add_account("CZ.A.REPO", "pw-a", "10.70001")
    datacite.add_account("CZ.B.REPO", "pw-b", "10.70002")
    a, b, c = make_tenant("doi-a"), make_tenant("doi-b"), make_tenant("doi-c")
    _account(client, admin_headers, a[0]["slug"], "10.70001", "CZ.A.REPO", "pw-a")
    _account(client, admin_headers, b[0]["slug"], "10.70002", "CZ.B.REPO", "pw-b")
    return {"a": a, "b": b, "c": c}


def test_each_library_mints_under_its_own_prefix_and_account(app, world, datacite):
    client = app.test_client()
    for key, prefix, account in (("a", "10.70001", "CZ.A.REPO"), ("b", "10.70002", "CZ.B.REPO")):
        tenant, people = world[key]
        record = _publish(client, tenant, people, f"Dílo knihovny {key}")
        doi = record["pids"]["doi"]
        concept = record["parent"]["pids"]["doi"]
        assert doi == {"identifier": f"{prefix}/{record['id']}", "provider": "datacite",
                       "client": "datacite"}
        assert concept["identifier"] == f"{prefix}/{record['parent']['id']}"
        assert (_status(doi["identifier"]), _status(concept["identifier"])) == ("R", "R")
        for identifier in (doi["identifier"], concept["identifier"]):
            owner, data = datacite.doi(identifier)
            assert (owner, data["attributes"]["state"]) == (account, "findable")
        attributes = datacite.doi(doi["identifier"])[1]["attributes"]
        assert attributes["titles"] == [{"title": f"Dílo knihovny {key}"}]
        site = _library_site(app, tenant["slug"])  # the landing page is on the library's host
        assert attributes["url"] == f"{site}/records/{record['id']}"
        assert datacite.doi(concept["identifier"])[1]["attributes"]["url"] == \
            f"{site}/records/{record['parent']['id']}"


def test_a_library_without_account_gets_no_doi_until_the_consortium_has_one(
        app, world, datacite, configure):
    client = app.test_client()
    tenant, people = world["c"]
    before = len(datacite.requests)
    record = _publish(client, tenant, people, "Bez DOI")
    assert "doi" not in record["pids"] and "doi" not in record["parent"].get("pids", {})
    assert len(datacite.requests) == before
    datacite.add_account("CZ.CONSORTIUM", "pw-c", "10.70009")
    configure(CONSORTIUM_DATACITE_FALLBACK={"prefix": "10.70009", "repository_id": "CZ.CONSORTIUM",
                                            "password": "pw-c"})
    record = _publish(client, tenant, people, "S DOI konsorcia")
    assert record["pids"]["doi"]["identifier"] == f"10.70009/{record['id']}"
    assert datacite.doi(record["pids"]["doi"]["identifier"])[0] == "CZ.CONSORTIUM"


def test_failures_under_the_consortium_account_show_on_the_library_page(
        app, world, datacite, configure):
    from helpers import browser_of

    client = app.test_client()
    (c, c_people), (a, a_people) = world["c"], world["a"]
    datacite.add_account("CZ.CONSORTIUM", "pw-c", "10.70009")
    configure(CONSORTIUM_DATACITE_FALLBACK={"prefix": "10.70009", "repository_id": "CZ.CONSORTIUM",
                                            "password": "pw-c"})
    datacite.fail_with = 503
    try:
        record = _publish(client, c, c_people, "Výpadek u konsorcia")
    finally:
        datacite.fail_with = None
    doi = record["pids"]["doi"]["identifier"]
    assert doi == f"10.70009/{record['id']}" and _status(doi) == "K"
    res = client.get(f"/api/tenants/{c['slug']}/dois/failed", headers=c_people["managers"])
    assert res.status_code == 200
    assert sorted(h["doi"] for h in res.json["hits"]["hits"]) == \
        sorted([doi, record["parent"]["pids"]["doi"]["identifier"]])
    page = browser_of(app, c_people["managers_user"]).get(f"/libraries/{c['slug']}/dois")
    assert page.status_code == 200 and doi in page.get_data(as_text=True)
    res = client.get(f"/api/tenants/{a['slug']}/dois/failed", headers=a_people["managers"])
    assert doi not in [h["doi"] for h in res.json["hits"]["hits"]]


def test_edit_updates_the_metadata_at_datacite(app, world, datacite):
    client = app.test_client()
    tenant, people = world["a"]
    record = _publish(client, tenant, people, "Původní název")
    dep = people["depositors"]
    draft = client.post(f"/api/records/{record['id']}/draft", headers=dep).json
    draft["metadata"]["title"] = "Opravený název"
    assert client.put(f"/api/records/{record['id']}/draft", headers=dep,
                      json=draft).status_code == 200
    res = client.post(f"/api/records/{record['id']}/draft/actions/publish", headers=dep)
    assert res.status_code == 202, res.json
    doi = record["pids"]["doi"]["identifier"]
    assert datacite.doi(doi)[1]["attributes"]["titles"] == [{"title": "Opravený název"}]
    assert ("PUT", f"/dois/{doi}", "CZ.A.REPO") in datacite.requests


def test_a_moved_record_keeps_its_doi_and_its_versions_follow_the_concept(app, world, datacite):
    from invenio_access.permissions import system_identity
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service as service
    from invenio_rdm_records.records.api import RDMRecord

    client = app.test_client()
    (a, a_people), (b, _) = world["a"], world["b"]
    record = _publish(client, a, a_people, "Stěhovavé dílo")
    doi = record["pids"]["doi"]["identifier"]
    assert datacite.doi(doi)[1]["attributes"]["url"] == \
        f"{_library_site(app, a['slug'])}/records/{record['id']}"
    rec = RDMRecord.pid.resolve(record["id"])
    rec.parent.communities.remove(a["community_id"])
    rec.parent.communities.add(b["community_id"], default=True)
    rec.parent.commit()
    db.session.commit()
    draft = service.edit(system_identity, record["id"]).to_dict()
    draft["metadata"]["title"] = "Přestěhované dílo"
    service.update_draft(system_identity, record["id"], draft)
    moved = service.publish(system_identity, record["id"]).to_dict()
    assert moved["pids"]["doi"]["identifier"] == doi
    assert datacite.doi(doi)[0] == "CZ.A.REPO"
    assert datacite.doi(doi)[1]["attributes"]["titles"] == [{"title": "Přestěhované dílo"}]
    # its landing page moved to the new library's host; the DOI stays with A's account
    assert datacite.doi(doi)[1]["attributes"]["url"] == \
        f"{_library_site(app, b['slug'])}/records/{record['id']}"
    new = service.new_version(system_identity, record["id"]).to_dict()
    new["metadata"]["publication_date"] = "2026-11-30"
    new["files"] = {"enabled": False}
    service.update_draft(system_identity, new["id"], new)
    version = service.publish(system_identity, new["id"]).to_dict()
    assert version["pids"]["doi"]["identifier"] == f"10.70001/{version['id']}"
    assert version["parent"]["pids"]["doi"] == record["parent"]["pids"]["doi"]
    assert datacite.doi(version["pids"]["doi"]["identifier"])[0] == "CZ.A.REPO"


def test_outage_keeps_publication_and_the_retry_registers_later(app, world, datacite):
    from consortium_tenants.dois.tasks import retry_failed_registrations

    client = app.test_client()
    (a, a_people), (_b, b_people) = world["a"], world["b"]
    datacite.fail_with = 503
    try:
        record = _publish(client, a, a_people, "Za výpadku")
    finally:
        datacite.fail_with = None
    doi, concept = record["pids"]["doi"]["identifier"], record["parent"]["pids"]["doi"]["identifier"]
    assert (_status(doi), _status(concept)) == ("K", "K")
    assert datacite.doi(doi) == (None, None)
    res = client.get(f"/api/tenants/{a['slug']}/dois/failed", headers=a_people["managers"])
    assert res.status_code == 200
    assert sorted(h["doi"] for h in res.json["hits"]["hits"]) == sorted([doi, concept])
    assert {h["error"] for h in res.json["hits"]["hits"]} == {"503: Service unavailable"}
    res = client.get(f"/api/tenants/{world['b'][0]['slug']}/dois/failed",
                     headers=b_people["managers"])
    assert res.json["hits"]["total"] == 0
    res = invoke_cli(app, ["tenants", "dois", "--failed", a["slug"]])
    assert res.exit_code == 1
    assert doi in res.output and concept in res.output and "2 DOI(s) not registered" in res.output
    retry_failed_registrations.delay()
    assert (_status(doi), _status(concept)) == ("R", "R")
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"
    res = invoke_cli(app, ["tenants", "dois", "--failed", a["slug"]])
    assert res.exit_code == 0 and "0 DOI(s) not registered" in res.output


def test_wrong_credentials_are_reported_for_the_library_not_as_500(
        app, world, datacite, make_tenant, admin_headers):
    client = app.test_client()
    tenant, people = make_tenant("doi-bad")
    datacite.add_account("CZ.BAD.REPO", "right", "10.70005")
    _account(client, admin_headers, tenant["slug"], "10.70005", "CZ.BAD.REPO", "wrong")
    record = _publish(client, tenant, people, "Špatné heslo")
    assert _status(record["pids"]["doi"]["identifier"]) == "K"
    res = client.get(f"/api/tenants/{tenant['slug']}/datacite", headers=admin_headers)
    assert (res.json["status"], res.json["last_error"]) == ("failing", "401: Bad credentials.")
    res = client.get(f"/api/tenants/{tenant['slug']}/datacite", headers=people["managers"])
    assert res.json == {"library": tenant["slug"], "status": "failing", "prefix": "10.70005"}
    # the managers' page: status and the DOIs waiting for registration
    from helpers import browser_of

    page = browser_of(app, people["managers_user"]).get(
        f"/libraries/{tenant['slug']}/dois", headers={"Accept-Language": "cs"})
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert 'data-status="failing"' in text and "Dosud neregistrované DOI (2)" in text
    assert record["pids"]["doi"]["identifier"] in text and "401: Bad credentials." in text
    other = world["a"][1]["managers_user"]
    assert browser_of(app, other).get(f"/libraries/{tenant['slug']}/dois").status_code == 403


SCHEMAS = __import__("pathlib").Path(__file__).parent / "schemas"
KERNEL = "http://datacite.org/schema/kernel-4"


@pytest.fixture(scope="module")
def xsd():
    from lxml import etree

    parser = etree.XMLParser(no_network=True)
    kernel = etree.XMLSchema(etree.parse(str(SCHEMAS / "kernel-4.5" / "metadata.xsd"), parser))
    oai = etree.XMLSchema(etree.parse(str(SCHEMAS / "oai-1.1" / "oai.xsd"), parser))
    return kernel, oai


def _valid(schema, element):
    assert schema.validate(element), [str(e) for e in schema.error_log]


REPOSITORIES = {"10.70001": "CZ.A.REPO", "10.70002": "CZ.B.REPO"}


def test_datacite_output_of_the_libraries_records_validates_against_the_kernel(
        app, world, xsd):
    """REST `datacite+xml`, OAI-PMH `datacite` and `oai_datacite` of records with DOIs,
    one of them deposited without a publisher (it gets its library's name)."""
    from lxml import etree

    kernel, oai = xsd
    client = app.test_client()
    (b, b_people) = world["b"]
    body = minimal_record("Bez vydavatele")
    body["files"] = {"enabled": False}
    del body["metadata"]["publisher"]
    draft = client.post("/api/records", headers=b_people["depositors"], json=body).json
    record = publish_in_library(client, b_people, b["community_id"], draft["id"])
    assert record["metadata"]["publisher"] == f"Knihovna {b['slug']}"
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    hits = client.get(f"/api/records?q=parent.communities.ids:{b['community_id']}&size=50",
                      headers={"Accept": "application/json"}).json["hits"]["hits"]
    assert len(hits) >= 2
    for hit in hits:
        res = client.get(f"/api/records/{hit['id']}",
                         headers={"Accept": "application/vnd.datacite.datacite+xml"})
        assert res.status_code == 200
        resource = etree.fromstring(res.data)
        assert resource.get("{http://www.w3.org/2001/XMLSchema-instance}schemaLocation") == \
            f"{KERNEL} http://schema.datacite.org/meta/kernel-4.5/metadata.xsd"
        _valid(kernel, resource)
        assert resource.findtext(f"{{{KERNEL}}}identifier") == hit["pids"]["doi"]["identifier"]
        page = client.get(f"/records/{hit['id']}").get_data(as_text=True)
        assert 'value="datacite-xml"' in page  # the record page offers the export
        for prefix in ("datacite", "oai_datacite"):
            res = client.get(f"/oai2d/{b['slug']}?verb=GetRecord&metadataPrefix={prefix}"
                             f"&identifier=oai:repository.consortium.example:{hit['id']}")
            assert res.status_code == 200
            page = etree.fromstring(res.data)
            metadata = page.find(".//{http://www.openarchives.org/OAI/2.0/}metadata")
            assert metadata is not None, res.get_data(as_text=True)[:500]
            element = metadata[0]
            if prefix == "oai_datacite":
                _valid(oai, element)
                # the repository holding the DOI (a work moved to B keeps A's)
                doi_prefix = hit["pids"]["doi"]["identifier"].split("/")[0]
                symbol = element.xpath("*[local-name()='datacentreSymbol']")
                assert [e.text for e in symbol] == [REPOSITORIES[doi_prefix]]
                element = element.find("{http://schema.datacite.org/oai/oai-1.1/}payload")[0]
            _valid(kernel, element)
            assert element.findtext(f"{{{KERNEL}}}publisher")


def test_deletion_hides_the_doi_and_restoring_shows_it(app, world, datacite, make_user):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    client = app.test_client()
    tenant, people = world["a"]
    record = _publish(client, tenant, people, "Smazané dílo")
    doi = record["pids"]["doi"]["identifier"]
    admin, admin_headers = make_user()
    current_datastore.add_role_to_user(admin, "admin")
    db.session.commit()
    res = client.delete(f"/api/records/{record['id']}/delete", headers=admin_headers,
                        json={"removal_reason": {"id": "spam"}, "is_visible": True})
    assert res.status_code == 204, res.json
    assert datacite.doi(doi)[1]["attributes"]["state"] == "registered"  # hidden, kept
    assert ("PUT", f"/dois/{doi}", "CZ.A.REPO") in datacite.requests
    res = client.post(f"/api/records/{record['id']}/restore", headers=admin_headers)
    assert res.status_code == 200, res.json
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"


def test_a_retry_of_a_doi_datacite_already_took_updates_it(app, world, datacite):
    from invenio_access.permissions import system_identity
    from invenio_db import db
    from invenio_pidstore.models import PersistentIdentifier, PIDStatus
    from invenio_rdm_records.proxies import current_rdm_records_service as service

    tenant, people = world["a"]
    record = _publish(app.test_client(), tenant, people, "Ztracená odpověď")
    doi = record["pids"]["doi"]["identifier"]
    PersistentIdentifier.get("doi", doi).status = PIDStatus.RESERVED  # as if the answer was lost
    db.session.commit()
    service.pids.register_or_update(system_identity, record["id"], "doi")
    assert _status(doi) == "R"
    assert [r for r in datacite.requests if r[1] in ("/dois", f"/dois/{doi}")][-2:] == \
        [("POST", "/dois", "CZ.A.REPO"), ("PUT", f"/dois/{doi}", "CZ.A.REPO")]


def test_unreachable_datacite_keeps_publication(app, world, configure):
    configure(CONSORTIUM_DATACITE_URLS={"test": "http://127.0.0.1:9/",
                                        "production": "http://127.0.0.1:9/"})
    client = app.test_client()
    tenant, people = world["a"]
    record = _publish(client, tenant, people, "Nedostupná DataCite")
    assert _status(record["pids"]["doi"]["identifier"]) == "K"
    res = client.get(f"/api/tenants/{tenant['slug']}/dois/failed", headers=people["managers"])
    errors = {h["doi"]: h["error"] for h in res.json["hits"]["hits"]}
    assert errors[record["pids"]["doi"]["identifier"]] == "DataCite unreachable: HttpError"


def test_records_without_a_doi_have_no_datacite_form_in_oai_pmh(app, make_tenant):
    """DataCite's kernel requires an <identifier>: a work without a DOI is refused in the
    DataCite formats (cannotDisseminateFormat), left out of their lists, and still served
    as Dublin Core."""
    from lxml import etree

    from invenio_rdm_records.proxies import current_rdm_records_service

    client = app.test_client()
    tenant, people = make_tenant("doi-none")
    record = _publish(client, tenant, people, "Dílo bez DOI")
    assert "doi" not in record["pids"]
    current_rdm_records_service.indexer.refresh()
    endpoint = f"/oai2d/{tenant['slug']}"
    identifier = f"oai:repository.consortium.example:{record['id']}"
    ns = {"o": "http://www.openarchives.org/OAI/2.0/"}

    def oai(query):
        res = client.get(f"{endpoint}?{query}")
        assert res.status_code == 200
        return etree.fromstring(res.data)

    for prefix in ("datacite", "oai_datacite", "datacite4", "oai_datacite4"):
        page = oai(f"verb=GetRecord&metadataPrefix={prefix}&identifier={identifier}")
        assert page.find("o:error", ns).get("code") == "cannotDisseminateFormat"
        page = oai(f"verb=ListIdentifiers&metadataPrefix={prefix}")
        assert page.find("o:error", ns).get("code") == "noRecordsMatch"
    page = oai(f"verb=ListMetadataFormats&identifier={identifier}")
    prefixes = {e.text for e in page.iterfind(".//o:metadataPrefix", ns)}
    assert "oai_dc" in prefixes and not prefixes & {"datacite", "oai_datacite"}
    page = oai("verb=ListIdentifiers&metadataPrefix=oai_dc")
    assert [e.text for e in page.iterfind(".//o:header/o:identifier", ns)] == [identifier]
    page = oai(f"verb=GetRecord&metadataPrefix=oai_dc&identifier={identifier}")
    assert page.find("o:error", ns) is None

    # REST and the record page's export: 406 with a message, not an invalid document.
    for media_type in ("application/vnd.datacite.datacite+xml",
                       "application/vnd.datacite.datacite+json"):
        res = client.get(f"/api/records/{record['id']}", headers={"Accept": media_type})
        assert res.status_code == 406 and res.json["status"] == 406
        assert res.json["message"].startswith("This work has no DOI")
    res = client.get(f"/api/records/{record['id']}", headers={
        "Accept": "application/vnd.datacite.datacite+xml", "Accept-Language": "cs"})
    assert res.json["message"].startswith("Toto dílo nemá DOI")
    for export in ("datacite-xml", "datacite-json"):
        assert client.get(f"/records/{record['id']}/export/{export}").status_code == 406
    page = client.get(f"/records/{record['id']}").get_data(as_text=True)
    assert 'value="dublincore"' in page and 'value="datacite-xml"' not in page
    assert client.get(f"/records/{record['id']}/export/dublincore").status_code == 200
    assert client.get(f"/api/records/{record['id']}",
                      headers={"Accept": "application/x-dc+xml"}).status_code == 200


def test_a_browser_gets_the_json_exports_readable_and_harvesters_the_same_json(app, world):
    """A person opening a work's DataCite JSON export (Accept: text/html) got one line of
    `\\u` escapes for every Czech letter ("Kronika \\u0160umavy"): the export is UTF-8,
    said so, indented; the REST API's DataCite JSON (harvesters) is the same document."""
    import json

    client = app.test_client()
    tenant, people = world["a"]
    record = _publish(client, tenant, people, "Kronika Šumavy a Pošumaví")
    assert record["pids"]["doi"]["identifier"].startswith("10.70001/")
    for export, media_type in (("datacite-json", "application/vnd.datacite.datacite+json"),
                               ("json", "application/json")):
        res = client.get(f"/records/{record['id']}/export/{export}",
                         headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
        assert res.status_code == 200
        assert res.headers["Content-Type"] == f"{media_type}; charset=utf-8"
        text = res.data.decode("utf-8")
        assert "Kronika Šumavy a Pošumaví" in text and "\\u" not in text
        assert "\n  " in text  # indented
        api = client.get(f"/api/records/{record['id']}", headers={"Accept": media_type})
        assert api.status_code == 200
        assert json.loads(text) == api.json if export == "datacite-json" else \
            json.loads(text)["metadata"]["title"] == api.json["metadata"]["title"]
