"""Who may do what with a tenant.

Consortium administrators (role CONSORTIUM_ADMIN_ROLE, or superusers) manage
every tenant. A tenant's managers edit their own tenant's names, branding,
contact and members (and, through the workflow service, their workflow); never hosts, domains, status, quotas, and never
another tenant.
"""

from flask import current_app
from flask_principal import RoleNeed
from invenio_access import Permission, action_factory
from invenio_access.permissions import any_user, system_process

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


def admin_permission():
    """Consortium administrators (superusers are always allowed by Permission)."""
    return Permission(
        consortium_admin_action,
        RoleNeed(current_app.config["CONSORTIUM_ADMIN_ROLE"]),
        system_process,
    )


def manager_permission(slug):
    """Consortium administrators or the tenant's managers."""
    return Permission(
        consortium_admin_action,
        RoleNeed(current_app.config["CONSORTIUM_ADMIN_ROLE"]),
        RoleNeed(role_name(slug, "managers")),
        system_process,
    )


def curator_permission(slug):
    """Consortium administrators or the tenant's managers and curators."""
    return Permission(
        consortium_admin_action,
        RoleNeed(current_app.config["CONSORTIUM_ADMIN_ROLE"]),
        RoleNeed(role_name(slug, "managers")),
        RoleNeed(role_name(slug, "curators")),
        system_process,
    )


class TenantPermissionPolicy:
    """Permission per action; `tenant` is the TenantModel or None."""

    def __call__(self, action, tenant=None):
        if action in ("read", "search"):
            return Permission(any_user, system_process)
        if action in ("update", "manage_members", "read_usage", "update_workflow"):
            return manager_permission(tenant.slug)
        if action == "read_submissions":
            return curator_permission(tenant.slug)
        # create, delete, suspend, resume, update_restricted, audit_storage
        return admin_permission()
