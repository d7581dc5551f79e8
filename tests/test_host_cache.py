"""Host → library resolution is cached per process and invalidated on every registry change."""

import json
import secrets
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from helpers import run_cli


@pytest.fixture(scope="module")
def library(make_tenant):
    tenant, _ = make_tenant("cache")
    return tenant


@contextmanager
def counted_queries():
    """A list filled with the SQL statements run inside the block."""
    from invenio_db import db

    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def identify(client, host):
    """Status and body of OAI-PMH Identify asked on HOST."""
    res = client.get("/oai2d?verb=Identify", headers={"Host": host})
    return res.status_code, res.get_data(as_text=True)


def new_host():
    return f"repo-{secrets.token_hex(3)}.knihovna.example"


def test_a_host_change_is_seen_by_the_next_request(client, admin_headers, library):
    slug, old, new = library["slug"], new_host(), new_host()
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers, json={"hosts": [old]})
    assert res.status_code == 200
    status, body = identify(client, old)
    assert status == 200 and f"<baseURL>http://{old}/oai2d</baseURL>" in body
    assert identify(client, old)[0] == 200  # now from the cache

    res = client.put(f"/api/tenants/{slug}", headers=admin_headers, json={"hosts": [new]})
    assert res.status_code == 200
    assert identify(client, old)[0] == 400
    status, body = identify(client, new)
    assert status == 200 and f"<baseURL>http://{new}/oai2d</baseURL>" in body


def test_a_change_made_by_another_process_is_seen(client, library):
    """The CLI runs in a process of its own: the version in Redis tells this one."""
    slug, old, new = library["slug"], new_host(), new_host()
    result = run_cli("tenants", "update", slug, json.dumps({"hosts": [old]}))
    assert result.returncode == 0, result.stderr[-2000:]
    assert identify(client, old)[0] == 200
    assert identify(client, new)[0] == 400  # "no library" is cached too

    result = run_cli("tenants", "update", slug, json.dumps({"hosts": [new]}))
    assert result.returncode == 0, result.stderr[-2000:]
    assert identify(client, old)[0] == 400
    assert identify(client, new)[0] == 200


def test_a_known_host_costs_no_query(client, library):
    """Cold: the library and its hosts are read (2 queries); warm: none."""
    from consortium_tenants.tenants.host_cache import host_cache

    host = f"{library['slug']}.localhost:5000"
    host_cache.clear()
    with counted_queries() as cold:
        assert identify(client, host)[0] == 200
    with counted_queries() as warm:
        assert identify(client, host)[0] == 200
    assert len(cold) - len(warm) == 2
    assert not [s for s in warm if "consortium_tenant" in s]


@pytest.mark.parametrize("on", ["127.0.0.1:5000", "{slug}.localhost:5000", "unknown.localhost"])
def test_static_files_cost_no_query(client, library, on):
    with counted_queries() as statements:
        res = client.get("/static/favicon.ico", headers={"Host": on.format(slug=library["slug"])})
        assert res.status_code == 200
        res.close()
    assert statements == []
