"""Kramerius links of digitised works (issue 30): the URN:NBN and the library's Kramerius
uuid as identifiers (a malformed one refused at its field in Czech or English), the
library's Kramerius (REST and its page, validated), the landing page's link to the
Kramerius view and the gateway's manifest in the viewer, and the job that checks the
links and lists the broken ones to the library's managers. The library's Kramerius is
tests/kramerius_fixture.py on this machine."""

import json
import re
import uuid as uuidlib

import pytest

from helpers import browser_of, minimal_record, publish_in_library, run_job, run_log
from kramerius_fixture import Kramerius

URNNBN = "urn:nbn:cz:mzk-0001xq"
MESSAGES = {
    "cs": ("Toto není URN:NBN: má tvar urn:nbn:cz:mzk-0001xq",
           "Toto není identifikátor Krameria: má tvar uuid:"),
    "en": ("Not a URN:NBN: it looks like urn:nbn:cz:mzk-0001xq",
           "Not a Kramerius identifier: it looks like uuid:"),
}


def new_uuid():
    return f"uuid:{uuidlib.uuid4()}"


def linked_work(client, people, tenant, title, urnnbn=URNNBN, uuid=None):
    """A published metadata-only work carrying URNNBN and UUID as identifiers."""
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    body["metadata"]["identifiers"] = [
        ident for ident in ({"scheme": "urnnbn", "identifier": urnnbn} if urnnbn else None,
                            {"scheme": "kramerius", "identifier": uuid} if uuid else None)
        if ident]
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    assert not res.json.get("errors"), res.json["errors"]
    return publish_in_library(client, people, tenant["community_id"], res.json["id"])


def field_errors(answer):
    return {e["field"]: e["messages"] for e in answer.get("errors") or []}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_malformed_urnnbn_or_kramerius_uuid_is_refused_at_its_field(
        app, client, make_tenant, language):
    tenant, people = make_tenant("kram")
    dep = {**people["depositors"], "Accept-Language": language}
    body = minimal_record("Atlas Moravy")
    body["files"] = {"enabled": False}
    body["metadata"]["identifiers"] = [
        {"scheme": "urnnbn", "identifier": "urn:nbn:cz:mzk"},
        {"scheme": "kramerius", "identifier": "uuid:12345"},
    ]
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    errors = field_errors(res.json)
    urn_message, uuid_message = MESSAGES[language]
    assert errors["metadata.identifiers.0.identifier"][0].startswith(urn_message), errors
    assert errors["metadata.identifiers.1.identifier"][0].startswith(uuid_message), errors

    # submitting it: 400 with the same field errors, nothing published
    draft_id = res.json["id"]
    res = client.put(f"/api/records/{draft_id}/draft/review", headers=dep, json={
        "receiver": {"community": tenant["community_id"]}, "type": "community-submission"})
    assert res.status_code == 200, res.json
    res = client.post(f"/api/records/{draft_id}/draft/actions/submit-review", headers=dep,
                      json={})
    assert res.status_code == 400, res.json
    assert field_errors(res.json)["metadata.identifiers.0.identifier"][0].startswith(
        urn_message), res.json
    assert client.get(f"/api/records/{draft_id}").status_code == 404

    # well-formed ones pass (a Czech URN:NBN, an upper-case uuid kept as given)
    body["metadata"]["identifiers"] = [
        {"scheme": "urnnbn", "identifier": URNNBN},
        {"scheme": "kramerius", "identifier": "uuid:0EAA6730-9068-11DD-97DE-000D606F5DC6"}]
    res = client.put(f"/api/records/{draft_id}/draft", headers=dep, json=body)
    assert res.status_code == 200, res.json
    assert not res.json.get("errors"), res.json["errors"]


