"""Fixtures of the workflow tests: a library with a given preset and rules."""

import pytest


@pytest.fixture()
def library(make_tenant, client):
    """Factory: a library whose manager set PRESET and RULES; returns (tenant, people)."""

    def _make(preset="mediated", prefix="wf", **rules):
        tenant, people = make_tenant(prefix)
        body = {"preset": preset, **({"rules": rules} if rules else {})}
        res = client.put(f"/api/tenants/{tenant['slug']}/workflow",
                         headers=people["managers"], json=body)
        assert res.status_code == 200, res.json
        return tenant, people

    return _make


@pytest.fixture()
def refresh():
    """Make the latest writes searchable (records, drafts, requests, their events)."""
    from invenio_rdm_records.proxies import current_rdm_records_service
    from invenio_communities.proxies import current_communities
    from invenio_requests.proxies import current_events_service, current_requests_service
    from invenio_users_resources.proxies import current_users_service

    def _refresh():
        current_communities.service.members.indexer.refresh()  # notification recipients
        current_users_service.indexer.refresh()
        current_rdm_records_service.indexer.refresh()
        current_rdm_records_service.draft_indexer.refresh()
        current_requests_service.indexer.refresh()
        current_events_service.indexer.refresh()

    return _refresh
