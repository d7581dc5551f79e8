"""Flask extension wiring the consortium tenants module."""

from . import config
from .tenants.resource import TenantResource, TenantResourceConfig
from .tenants.service import TenantService


class ConsortiumTenants:
    """Consortium tenants extension: services, resources, host routing."""

    def __init__(self, app=None):
        if app:
            self.init_app(app)

    def init_app(self, app):
        for key in dir(config):
            if key.startswith("CONSORTIUM_"):
                app.config.setdefault(key, getattr(config, key))
        self.tenants_service = TenantService()
        self.tenants_resource = TenantResource(TenantResourceConfig, self.tenants_service)
        app.extensions["consortium-tenants"] = self
