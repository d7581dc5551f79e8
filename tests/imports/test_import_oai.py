"""Importing a library's old repository over OAI-PMH (issue 28, first part): a DSpace 7
source (oai_source.py, a real HTTP server), the CLI with its progress bar, every item's
state and reason over REST (JSON and CSV), dry run, idempotent re-run, a changed item
(edited), an item deleted at the source (tombstone), unmappable items (failed)."""

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest

from helpers import invoke_cli
from oai_source import HOST, PREFIX, Source, item


@pytest.fixture()
def source():
    items = [item(n, f"Článek číslo {n}") for n in range(1, 6)]
    items.append(item(6, None))  # no title: cannot become a work
    items.append(item(7, "Bez autora", creators=()))
    gone = item(8, "Dávno smazaný")
    gone[1]["deleted"] = True  # withdrawn before the first import: nothing to do
    items.append(gone)
    server = Source(items)
    yield server
    server.stop()


def run(app, people, *args):
    """`invenio tenants import oai ARGS --as <the library's manager>`."""
    result = invoke_cli(app, ["tenants", "import", "oai", *args,
                              "--as", people["managers_user"].email])
    assert result.exit_code == 0, result.output
    run_id = result.output.split("Run ", 1)[1].split(":", 1)[0]
    return run_id, result.output


def report(client, headers, slug, run_id, **params):
    res = client.get(f"/api/tenants/{slug}/imports/{run_id}/items", headers=headers,
                     query_string=params)
    assert res.status_code == 200, res.json
    return res


def states(client, headers, slug, run_id):
    return {entry["source_id"].rsplit("/", 1)[1]: entry["state"]
            for entry in report(client, headers, slug, run_id).json["items"]}


def library_records(client, community_id):
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    res = client.get(f"/api/communities/{community_id}/records", query_string={"size": 50})
    assert res.status_code == 200
    return {hit["metadata"]["title"]: hit for hit in res.json["hits"]["hits"]}


def test_an_import_creates_reports_and_repeats_without_duplicates(app, make_tenant, source):
    tenant, people = make_tenant("imp")
    slug, client, manager = tenant["slug"], app.test_client(), people["managers"]
    expected_first = {"1": "created", "2": "created", "3": "created", "4": "created",
                      "5": "created", "6": "failed", "7": "failed", "8": "unchanged"}

    # a dry run: the same decisions, nothing written
    dry_id, output = run(app, people, slug, source.url, "--dry-run")
    assert "Dry run: created 5, updated 0, unchanged 1, deleted 0, failed 2" in output
    assert "Items" in output  # the progress bar's label
    assert states(client, manager, slug, dry_id) == expected_first
    assert library_records(client, tenant["community_id"]) == {}
    assert any("resumptionToken=" in path for path in source.requests)  # every page read

    # the import
    first_id, output = run(app, people, slug, source.url, "--bypass-review")
    assert "created 5, updated 0, unchanged 1, deleted 0, failed 2" in output
    assert states(client, manager, slug, first_id) == expected_first
    works = library_records(client, tenant["community_id"])
    assert sorted(works) == [f"Článek číslo {n}" for n in range(1, 6)]
    work = works["Článek číslo 3"]
    assert {"identifier": f"{PREFIX}/3", "scheme": "handle"} in work["metadata"]["identifiers"]
    assert {"identifier": f"oai:{HOST}:{PREFIX}/3", "scheme": "other"} in \
        work["metadata"]["identifiers"]
    assert work["metadata"]["publication_date"] == "2019"
    assert work["metadata"]["resource_type"]["id"] == "publication-article"
    assert work["metadata"]["rights"][0]["id"] == "cc-by-4.0"
    assert work["metadata"]["languages"][0]["id"] == "ces"
    assert work["metadata"]["description"] == \
        "<p>Článek o knihovnách.</p><p>Druhý odstavec &amp; více.</p>"
    assert work["metadata"]["creators"][0]["person_or_org"]["family_name"] == "Novák"

    # the old address cited in papers: /handle/<prefix>/<n> on the library's host
    host = f"{slug}.localhost:5000"
    res = client.get(f"/handle/{PREFIX}/3", base_url=f"http://{host}")
    assert res.status_code == 301
    assert res.headers["Location"] == f"http://{slug}.localhost:5000/records/{work['id']}"
    assert client.get(f"/handle/{PREFIX}/99", base_url=f"http://{host}").status_code == 404
    assert client.get("/handle/x'\"/3", base_url=f"http://{host}").status_code == 404
    assert client.get(f"/handle/{PREFIX}/3").status_code == 404  # the consortium's host

    failed = report(client, manager, slug, first_id, state="failed").json["items"]
    assert {entry["reason"] for entry in failed} == {"no dc:title", "no dc:creator"}
    assert "<dc:creator>" not in failed[1]["original"] and failed[0]["mapped"] is None
    table = list(csv.reader(io.StringIO(report(client, manager, slug, first_id,
                                               format="csv").get_data(as_text=True))))
    assert table[0] == ["source_id", "datestamp", "state", "reason", "record"]
    assert len(table) == 9 and {row[2] for row in table[1:]} == {"created", "failed",
                                                                 "unchanged"}
    res = client.get(f"/api/tenants/{slug}/imports/{first_id}", headers=manager)
    assert res.json["status"] == "finished" and res.json["done"] == res.json["total"] == 8

    # the same source again, whole: nothing created, nothing changed
    again_id, output = run(app, people, slug, source.url, "--full", "--bypass-review")
    assert "created 0, updated 0, unchanged 6, deleted 0, failed 2" in output
    assert len(library_records(client, tenant["community_id"])) == 5

    # the source changes one item and withdraws another: an incremental run sees only those
    later = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    changed = source.items[f"oai:{HOST}:{PREFIX}/2"]
    changed["dc"]["title"] = ["Článek číslo 2, opravený"]
    changed["datestamp"] = later
    withdrawn = source.items[f"oai:{HOST}:{PREFIX}/4"]
    withdrawn.update(deleted=True, datestamp=later)
    next_id, output = run(app, people, slug, source.url, "--bypass-review")
    assert "created 0, updated 1, unchanged 0, deleted 1, failed 0" in output
    assert states(client, manager, slug, next_id) == {"2": "updated", "4": "deleted"}
    works = library_records(client, tenant["community_id"])
    assert "Článek číslo 2, opravený" in works and "Článek číslo 2" not in works
    assert "Článek číslo 4" not in works
    gone = report(client, manager, slug, next_id, state="deleted").json["items"][0]["record"]
    assert client.get(f"/api/records/{gone}").status_code == 410  # a tombstone
    runs = client.get(f"/api/tenants/{slug}/imports", headers=manager).json["runs"]
    assert [r["id"] for r in runs] == [next_id, again_id, first_id, dry_id]
    assert runs[0]["harvest_from"] is not None and runs[2]["harvest_from"] is None


