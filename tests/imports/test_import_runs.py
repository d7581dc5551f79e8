"""Imports started by a library's manager over REST run in a worker, can be stopped, and a
run whose worker died resumes without duplicates (issue 28)."""

import pytest

from oai_source import Source, item


@pytest.fixture()
def source():
    server = Source([item(n, f"Zpráva {n}") for n in range(1, 6)])
    yield server
    server.stop()


def start(client, headers, slug, **body):
    return client.post(f"/api/tenants/{slug}/imports", headers=headers, json=body)


def titles(client, community_id):
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    hits = client.get(f"/api/communities/{community_id}/records",
                      query_string={"size": 50}).json["hits"]["hits"]
    return sorted(hit["metadata"]["title"] for hit in hits)


def test_a_manager_starts_an_import_over_rest(app, make_tenant, source, configure):
    configure(CONSORTIUM_IMPORT_PRIVATE_SOURCES=True)  # the test source is on 127.0.0.1
    tenant, people = make_tenant("imp-rest")
    client, manager = app.test_client(), people["managers"]
    res = start(client, manager, tenant["slug"], url=source.url, bypass_review=True)
    assert res.status_code == 202, res.json
    run = client.get(f"/api/tenants/{tenant['slug']}/imports/{res.json['id']}",
                     headers=manager).json  # the worker ran it (eager in tests)
    assert run["status"] == "finished" and run["counts"]["created"] == 5
    assert run["done"] == run["total"] == 5 and run["rate"] > 0 and run["eta_seconds"] is None
    assert titles(client, tenant["community_id"]) == [f"Zpráva {n}" for n in range(1, 6)]
    # the works belong to the manager who started it (their drafts, gone at publication,
    # leave the drafts' index at its next refresh: one of them could still be listed)
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.draft_indexer.refresh()
    mine = client.get("/api/user/records", headers=manager).json["hits"]["hits"]
    assert sorted(hit["metadata"]["title"] for hit in mine) == [f"Zpráva {n}"
                                                                for n in range(1, 6)]
    # depositors may not start one
    res = start(client, people["depositors"], tenant["slug"], url=source.url)
    assert res.status_code == 403


@pytest.mark.parametrize("language, texts", [
    ("cs", ("Nevalidní URL.", "Zdrojem musí být veřejná adresa", "Neznámé pole.")),
    ("en", ("Not a valid URL.", "must be a public address", "Unknown field.")),
])
def test_a_bad_start_is_a_400_in_the_request_language_and_starts_nothing(
        app, make_tenant, language, texts):
    tenant, people = make_tenant("imp-400")
    client = app.test_client()
    headers = {**people["managers"], "Accept-Language": language}
    bodies = [{"url": "ftp://example.org/oai"}, {"url": "http://127.0.0.1:5432/oai"},
              {"url": "https://example.org/oai", "wipe": True}]
    for body, text in zip(bodies, texts):
        res = start(client, headers, tenant["slug"], **body)
        assert res.status_code == 400, res.json
        assert text in str(res.json), res.json
    for body in ({"url": "https://example.org/oai", "dry_run": "maybe"}, {}, ["x"]):
        res = client.post(f"/api/tenants/{tenant['slug']}/imports", headers=headers, json=body)
        assert res.status_code == 400, res.json
    runs = client.get(f"/api/tenants/{tenant['slug']}/imports", headers=headers).json["runs"]
    assert runs == []


def test_a_run_whose_worker_died_resumes_without_duplicates(app, make_tenant, source):
    from consortium_tenants.imports.tasks import run_import
    from consortium_tenants.proxies import current_consortium

    tenant, people = make_tenant("imp-kill")
    service = current_consortium.imports_service
    from consortium_tenants.imports.service import person_identity

    manager = person_identity(people["managers_user"].id)
    run = service.start(manager, tenant["slug"], source.url, bypass_review=True)
    harvested = service.harvest(run)

    class WorkerKilled(Exception):
        pass

    def dies_after_two(count, seen=[]):  # fault injection: the process dies mid-run
        seen.append(count)
        if len(seen) == 2:
            raise WorkerKilled

    with pytest.raises(WorkerKilled):
        service.process(manager, run, harvested, progress=dies_after_two)
    client = app.test_client()
    assert len(titles(client, tenant["community_id"])) == 2
    state = client.get(f"/api/tenants/{tenant['slug']}/imports/{run.id}",
                       headers=people["managers"]).json
    assert state["status"] == "running" and state["done"] == 2

    run_import.delay(str(run.id))  # the task redelivered to a new worker
    state = client.get(f"/api/tenants/{tenant['slug']}/imports/{run.id}",
                       headers=people["managers"]).json
    assert state["status"] == "finished" and state["done"] == 5
    assert state["counts"]["created"] == 5
    assert titles(client, tenant["community_id"]) == [f"Zpráva {n}" for n in range(1, 6)]


def test_a_stopped_run_stops_and_keeps_what_it_did(app, make_tenant, source):
    from consortium_tenants.imports.service import person_identity
    from consortium_tenants.proxies import current_consortium

    tenant, people = make_tenant("imp-stop")
    client, manager = app.test_client(), people["managers"]
    service = current_consortium.imports_service
    identity = person_identity(people["managers_user"].id)
    run = service.start(identity, tenant["slug"], source.url, bypass_review=True)
    harvested = service.harvest(run)
    url = f"/api/tenants/{tenant['slug']}/imports/{run.id}"

    def stop_after_first(count, seen=[]):  # the manager presses Stop during the run
        seen.append(count)
        if len(seen) == 1:
            assert client.post(f"{url}/actions/stop", headers=manager).status_code == 202

    service.process(identity, run, harvested, progress=stop_after_first)
    state = client.get(url, headers=manager).json
    assert state["status"] == "stopped" and state["done"] == 1
    assert len(titles(client, tenant["community_id"])) == 1
    assert client.post(f"{url}/actions/stop", headers=people["depositors"]).status_code == 403
