"""Blueprints: the REST API and the UI side (host routing, branding)."""

from flask import Blueprint

from .routing import resolve_tenant


def create_api_blueprint(app):
    """`/api/tenants`."""
    ext = app.extensions["consortium-tenants"]
    blueprint = ext.tenants_resource.as_blueprint()
    blueprint.before_app_request(resolve_tenant)
    return blueprint


DEPOSIT_ENDPOINTS = {
    "invenio_app_rdm_records.deposit_create",
    "invenio_app_rdm_records.deposit_edit",
}


def deposit_storage_warning():
    """On the deposit form: usage of the library it deposits to, when nearly full."""
    from flask import g, request
    from flask_login import current_user

    from .deposits.components import tenants_of_identity
    from .storage.warnings import banner_for

    if request.endpoint not in DEPOSIT_ENDPOINTS or not current_user.is_authenticated:
        return None
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        own = tenants_of_identity(g.identity)
        tenant = own[0] if len(own) == 1 else None
    return banner_for(tenant)


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

        return {"current_tenant": getattr(g, "tenant", None),
                "deposit_storage_warning": deposit_storage_warning}

    return blueprint
