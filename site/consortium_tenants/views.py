"""Blueprints: the REST API and the UI side (host routing, branding)."""

from flask import Blueprint

from .routing import resolve_tenant


def create_api_blueprint(app):
    """`/api/tenants`."""
    ext = app.extensions["consortium-tenants"]
    blueprint = ext.tenants_resource.as_blueprint()
    blueprint.before_app_request(resolve_tenant)
    return blueprint


def create_templates_blueprint(app):
    """Templates (e-mail notifications) for the REST app, where Celery tasks run too."""
    return Blueprint("consortium_tenants_templates", __name__, template_folder="templates")


def create_ui_blueprint(app):
    """Host routing and tenant branding of HTML pages."""
    blueprint = Blueprint(
        "consortium_tenants_ui", __name__, template_folder="templates"
    )
    blueprint.before_app_request(resolve_tenant)

    @blueprint.app_context_processor
    def tenant_context():
        from flask import g

        return {"current_tenant": getattr(g, "tenant", None)}

    return blueprint
