"""`invenio platform demo` (the last step of `make run`) on the test instance.

Run as a process of its own, as `make run` runs it: no request context, a
fresh instance (the demo libraries do not exist yet); the demo's old repository
(scripts/demo_source.py, as `make run` serves it) imported into SVKOS once.
"""

import html
import importlib.util
import json
import re
import sys
from datetime import datetime

import pytest

from helpers import ROOT, browser_of, invoke_cli, run_cli

sys.path.insert(0, str(ROOT / "tests" / "stats"))  # the statistics tests' helpers
from stats_helpers import (FIREFOX, event_clock, exception_codes, harvest_all,  # noqa: E402
                           nigiri_codes, nigiri_counts, our_counts, previous_month,
                           process_events, reader)

IMPORTED = 3  # works SVKOS's demo import creates (one more item fails)
IMPORTED_FILES = 2


def run_item(client, headers, run_id, source):
    """The work the demo import made of item SOURCE (`oai:<SOURCE>`)."""
    items = client.get(f"/api/tenants/svkos/imports/{run_id}/items", headers=headers).json
    return next(i["record"] for i in items["items"] if i["source_id"] == f"oai:{source}")


@pytest.fixture()
def demo_source():
    """The demo's old repository on a free port, served as scripts/app.sh serves it."""
    spec = importlib.util.spec_from_file_location("demo_source",
                                                  ROOT / "scripts" / "demo_source.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    source = module.DemoSource(ROOT / "app_data" / "demo_import").start()
    yield source
    source.stop()


def queue_community(slug):
    from consortium_tenants.tenants.models import TenantModel

    return TenantModel.query.filter_by(slug=slug).one().community_id


def test_demo_from_a_shell_fills_an_empty_instance_once(app, client, admin_headers,
                                                        demo_source):
    from invenio_accounts.proxies import current_datastore
    from invenio_rdm_records.proxies import current_rdm_records_service

    assert client.get("/api/tenants/mzk").status_code == 404  # an empty instance
    result = run_cli("platform", "demo", "--import-from", demo_source.url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Demo import into svkos: finished (created 3, failed 1)" in result.stdout
    # Demo accounts are created confirmed (they could not log in otherwise).
    for email in ("manager@mzk.example", "researcher@svkos.example", "curator@vkol.example"):
        assert current_datastore.find_user(email=email).confirmed_at, email
    current_rdm_records_service.indexer.refresh()
    from invenio_requests.proxies import current_requests_service

    current_requests_service.indexer.refresh()
    presets = {"mzk": "mediated", "svkos": "open", "vkol": "closed"}
    assert client.get("/api/tenants/mzk/kramerius").json["base_url"] == \
        "https://www.digitalniknihovna.cz/mzk"
    oa = client.get("/api/tenants/mzk/oa-policy").json  # tenants.yaml `oa_policy:`
    assert oa["based_on"] == "czech-national" and oa["policy"]["severity"] == "error"
    for slug, preset in presets.items():
        extra = 1 if slug == "mzk" else 0  # MZK's printed work, deposited as a PDF only
        extra += IMPORTED if slug == "svkos" else 0  # SVKOS's works from its old EPrints
        assert client.get(f"/api/tenants/{slug}/workflow").json["preset"] == preset
        queue = client.get(f"/api/tenants/{slug}/submissions", headers=admin_headers).json
        pending = 1 if preset == "mediated" else 0  # one deposit waits for MZK's curators
        assert queue["counts"]["submitted"] == pending, (slug, queue["counts"])
        assert queue["counts"]["accepted"] == 3 + extra, (slug, queue["counts"])
        storage = client.get(f"/api/tenants/{slug}/usage", headers=admin_headers).json["storage"]
        files = {"mzk": 1, "svkos": IMPORTED_FILES}.get(slug, 0)
        assert storage["files"] == 2 + 8 + pending + files and storage["bytes"] > 0, \
            (slug, storage)
        assert storage["location"].endswith(f"/tenants/{slug}")
        res = client.get(f"/oai2d/{slug}?verb=ListIdentifiers&metadataPrefix=oai_dc")
        assert res.status_code == 200
        assert res.get_data(as_text=True).count("<header>") == 3 + extra
        # each demo library mints under its own test prefix (tenants.yaml `datacite:`)
        prefix = {"mzk": "10.83001", "svkos": "10.83002", "vkol": "10.83003"}[slug]
        hits = client.get(f"/api/records?q=parent.communities.ids:{queue_community(slug)}",
                          headers={"Accept": "application/json"}).json["hits"]["hits"]
        assert sorted(h["pids"]["doi"]["identifier"].split("/")[0] for h in hits) == \
            [prefix] * (3 + extra), slug
        # the digitised work: its eight page scans in a IIIF manifest, in page order
        scans = [h for h in hits if h["metadata"]["resource_type"]["id"] == "publication-book"]
        manifest = client.get(f"/api/iiif/3/record:{scans[0]['id']}/manifest").json
        assert [c["label"]["none"][0] for c in manifest["items"]] == \
            [f"strana-{n:03}.png" for n in range(1, 9)], slug
        # MZK set its Kramerius (tenants.yaml `kramerius:`): its digitised work links there
        uuid = "uuid:ba4934d1-0a1e-4a01-a89d-c948477ca833"
        page = client.get(f"/records/{scans[0]['id']}", base_url=f"http://{slug}.localhost"
                          ).get_data(as_text=True)
        link = f'href="https://www.digitalniknihovna.cz/mzk/uuid/{uuid}"'
        assert (link in page) == (slug == "mzk"), slug
    # MZK's printed work: its PDF's four pages tiled after publish, canvases of its manifest
    (printed,) = [h for h in client.get(
        f"/api/records?q=parent.communities.ids:{queue_community('mzk')}",
        headers={"Accept": "application/json"}).json["hits"]["hits"]
        if h["metadata"]["title"].startswith("Výroční zpráva knihovny 1905")]
    manifest = client.get(f"/api/iiif/3/record:{printed['id']}/manifest").json
    assert [c["label"]["en"][0] for c in manifest["items"]] == \
        [f"vyrocni-zprava-1905.pdf — page {n}" for n in range(1, 5)]
    service = manifest["items"][0]["items"][0]["items"][0]["body"]["service"][0]["@id"]
    path = "/" + service.split("://", 1)[1].split("/", 1)[1]
    tile = client.get(f"{path}/0,0,256,256/256,/0/default.jpg", base_url="http://mzk.localhost")
    assert tile.status_code == 200 and b"Generated by IIPImage" in tile.data
    # The curators' request page names the depositor (not "Anonymous user").
    from invenio_users_resources.proxies import current_users_service

    current_users_service.indexer.refresh()
    pending = client.get("/api/tenants/mzk/submissions", headers=admin_headers).json
    request_id = pending["hits"]["hits"][0]["id"]
    curator = browser_of(app, current_datastore.find_user(email="curator@mzk.example"),
                         password="demo-Heslo-2026")
    page = curator.get(f"/communities/mzk/requests/{request_id}").get_data(as_text=True)
    shown = json.loads(html.unescape(re.search(r"data-record='([^']*)'", page).group(1)))
    depositor = shown["expanded"]["created_by"]
    assert (depositor["username"], depositor["profile"]["full_name"]) == \
        ("researcher-mzk", "Researcher MZK")
    # SVKOS's import of its old EPrints: a finished run, its failed item with the reason
    (run,) = client.get("/api/tenants/svkos/imports", headers=admin_headers).json["runs"]
    assert (run["status"], run["source"]["url"]) == ("finished", demo_source.url)
    assert {k: v for k, v in run["counts"].items() if v} == {"created": 3, "failed": 1}
    (failed,) = client.get(f"/api/tenants/svkos/imports/{run['id']}/items",
                           query_string={"state": "failed"}, headers=admin_headers
                           ).json["items"]
    assert failed["source_id"] == "oai:eprints.svkos.example:4"
    assert "plan-moravska-ostrava-1890.pdf" in failed["reason"] and "HTTP 404" in \
        failed["reason"]
    # its old EPrints addresses lead to the imported works
    current_rdm_records_service.indexer.refresh()
    res = client.get("/id/eprint/1", base_url="http://svkos.localhost")
    assert res.status_code == 301 and res.headers["Location"].endswith(
        f"/records/{run_item(client, admin_headers, run['id'], 'eprints.svkos.example:1')}")
    # idempotent: a second run adds nothing, imports nothing again
    requested = len(demo_source.requested)
    again = run_cli("platform", "demo", "--import-from", demo_source.url)
    assert again.returncode == 0, again.stdout + again.stderr
    storage = client.get("/api/tenants/mzk/usage", headers=admin_headers).json["storage"]
    assert storage["files"] == 12
    assert len(client.get("/api/tenants/svkos/imports", headers=admin_headers
                          ).json["runs"]) == 1
    assert len(demo_source.requested) == requested  # the source was not even asked
    storage = client.get("/api/tenants/svkos/usage", headers=admin_headers).json["storage"]
    assert storage["files"] == 2 + 8 + IMPORTED_FILES


def test_an_independent_sushi_client_reads_every_report_of_the_demo(
        app, client, admin_headers, http_server, nigiri, sushi_schema):
    """Issue 32: celus-nigiri (an independent SUSHI client) and the COUNTER_SUSHI API schema
    accept every report each demo library lists, before any month is processed (3031) and
    after last month is, when a reader opened MZK's demo works over HTTP
    (nigiri's counts are ours). Runs on the demo the test above made."""
    from consortium_tenants.stats.models import ProcessedMonth
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service

    month = previous_month()
    libraries = {}
    for slug in ("mzk", "svkos", "vkol"):
        res = client.post(f"/api/tenants/{slug}/sushi-credentials", headers=admin_headers,
                          json={"label": "Celus"})
        assert res.status_code == 201, (slug, res.json)
        libraries[slug] = {"month": month, "credentials": {
            k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}}
    saved = [(m.month, m.computed_at) for m in ProcessedMonth.query]
    ProcessedMonth.query.delete()
    db.session.commit()
    try:
        for slug, library in libraries.items():
            read, answers = harvest_all(client, http_server, nigiri, sushi_schema, library)
            for report_id, report in answers.items():
                assert "3031" in exception_codes(report), (slug, report_id, report)
                assert nigiri_codes(read[report_id]) == exception_codes(report), \
                    (slug, read[report_id])
                assert read[report_id]["records"] == [], (slug, report_id)
    finally:
        for processed, computed_at in saved:
            db.session.add(ProcessedMonth(month=processed, computed_at=computed_at))
        db.session.commit()

    # A reader opens each of MZK's demo works last month; the month is processed
    current_rdm_records_service.indexer.refresh()
    works = [hit["id"] for hit in current_rdm_records_service.search(
        system_identity(), params={"q": "parent.communities.default:"
                                        f"{queue_community('mzk')}", "size": 50}).hits]
    assert works
    browser = reader(app, "10.8.1.1", FIREFOX)
    for minute, recid in enumerate(works):
        with event_clock(datetime.fromisoformat(f"{month.isoformat()} 09:{minute:02d}:00")):
            assert browser.get(f"/records/{recid}", base_url="http://mzk.localhost"
                               ).status_code == 200
    process_events(app)
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month",
                              month.strftime("%Y-%m")])
    assert result.exit_code == 0, result.output
    for slug, library in libraries.items():
        read, answers = harvest_all(client, http_server, nigiri, sushi_schema, library)
        for report_id, report in answers.items():
            got = read[report_id]
            # nigiri reads exactly our exceptions (3030 for a report without usage, which
            # it calls an error) and nothing else: no parse or transport error
            assert nigiri_codes(got) == exception_codes(report), (slug, report_id, got)
            assert all(e["code"] for e in got["errors"]), (slug, report_id, got["errors"])
            assert nigiri_counts(got) == our_counts(report), (slug, report_id)
        if slug == "mzk":
            views = sum(n for (metric, _, _), n in nigiri_counts(read["PR"]).items()
                        if metric == "Total_Item_Investigations")
            assert views == len(works)
        else:
            assert all(not got["records"] for got in read.values()), slug


def system_identity():
    from invenio_access.permissions import system_identity as identity

    return identity
