"""Failed DOI operations are replayed as what failed, each on its own, backing off,
one retry run at a time (over the DataCite test double; outages injected there)."""

from datetime import datetime, timedelta

import pytest

from helpers import invoke_cli, minimal_record, publish_in_library


def _publish(client, tenant, people, title):
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    draft = client.post("/api/records", headers=people["depositors"], json=body).json
    return publish_in_library(client, people, tenant["community_id"], draft["id"])


def _failed(client, tenant, people):
    res = client.get(f"/api/tenants/{tenant['slug']}/dois/failed", headers=people["managers"])
    assert res.status_code == 200
    return {hit["doi"]: hit for hit in res.json["hits"]["hits"]}


def _calls(datacite, doi):
    return [r for r in datacite.requests if r[1] in ("/dois", f"/dois/{doi}")]


@pytest.fixture
def library(app, datacite, make_tenant, admin_headers):
    import secrets

    prefix = f"10.{72000 + secrets.randbelow(9000)}"
    repository = f"CZ.RETRY.{secrets.token_hex(3).upper()}"
    datacite.add_account(repository, "pw-retry", prefix)
    tenant, people = make_tenant("doi-retry")
    res = app.test_client().put(f"/api/tenants/{tenant['slug']}/datacite", headers=admin_headers,
                                json={"prefix": prefix, "repository_id": repository,
                                      "password": "pw-retry"})
    assert res.status_code == 200, res.json
    return tenant, people


@pytest.fixture
def outage(datacite):
    def _set(status):
        datacite.fail_with = status
    yield _set
    datacite.fail_with = None


def test_one_bad_row_does_not_stop_the_later_retries(app, library, datacite, outage):
    from invenio_db import db

    from consortium_tenants.dois.models import FailedRegistrationModel
    from consortium_tenants.dois.tasks import retry_failed_registrations

    client = app.test_client()
    tenant, people = library
    outage(503)
    first = _publish(client, tenant, people, "První za výpadku")
    second = _publish(client, tenant, people, "Druhé za výpadku")
    outage(None)
    bad, good = first["pids"]["doi"]["identifier"], second["pids"]["doi"]["identifier"]
    assert set(_failed(client, tenant, people)) >= {bad, good}
    # fault injection: the oldest row names a record that no longer exists
    row = FailedRegistrationModel.query.filter_by(doi=bad).one()
    row.record_id = "zzzzz-zzzz9"
    db.session.commit()
    try:
        retry_failed_registrations.delay()
        assert datacite.doi(good)[1]["attributes"]["state"] == "findable"
        failed = _failed(client, tenant, people)
        assert good not in failed
        assert failed[bad]["attempts"] == 2
        assert "PIDDoesNotExist" in failed[bad]["error"]
        assert failed[bad]["next_attempt"] is not None
    finally:
        FailedRegistrationModel.query.filter_by(doi=bad).delete()
        db.session.commit()


def test_a_failed_hide_is_retried_as_a_hide_never_as_a_publish(
        app, library, datacite, outage, make_user):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    from consortium_tenants.dois.tasks import retry_failed_registrations

    client = app.test_client()
    tenant, people = library
    record = _publish(client, tenant, people, "Smazané za výpadku")
    doi = record["pids"]["doi"]["identifier"]
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"
    admin, admin_headers = make_user()
    current_datastore.add_role_to_user(admin, "admin")
    db.session.commit()
    outage(503)
    res = client.delete(f"/api/records/{record['id']}/delete", headers=admin_headers,
                        json={"removal_reason": {"id": "spam"}, "is_visible": True})
    assert res.status_code == 204, res.json
    outage(None)
    failed = _failed(client, tenant, people)
    assert failed[doi]["operation"] == "hide"
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"  # the hide did not reach it
    retry_failed_registrations.delay()
    assert datacite.doi(doi)[1]["attributes"]["state"] == "registered"  # hidden, not findable
    assert doi not in _failed(client, tenant, people)
    retry_failed_registrations.delay()  # nothing left that could publish it again
    assert datacite.doi(doi)[1]["attributes"]["state"] == "registered"


def test_retries_back_off_and_the_command_ignores_the_back_off(app, library, datacite, outage):
    from consortium_tenants.dois.tasks import retry_failed_registrations

    client = app.test_client()
    tenant, people = library
    outage(503)
    doi = _publish(client, tenant, people, "Opakovaný výpadek")["pids"]["doi"]["identifier"]
    assert _failed(client, tenant, people)[doi]["next_attempt"] is None  # next run tries it
    retry_failed_registrations.delay()
    row = _failed(client, tenant, people)[doi]
    assert row["attempts"] == 2
    wait = datetime.fromisoformat(row["next_attempt"]) - datetime.utcnow()
    assert timedelta(seconds=800) < wait <= timedelta(seconds=900)
    calls = len(_calls(datacite, doi))
    retry_failed_registrations.delay()  # not due yet: DataCite is not asked
    assert len(_calls(datacite, doi)) == calls
    assert _failed(client, tenant, people)[doi]["attempts"] == 2
    res = invoke_cli(app, ["tenants", "dois", "--failed", "--retry", tenant["slug"]])
    assert res.exit_code == 1
    row = _failed(client, tenant, people)[doi]
    assert row["attempts"] == 3
    wait = datetime.fromisoformat(row["next_attempt"]) - datetime.utcnow()
    assert timedelta(seconds=1700) < wait <= timedelta(seconds=1800)  # doubled
    outage(None)
    res = invoke_cli(app, ["tenants", "dois", "--failed", "--retry", tenant["slug"]])
    assert res.exit_code == 0, res.output
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"


def test_only_one_retry_run_at_a_time(app, library, datacite, outage):
    import redis

    from consortium_tenants.dois.retry import LOCK_NAME
    from consortium_tenants.dois.tasks import retry_failed_registrations

    client = app.test_client()
    tenant, people = library
    outage(503)
    doi = _publish(client, tenant, people, "Souběžné pokusy")["pids"]["doi"]["identifier"]
    outage(None)
    lock = redis.Redis.from_url(app.config["CACHE_REDIS_URL"]).lock(LOCK_NAME, timeout=60)
    assert lock.acquire(blocking=False)
    try:
        calls = len(_calls(datacite, doi))
        retry_failed_registrations.delay()
        res = invoke_cli(app, ["tenants", "dois", "--failed", "--retry", tenant["slug"]])
        assert res.exit_code == 1
        assert "Another DOI retry run is in progress" in res.output
        assert len(_calls(datacite, doi)) == calls
        assert _failed(client, tenant, people)[doi]["attempts"] == 1
    finally:
        lock.release()
    retry_failed_registrations.delay()
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"
