"""The libraries' old repositories are followed by a scheduled invenio-jobs job (issue 28):
each source a library imported from for real is harvested again from its last finished
run; administrators see the run with its log, a source that fails fails the run by name
after the others ran."""

from datetime import datetime, timedelta, timezone

from helpers import run_job
from oai_source import HOST, PREFIX, Source, item


def start(client, headers, slug, url, **body):
    res = client.post(f"/api/tenants/{slug}/imports", headers=headers,
                      json={"url": url, "bypass_review": True, **body})
    assert res.status_code == 202, res.json
    return res.json["id"]


def runs_of(client, headers, slug):
    return client.get(f"/api/tenants/{slug}/imports", headers=headers).json["runs"]


def test_the_job_follows_each_library_source_and_names_the_one_that_failed(
        app, make_tenant, configure, panel_admin_headers):
    configure(CONSORTIUM_IMPORT_PRIVATE_SOURCES=True)  # the test sources are on 127.0.0.1
    client = app.test_client()
    live = Source([item(n, f"Zpráva {n}") for n in range(1, 4)])
    dead = Source([item(n, f"Kniha {n}") for n in range(1, 3)])
    dry = Source([item(1, "Jen na zkoušku")])
    try:
        tenant, people = make_tenant("imp-job")
        other, other_people = make_tenant("imp-job-b")
        manager, other_manager = people["managers"], other_people["managers"]
        first = start(client, manager, tenant["slug"], live.url)
        start(client, other_manager, other["slug"], dead.url)
        start(client, manager, tenant["slug"], dry.url, dry_run=True)  # never followed
        dead.stop()  # connections refused from now on

        # at the source: one item changed, one withdrawn, one new
        later = (datetime.now(timezone.utc) + timedelta(minutes=1)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")
        live.items[f"oai:{HOST}:{PREFIX}/2"]["dc"]["title"] = ["Zpráva 2, opravená"]
        live.items[f"oai:{HOST}:{PREFIX}/2"]["datestamp"] = later
        live.items[f"oai:{HOST}:{PREFIX}/3"].update(deleted=True, datestamp=later)
        new_id, new_entry = item(4, "Zpráva 4", datestamp=later)
        live.items[new_id] = new_entry

        run = run_job(client, panel_admin_headers, "consortium-imports-incremental")
        assert run["status"] == "FAILED", run  # the dead source, named in the message
        assert dead.url in run["message"] and live.url not in run["message"], run["message"]

        runs = runs_of(client, manager, tenant["slug"])
        followed = [r for r in runs if r["source"]["url"] == live.url and r["id"] != first]
        assert len(followed) == 1, runs
        assert followed[0]["harvest_from"] is not None and followed[0]["counts"] == {
            "created": 1, "updated": 1, "unchanged": 0, "deleted": 1, "failed": 0}
        assert [r for r in runs if r["source"]["url"] == dry.url] == [
            r for r in runs if r["options"]["dry_run"]]  # the dry run was not followed
        failed = [r for r in runs_of(client, other_manager, other["slug"])
                  if r["status"] == "failed"]
        assert len(failed) == 1 and failed[0]["error"], failed

        # the next run: nothing new at the live source, nothing created or changed
        run_job(client, panel_admin_headers, "consortium-imports-incremental")
        latest = runs_of(client, manager, tenant["slug"])[0]
        assert latest["source"]["url"] == live.url and latest["status"] == "finished"
        assert {state: latest["counts"][state] for state in ("created", "updated", "deleted",
                                                            "failed")} == {
            "created": 0, "updated": 0, "deleted": 0, "failed": 0}, latest
    finally:
        live.stop()
        dry.stop()
