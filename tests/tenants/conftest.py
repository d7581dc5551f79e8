"""Fixtures for member libraries: created through the REST API as a consortium admin."""

import secrets

import pytest

from helpers import tenant_payload


@pytest.fixture(scope="session")
def admin_headers(app, make_user):
    """Headers of a consortium administrator (role consortium-admin)."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user, headers = make_user()
    current_datastore.add_role_to_user(user, "consortium-admin")
    db.session.commit()
    return headers


@pytest.fixture(scope="session")
def make_tenant(app, make_user, admin_headers):
    """Factory: a tenant with one user per role; returns (tenant JSON, {role: headers})."""
    from invenio_accounts.proxies import current_datastore

    def _make(prefix="lib"):
        slug = f"{prefix}-{secrets.token_hex(3)}"
        client = app.test_client()
        res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
        assert res.status_code == 201, res.json
        people = {}
        for group in ("managers", "curators", "depositors"):
            user, headers = make_user()
            res = client.post(
                f"/api/tenants/{slug}/members",
                headers=admin_headers,
                json={"email": user.email, "role": group},
            )
            assert res.status_code == 200, res.json
            people[group] = headers
            people[f"{group}_user"] = current_datastore.get_user(user.id)
        return client.get(f"/api/tenants/{slug}").json, people

    return _make