def test_a_library_sets_its_kramerius_over_rest(client, make_tenant):
    tenant, people = make_tenant("kram")
    slug = tenant["slug"]
    url = f"/api/tenants/{slug}/kramerius"
    assert client.get(url).json == {
        "library": slug, "library_name": tenant["names"]["en"], "base_url": None,
        "manifest_url": None, "links": {
            "self": f"http://127.0.0.1:5000/api/tenants/{slug}/kramerius",
            "broken_links": f"http://127.0.0.1:5000/api/tenants/{slug}/kramerius/broken-links"}}

    cs = {**people["managers"], "Accept-Language": "cs"}
    res = client.put(url, headers=cs, json={"base_url": "kramerius.example.cz",
                                            "manifest_url": "https://k.example.cz/iiif/manifest"})
    assert res.status_code == 400, res.json
    errors = field_errors(res.json)
    assert errors["base_url"] == ["Zadejte adresu Krameria knihovny, např. "
                                  "https://kramerius.example.cz."]
    assert errors["manifest_url"][0].startswith("Napište jednou {uuid} tam")
    res = client.put(url, headers=people["managers"], json={
        "base_url": "ftp://kramerius.example.cz",
        "manifest_url": "javascript:alert(1)//{uuid}"})
    assert res.status_code == 400
    assert set(field_errors(res.json)) == {"base_url", "manifest_url"}
    assert field_errors(res.json)["manifest_url"][0].startswith(
        "Give the address of the manifests of the library's IIIF gateway")
    assert client.put(url, headers=people["managers"], json=["x"]).status_code == 400
    assert client.get(url).json["base_url"] is None  # nothing saved

    for role in ("curators", "depositors"):
        res = client.put(url, headers=people[role], json={"base_url": "https://k.example.cz"})
        assert res.status_code == 403
    # anonymous: refused (400: no CSRF token)
    assert client.put(url, json={"base_url": "https://k.example.cz"}).status_code in (400, 401,
                                                                                     403)
    assert client.get(url).json["base_url"] is None

    res = client.put(url, headers=people["managers"], json={
        "base_url": " https://kramerius.example.cz/mzk/ ",
        "manifest_url": "https://kramerius.example.cz/iiif/{uuid}/manifest"})
    assert res.status_code == 200, res.json
    assert res.json["base_url"] == "https://kramerius.example.cz/mzk"
    # a field given as null (or empty) removes it; a field left out stays
    res = client.put(url, headers=people["managers"], json={"manifest_url": None})
    assert (res.json["base_url"], res.json["manifest_url"]) == (
        "https://kramerius.example.cz/mzk", None)


@pytest.fixture(scope="module")
def kramerius():
    with Kramerius() as server:
        yield server


@pytest.mark.parametrize("language", ["cs", "en"])
def test_the_landing_page_links_to_kramerius_and_shows_the_gateways_manifest(
        app, client, make_tenant, kramerius, language):
    tenant, people = make_tenant("kram")
    slug, host = tenant["slug"], f"http://{tenant['slug']}.localhost"
    uuid = new_uuid()
    kramerius.works.add(uuid)
    res = client.put(f"/api/tenants/{slug}/kramerius", headers=people["managers"], json={
        "base_url": kramerius.base, "manifest_url": kramerius.base + "/iiif/{uuid}/manifest"})
    assert res.status_code == 200, res.json
    record = linked_work(client, people, tenant, "Mapa Moravy z Krameria", uuid=uuid)
    plain = linked_work(client, people, tenant, "Bez Krameria", urnnbn=None)

    page = client.get(f"/records/{record['id']}", base_url=host,
                      headers={"Accept-Language": language})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    panel = html[html.index('class="ui segment kramerius-panel"'):]
    panel = panel[:panel.index("</section>")]
    assert f'href="{kramerius.base}/uuid/{uuid}"' in panel
    assert {"cs": "Otevřít v Krameriovi knihovny",
            "en": "Open in the library"}[language] in panel
    assert URNNBN in panel and uuid in panel
    viewer = re.search(r'<iframe class="kramerius-viewer" src="([^"]+)"', panel).group(1)
    assert viewer == f"/records/{record['id']}/kramerius-viewer"

    frame = client.get(viewer, base_url=host, headers={"Accept-Language": language})
    assert frame.status_code == 200
    config = json.loads(re.search(r'id="iiif-viewer-config">([^<]+)<',
                                  frame.get_data(as_text=True)).group(1))
    assert config["manifest"] == f"{kramerius.base}/iiif/{uuid}/manifest"
    assert config["language"] == language
    policy = frame.headers["Content-Security-Policy"]
    assert re.search(r"connect-src 'self' https: http:", policy), policy
    assert "script-src 'self'" in policy and "script-src *" not in policy
    # the landing page itself keeps the app's policy
    assert "connect-src" not in page.headers["Content-Security-Policy"]

    # a work without a Kramerius uuid: no panel, no viewer
    assert "kramerius-panel" not in client.get(f"/records/{plain['id']}", base_url=host
                                               ).get_data(as_text=True)
    assert client.get(f"/records/{plain['id']}/kramerius-viewer",
                      base_url=host).status_code == 404
    assert client.get("/records/nope-0000/kramerius-viewer", base_url=host).status_code == 404

    # without a gateway: the link, no viewer
    client.put(f"/api/tenants/{slug}/kramerius", headers=people["managers"],
               json={"manifest_url": None})
    html = client.get(f"/records/{record['id']}", base_url=host).get_data(as_text=True)
    assert f'href="{kramerius.base}/uuid/{uuid}"' in html and "kramerius-viewer" not in html


