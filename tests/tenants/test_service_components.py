"""Features plug into the tenant service through CONSORTIUM_TENANT_SERVICE_COMPONENTS."""

import secrets

import pytest

from consortium_tenants.tenants.components import TenantServiceComponent
from helpers import tenant_payload


class ProvisioningFailed(Exception):
    """The fault a feature raises while a library is provisioned."""


class Billing(TenantServiceComponent):
    """A feature added by configuration only: it provisions and adds a link."""

    provisioned = []

    def create(self, identity, data=None, tenant=None):
        self.provisioned.append(tenant.slug)

    def dump(self, tenant, data):
        data["links"]["billing"] = f"https://billing.example/{tenant.slug}"


class BrokenFeature(TenantServiceComponent):
    def create(self, identity, data=None, tenant=None):
        raise ProvisioningFailed()


@pytest.fixture()
def with_component(app, configure):
    def _add(component):
        configure(CONSORTIUM_TENANT_SERVICE_COMPONENTS=[
            *app.config["CONSORTIUM_TENANT_SERVICE_COMPONENTS"], component])
    return _add


def test_a_configured_component_provisions_and_adds_links(client, admin_headers,
                                                          with_component):
    with_component(Billing)
    slug = f"plug-{secrets.token_hex(3)}"
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
    assert res.status_code == 201, res.json
    assert Billing.provisioned == [slug]
    assert res.json["links"]["billing"] == f"https://billing.example/{slug}"
    assert res.json["links"]["workflow"].endswith(f"/api/tenants/{slug}/workflow")
    assert res.json["storage"]["quota"] is not None  # the storage feature's part


def test_a_failing_feature_leaves_no_library_and_no_community(client, admin_headers,
                                                              with_component):
    with_component(BrokenFeature)
    slug = f"broken-{secrets.token_hex(3)}"
    with pytest.raises(ProvisioningFailed):
        client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
    assert client.get(f"/api/tenants/{slug}").status_code == 404
    assert client.get(f"/api/communities/{slug}").status_code == 404
