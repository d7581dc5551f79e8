"""Errors of the tenant service; mapped to HTTP in resource.py."""


class TenantError(Exception):
    """Base error with a message for the client."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class TenantNotFound(TenantError):
    """No tenant with that slug (404)."""


class TenantConflict(TenantError):
    """Slug, host or domain already taken, or records still present (409)."""


class TenantSuspended(TenantError):
    """The library is suspended: no new deposits or uploads (403)."""