def test_a_restricted_works_viewer_is_refused_to_others(app, client, make_tenant, kramerius):
    tenant, people = make_tenant("kram")
    uuid = new_uuid()
    client.put(f"/api/tenants/{tenant['slug']}/kramerius", headers=people["managers"], json={
        "base_url": kramerius.base, "manifest_url": kramerius.base + "/iiif/{uuid}/manifest"})
    body = minimal_record("Rukopis")
    body["files"] = {"enabled": False}
    body["access"] = {"record": "restricted", "files": "restricted"}
    body["metadata"]["identifiers"] = [{"scheme": "kramerius", "identifier": uuid}]
    res = client.post("/api/records", headers=people["depositors"], json=body)
    record = publish_in_library(client, people, tenant["community_id"], res.json["id"])
    host = f"http://{tenant['slug']}.localhost"
    assert client.get(f"/records/{record['id']}/kramerius-viewer",
                      base_url=host).status_code == 403
    owner = browser_of(app, people["depositors_user"], base_url=host)
    assert owner.get(f"/records/{record['id']}/kramerius-viewer",
                     base_url=host).status_code == 200


def test_managers_set_the_kramerius_on_the_librarys_page(app, client, make_tenant):
    tenant, people = make_tenant("kram")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])
    page = browser.get(f"/libraries/{slug}/kramerius", headers={"Accept-Language": "cs"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="/libraries/{slug}/kramerius"' in html  # in the library's menu
    assert "Kontrola ještě neproběhla" in html

    res = browser.post(f"/libraries/{slug}/kramerius", headers={"Accept-Language": "cs"},
                       data={"base_url": "nic", "manifest_url": ""})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert re.search(r'id="error-base_url" role="alert">Zadejte adresu Krameria knihovny',
                     html)
    assert 'value="nic"' in html  # what was typed stays
    assert client.get(f"/api/tenants/{slug}/kramerius").json["base_url"] is None

    res = browser.post(f"/libraries/{slug}/kramerius", data={
        "base_url": "https://kramerius.example.cz",
        "manifest_url": "https://kramerius.example.cz/iiif/{uuid}/manifest"})
    assert res.status_code == 302
    assert client.get(f"/api/tenants/{slug}/kramerius").json["manifest_url"] == (
        "https://kramerius.example.cz/iiif/{uuid}/manifest")

    for role in ("curators", "depositors"):
        other = browser_of(app, people[f"{role}_user"])
        assert other.get(f"/libraries/{slug}/kramerius").status_code == 403
        assert other.post(f"/libraries/{slug}/kramerius",
                          data={"base_url": "https://x.example.cz"}).status_code in (400, 403)


def test_the_link_check_job_lists_the_broken_links_to_the_managers(
        app, client, make_tenant, panel_admin_headers, configure):
    tenant, people = make_tenant("kram")
    slug = tenant["slug"]
    good, gone, slow = new_uuid(), new_uuid(), new_uuid()
    with Kramerius(works=[good], slow=[slow], delay=2.0) as server:
        client.put(f"/api/tenants/{slug}/kramerius", headers=people["managers"],
                   json={"base_url": server.base})
        works = {name: linked_work(client, people, tenant, f"Dílo {name}", uuid=uuid)["id"]
                 for name, uuid in (("good", good), ("gone", gone), ("slow", slow))}
        linked_work(client, people, tenant, "Jen URN:NBN")  # no uuid: nothing to check
        from invenio_rdm_records.proxies import current_rdm_records_service
        current_rdm_records_service.indexer.refresh()

        assert client.get(f"/api/tenants/{slug}/kramerius/broken-links",
                          headers=people["curators"]).status_code == 403
        configure(CONSORTIUM_KRAMERIUS_LINK_TIMEOUT=0.5)
        run = run_job(client, panel_admin_headers, "consortium-kramerius-links")
        assert run["status"] == "SUCCESS", run
        assert ("HEAD", f"/uuid/{good}") in server.requests
    lines = run_log(client, panel_admin_headers, run["id"])
    assert f"Kramerius links of {slug}: 3 checked, 2 broken" in lines, [
        line for line in lines if "Kramerius" in line][-6:]

    res = client.get(f"/api/tenants/{slug}/kramerius/broken-links", headers=people["managers"])
    assert res.status_code == 200, res.json
    assert (res.json["checked"], res.json["broken"]) == (3, 2)
    broken = {hit["record"]: hit for hit in res.json["hits"]}
    assert set(broken) == {works["gone"], works["slow"]}
    assert broken[works["gone"]]["status"] == 404
    assert broken[works["gone"]]["url"] == f"{server.base}/uuid/{gone}"
    assert (broken[works["slow"]]["status"], broken[works["slow"]]["reason"]) == (
        None, "timeout")

    browser = browser_of(app, people["managers_user"])
    html = browser.get(f"/libraries/{slug}/kramerius", headers={"Accept-Language": "en"}
                       ).get_data(as_text=True)
    table = html[html.index('class="ui compact celled table kramerius-broken"'):]
    assert f'data-id="{works["gone"]}"' in table and f'data-id="{works["slow"]}"' in table
    assert f'data-id="{works["good"]}"' not in table
    assert "Dílo gone" in table and "timeout" in table
    assert "3 links checked, 2 broken" in html


def test_the_kramerius_migration_creates_the_models_tables(app):
    """The alembic revision creates exactly the tables the models describe."""
    import importlib.util
    from pathlib import Path

    import consortium_tenants
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from consortium_tenants.iiif.kramerius.models import (
        KrameriusLinkModel,
        KrameriusSettingsModel,
    )
    from invenio_db import db

    path = next((Path(consortium_tenants.__file__).parent / "alembic").glob("c3d4e5f6a725_*.py"))
    spec = importlib.util.spec_from_file_location("migration_kramerius", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    schema = "kramerius_migration_check"
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        connection.execute(sa.text(f"SET LOCAL search_path TO {schema}, public"))
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()
        inspector = sa.inspect(connection)
        tables = (KrameriusSettingsModel.__table__, KrameriusLinkModel.__table__)
        assert set(inspector.get_table_names(schema=schema)) == {t.name for t in tables}
        for table in tables:
            columns = {c["name"]: c for c in inspector.get_columns(table.name, schema=schema)}
            assert set(columns) == {c.name for c in table.columns}
            for column in table.columns:
                assert columns[column.name]["nullable"] == column.nullable, column.name
        with Operations.context(MigrationContext.configure(connection)):
            migration.downgrade()
        assert not sa.inspect(connection).get_table_names(schema=schema)
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
