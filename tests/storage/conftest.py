"""Fixtures of the storage tests."""

import pytest


@pytest.fixture()
def storage_tenant(make_tenant, client, admin_headers):
    """Factory: a tenant with given storage limits; returns (tenant, people)."""

    def _make(prefix="st", **limits):
        tenant, people = make_tenant(prefix)
        if limits:
            res = client.put(f"/api/tenants/{tenant['slug']}", headers=admin_headers,
                             json={"storage": limits})
            assert res.status_code == 200, res.json
            tenant = res.json
        return tenant, people

    return _make
