"""ACCESS_CACHE: action permissions read from the process, invalidated across processes."""

import pytest

from helpers import minimal_record, publish_in_library, run_cli


@pytest.fixture(scope="module")
def library(app, make_tenant):
    """A library with one published record (a search then checks permissions per field)."""
    tenant, people = make_tenant("access")
    client = app.test_client()
    body = {**minimal_record("Kontrola oprávnění"), "files": {"enabled": False}}
    draft = client.post("/api/records", headers=people["depositors"], json=body).json
    publish_in_library(client, people, tenant["community_id"], draft["id"])
    return tenant


@pytest.fixture()
def cache_reads(api_app, monkeypatch):
    """Keys the REST application read from the shared cache (Redis) during the test."""
    from invenio_cache import current_cache

    keys = []
    with api_app.app_context():
        backend = current_cache.cache
    original = backend.get

    def get(key):
        keys.append(key)
        return original(key)

    monkeypatch.setattr(backend, "get", get)
    return keys


def test_a_search_reads_no_action_from_redis_once_warm(client, library, cache_reads):
    from consortium_platform.access_cache import VERSION_KEY

    ui_json = {"Accept": "application/vnd.inveniordm.v1+json"}
    assert client.get("/api/records?size=10", headers=ui_json).status_code == 200  # warm
    cache_reads.clear()
    res = client.get("/api/records?size=10", headers=ui_json)
    assert res.status_code == 200 and res.json["hits"]["total"] >= 1
    assert [k for k in cache_reads if k.startswith("Permission::action::")] == []
    assert cache_reads.count(VERSION_KEY) == 1


def test_an_action_granted_by_another_process_is_seen_by_the_next_request(
        client, library, make_user):
    """`invenio access allow/deny` run in processes of their own.

    (`invenio access remove` deletes rows in bulk, without the ORM events
    invenio-access invalidates its cache by: stale with RDM's own cache too.)
    """
    user, headers = make_user()
    queue = f"/api/tenants/{library['slug']}/submissions?status=submitted"
    assert client.get(queue, headers=headers).status_code == 403  # now cached in-process

    result = run_cli("access", "allow", "consortium-admin", "user", user.email)
    assert result.returncode == 0, result.stderr[-2000:]
    assert client.get(queue, headers=headers).status_code == 200

    result = run_cli("access", "deny", "consortium-admin", "user", user.email)
    assert result.returncode == 0, result.stderr[-2000:]
    assert client.get(queue, headers=headers).status_code == 403