def test_only_the_library_managers_read_its_imports(app, make_tenant, source):
    tenant, people = make_tenant("imp-perm")
    other, other_people = make_tenant("imp-other")
    slug, client = tenant["slug"], app.test_client()
    run_id, _ = run(app, people, slug, source.url, "--dry-run")
    assert client.get(f"/api/tenants/{slug}/imports",
                      headers=people["managers"]).status_code == 200
    for headers in (people["depositors"], people["curators"], other_people["managers"]):
        assert client.get(f"/api/tenants/{slug}/imports", headers=headers).status_code == 403
        assert client.get(f"/api/tenants/{slug}/imports/{run_id}/items",
                          headers=headers).status_code == 403
    assert client.get(f"/api/tenants/{slug}/imports").status_code in (401, 403)
    # another library's run is not found through this one, nor is nonsense
    assert client.get(f"/api/tenants/{other['slug']}/imports/{run_id}",
                      headers=other_people["managers"]).status_code == 404
    assert client.get(f"/api/tenants/{slug}/imports/no-such-run",
                      headers=people["managers"]).status_code == 404


@pytest.mark.parametrize("language, message", [("cs", "Musí být jedno z"),
                                               ("en", "Must be one of")])
def test_a_bad_report_filter_is_a_400_in_the_request_language(app, make_tenant, source,
                                                              language, message):
    tenant, people = make_tenant("imp-bad")
    run_id, _ = run(app, people, tenant["slug"], source.url, "--dry-run")
    res = app.test_client().get(
        f"/api/tenants/{tenant['slug']}/imports/{run_id}/items",
        headers={**people["managers"], "Accept-Language": language},
        query_string={"state": "lost"})
    assert res.status_code == 400
    assert message in str(res.json)


def test_an_unreachable_source_fails_the_run_with_its_reason(app, make_tenant):
    tenant, people = make_tenant("imp-down")
    result = invoke_cli(app, ["tenants", "import", "oai", tenant["slug"],
                              "http://127.0.0.1:9/oai/request",
                              "--as", people["managers_user"].email])
    assert result.exit_code == 1
    assert "could not be harvested" in result.output
    runs = app.test_client().get(f"/api/tenants/{tenant['slug']}/imports",
                                 headers=people["managers"]).json["runs"]
    assert runs[0]["status"] == "failed" and "Connection" in runs[0]["error"]
