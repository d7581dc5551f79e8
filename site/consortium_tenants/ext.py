"""Flask extension wiring the consortium tenants module."""


class ConsortiumTenants:
    """Consortium tenants extension."""

    def __init__(self, app=None):
        if app:
            self.init_app(app)

    def init_app(self, app):
        app.extensions["consortium-tenants"] = self
