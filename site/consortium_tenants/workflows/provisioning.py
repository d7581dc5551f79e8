"""Workflows in the tenant service (CONSORTIUM_TENANT_SERVICE_COMPONENTS).

A new library gets the default preset (CONSORTIUM_WORKFLOW_DEFAULT_PRESET),
its community the access settings behind it, and the rules check switched on;
the check goes with the library. Its links name the workflow and the
curators' queue, and its community's owners may not change what the preset
sets there.
"""

from invenio_i18n import gettext as _
from marshmallow import ValidationError

from ..paging import SiteLink
from ..tenants.components import TenantServiceComponent
from . import checks
from .rules import community_access, preset_of

LINKS = {
    "workflow": SiteLink("{+api}/tenants/{slug}/workflow"),
    "submissions": SiteLink("{+api}/tenants/{slug}/submissions"),
}


class WorkflowTenantComponent(TenantServiceComponent):
    """A library's preset, its community's access and its rules check."""

    def community(self, tenant, data):
        data["access"].update(community_access(preset_of(tenant)))

    def create(self, identity, data=None, tenant=None):
        tenant.workflow = {"preset": preset_of(tenant)}
        checks.enable(tenant)

    def delete(self, identity, tenant=None):
        checks.disable(tenant)

    def dump(self, tenant, data):
        data["links"].update(self.service.links(None, tenant, LINKS))

    def community_update(self, identity, tenant, data):
        wanted = community_access(preset_of(tenant))
        access = data.get("access") or {}
        changed = [key for key, value in wanted.items() if key in access and access[key] != value]
        if changed:
            raise ValidationError({f"access.{key}": [_(
                "Set by the library's deposit workflow: %(page)s.",
                page=f"/libraries/{tenant.slug}/workflow")] for key in changed})
