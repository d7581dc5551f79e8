"""Multi-tenant module of the consortium repository: member libraries as tenants."""

__version__ = "0.1.0"
