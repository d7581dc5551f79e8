"""Default configuration of the consortium tenants module (CONSORTIUM_* keys)."""

CONSORTIUM_HOSTS = ["127.0.0.1", "localhost"]
"""Host names of the consortium's own site. Any other Host must belong to a
tenant (its host names, or `<slug>.<CONSORTIUM_TENANT_HOST_SUFFIX>`), else 400."""

CONSORTIUM_TENANT_HOST_SUFFIX = "localhost"
"""Every tenant answers on `<slug>.<suffix>` besides its own host names."""

CONSORTIUM_ADMIN_ROLE = "consortium-admin"
"""Role whose members manage every tenant (besides superusers)."""

CONSORTIUM_TENANT_ROLES = {
    "managers": "owner",
    "curators": "curator",
    "depositors": "reader",
}
"""Tenant member roles and the community role each maps to. Managers own the
library's community (settings, members); a community needs one owner."""

CONSORTIUM_TENANTS_SEARCH_SIZE_MAX = 100
"""Largest page of the tenant list."""

CONSORTIUM_LOGO_MAX_SIZE = 512 * 1024
"""Largest accepted logo, in bytes."""
