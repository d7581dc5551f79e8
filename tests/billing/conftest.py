"""Fixtures of the billing tests: libraries with room for large files, tariffs, days."""

import pytest

from billing_time import GB, on


@pytest.fixture()
def big_library(make_tenant, client, admin_headers):
    """Factory: a library whose quota takes files of tens of GB; returns (tenant, people)."""

    def _make(prefix="bill"):
        tenant, people = make_tenant(prefix)
        res = client.put(f"/api/tenants/{tenant['slug']}", headers=admin_headers,
                         json={"storage": {"quota": 100 * GB, "max_file_size": 20 * GB}})
        assert res.status_code == 200, res.json
        return res.json, people

    return _make


@pytest.fixture()
def tariffs(client, admin_headers):
    """Factory: add tariffs over REST; they are removed after the test."""
    added = []

    def _add(**body):
        res = client.post("/api/billing/tariffs", headers=admin_headers, json=body)
        assert res.status_code == 201, res.json
        added.append(body["effective_from"])
        return res.json

    yield _add
    for day in added:
        client.delete(f"/api/billing/tariffs/{day}", headers=admin_headers)


@pytest.fixture()
def daily_snapshots():
    """Run the beat task on each day of a range (the clock set to that day)."""
    from consortium_tenants.billing.tasks import take_daily_snapshots

    def _run(first, last, month=11):
        for day in range(first, last + 1):
            with on(day, month):
                take_daily_snapshots.delay()

    return _run
