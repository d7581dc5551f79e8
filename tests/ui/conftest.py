"""Fixtures of the page tests: a library with a logo and a published work."""

import pytest

from helpers import deposit, publish_in_library
from ui_pages import PNG_LOGO


@pytest.fixture(scope="module")
def library(app, make_tenant, admin_headers):
    """A member library with a logo and one published work; returns (tenant, people)."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("pages")
    client = app.test_client()
    logo = client.put(f"/api/tenants/{tenant['slug']}/logo", data=PNG_LOGO,
                      headers={**admin_headers, "Content-Type": "application/octet-stream"})
    assert logo.status_code == 200, logo.json
    draft = deposit(client, people["depositors"], tenant["community_id"], title="Kronika")
    publish_in_library(client, people, tenant["community_id"], draft["id"])
    current_rdm_records_service.indexer.refresh()
    return tenant, people
