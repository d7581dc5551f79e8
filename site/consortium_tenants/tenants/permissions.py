"""Who may do what with a tenant: a permission policy of needs generators.

Consortium administrators (role CONSORTIUM_ADMIN_ROLE, the `consortium-admin`
action, or superusers) manage every tenant. A tenant's managers edit their own
tenant's names, branding, contact and members (and, through the workflow
service, their workflow); never hosts, domains, status, quotas, and never
another tenant. Its curators (and managers) read its submissions.
"""

from flask import current_app
from flask_principal import RoleNeed
from invenio_access import action_factory
from invenio_records_permissions.generators import AnyUser, Generator, SystemProcess
from invenio_records_permissions.policies.base import BasePermissionPolicy

consortium_admin_action = action_factory("consortium-admin")

MANAGER_EDITABLE = {"names", "short_name", "contact_email", "branding"}
"""Fields a tenant's own managers may change."""


def role_name(slug, group):
    """Name (and id) of a tenant's member role, e.g. `lib-a-managers`."""
    return f"{slug}-{group}"


def slug_of_role(name):
    """The library slug of a member role name (`<slug>-<group>` of
    CONSORTIUM_TENANT_ROLES), or None for any other role."""
    for group in current_app.config["CONSORTIUM_TENANT_ROLES"]:
        slug = name.removesuffix(f"-{group}")
        if slug != name and slug:
            return slug
    return None


class ConsortiumAdmins(Generator):
    """Consortium administrators: the `consortium-admin` action or CONSORTIUM_ADMIN_ROLE."""

    def needs(self, **kwargs):
        return [consortium_admin_action, RoleNeed(current_app.config["CONSORTIUM_ADMIN_ROLE"])]


class TenantMembers(Generator):
    """Holders of some of the tenant's member roles (the tenant is the policy's `record`)."""

    def __init__(self, *groups):
        super().__init__()
        self.groups = groups

    def needs(self, record=None, **kwargs):
        if record is None:
            return []
        return [RoleNeed(role_name(record.slug, group)) for group in self.groups]


class TenantPermissionPolicy(BasePermissionPolicy):
    """Permission per action over a tenant (`record`, a TenantModel)."""

    admins = [ConsortiumAdmins(), SystemProcess()]
    managers = [*admins, TenantMembers("managers")]
    curators = [*admins, TenantMembers("managers", "curators")]

    can_search = [AnyUser(), SystemProcess()]
    can_read = [AnyUser(), SystemProcess()]
    can_create = admins
    can_delete = admins
    can_suspend = admins
    can_resume = admins
    can_update = managers
    can_update_restricted = admins  # hosts, e-mail domains, storage limits, OAI prefix
    can_manage_members = managers
    can_read_usage = managers
    can_update_workflow = managers
    can_update_oa_policy = managers
    can_manage_kramerius = managers  # the library's Kramerius, its broken links
    can_read_oa_reports = curators  # without a library: the consortium's, administrators
    can_manage_imports = managers  # start imports, read their reports
    can_read_submissions = curators
    can_audit_storage = admins
    can_read_statements = managers
    can_manage_billing = admins  # tariffs, the consortium's summary, snapshots
    can_read_stats = curators  # the statistics page, REST, CSV and COUNTER TSV
    can_read_consortium_stats = admins
    can_manage_stats = admins  # compute COUNTER months (the job, `tenants stats recompute`)
    can_manage_credentials = managers  # the library's SUSHI credentials
    can_read_credentials = managers
    can_manage_consortium_credentials = admins
