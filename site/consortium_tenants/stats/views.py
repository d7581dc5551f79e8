"""REST: the SUSHI server (`/api/sushi/r51/…`, stats/resource.py), a library's SUSHI
credentials and statistics."""

from flask import Blueprint, g, jsonify, request
from flask_login import current_user
from invenio_i18n import gettext as _
from invenio_records_resources.services.errors import PermissionDeniedError
from marshmallow import Schema, ValidationError, fields, validate

from ..tenants.errors import TenantNotFound
from ..tenants.resource import json_object, refuse_nul, translated
from ..validation import Length
from . import credentials, summary
from .resource import SushiResource, SushiResourceConfig


class CredentialSchema(Schema):
    """Body of a new credential: a label saying which harvester it is for."""

    label = fields.String(load_default="", validate=Length(max=255))


def create_sushi_blueprint(app):
    """The COUNTER_SUSHI API, release 5.1 (stats/resource.py)."""
    return SushiResource(SushiResourceConfig).as_blueprint()


def _guarded(call):
    """Run CALL(); not logged in → 401, not allowed → 403, unknown → 404."""
    try:
        return call()
    except PermissionDeniedError:
        status = 403 if current_user.is_authenticated else 401
        return jsonify({"status": status, "message": _("Permission denied.")}), status
    except (TenantNotFound, credentials.CredentialNotFound):
        return jsonify({"status": 404, "message": _("Not found.")}), 404


def create_credentials_blueprint(app):
    """`/api/tenants/<slug>/sushi-credentials`: list, issue, revoke."""
    blueprint = Blueprint("consortium_sushi_credentials", __name__,
                          url_prefix="/tenants/<slug>/sushi-credentials")
    blueprint.before_request(refuse_nul)

    @blueprint.route("", methods=["GET"])
    def list_(slug):
        return _guarded(lambda: jsonify({"hits": credentials.list_credentials(
            g.identity, credentials.tenant_by_slug(slug))}))

    @blueprint.route("", methods=["POST"])
    def issue(slug):
        try:
            data = CredentialSchema().load(json_object())
        except ValidationError as error:
            return jsonify({"status": 400, "message": _("A validation error occurred."),
                            "errors": translated(error.messages)}), 400
        return _guarded(lambda: (jsonify(credentials.issue(
            g.identity, credentials.tenant_by_slug(slug), data["label"])), 201))

    @blueprint.route("/<requestor_id>", methods=["DELETE"])
    def revoke(slug, requestor_id):
        return _guarded(lambda: jsonify(credentials.revoke(
            g.identity, credentials.tenant_by_slug(slug), requestor_id)))

    return blueprint


def create_library_stats_blueprint(app):
    """`GET /api/tenants/<slug>/stats?from=YYYY-MM&to=YYYY-MM&interval=month`."""
    blueprint = Blueprint("consortium_library_stats", __name__, url_prefix="/tenants/<slug>")
    blueprint.before_request(refuse_nul)

    @blueprint.route("/stats", methods=["GET"])
    def library_stats(slug):
        try:
            return _guarded(lambda: jsonify(summary.library_stats(
                g.identity, credentials.tenant_by_slug(slug), request.args)))
        except summary.BadRange as error:
            return jsonify({"status": 400, "message": _("A validation error occurred."),
                            "errors": translated(error.errors)}), 400

    return blueprint
