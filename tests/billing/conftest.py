"""Fixtures of the billing tests: libraries with room for large files, tariffs, closed
months."""

import pytest

from billing_time import GB


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
def issued_periods():
    """Months a test closes (their statements are issued): withdrawn after the test, so
    the tariffs of other tests stay changeable. Teardown only; the test closes through
    the CLI or the task. Request it after `tariffs`, so it runs first."""
    periods = []
    yield periods.append
    from consortium_tenants.billing.models import StatementModel
    from invenio_db import db

    db.session.rollback()
    for period in periods:
        StatementModel.query.filter_by(period=period).delete()
    db.session.commit()
