"""REST: the SUSHI server (`/api/sushi/r51/…`, stats/resource.py), a library's SUSHI
credentials and statistics, each a thin layer over the statistics service."""

from flask import Blueprint, g, jsonify, request
from flask_login import current_user
from invenio_i18n import gettext as _
from invenio_records_resources.services.errors import PermissionDeniedError
from marshmallow import ValidationError

from ..proxies import current_stats_service
from ..tenants.errors import TenantNotFound
from ..tenants.resource import json_object, refuse_nul, translated
from .credentials import CredentialNotFound


def create_sushi_blueprint(app):
    """The COUNTER_SUSHI API, release 5.1 (stats/resource.py)."""
    return app.extensions["consortium-tenants"].sushi_resource.as_blueprint()


def _guarded(call):
    """Run CALL(); invalid input → 400 with a message per field (in the request's
    language), not logged in → 401, not allowed → 403, unknown → 404."""
    try:
        return call()
    except ValidationError as error:
        return jsonify({"status": 400, "message": _("A validation error occurred."),
                        "errors": translated(error.normalized_messages())}), 400
    except PermissionDeniedError:
        status = 403 if current_user.is_authenticated else 401
        return jsonify({"status": status, "message": _("Permission denied.")}), status
    except (TenantNotFound, CredentialNotFound):
        return jsonify({"status": 404, "message": _("Not found.")}), 404


def create_credentials_blueprint(app):
    """`/api/tenants/<slug>/sushi-credentials`: list, issue, revoke."""
    blueprint = Blueprint("consortium_sushi_credentials", __name__,
                          url_prefix="/tenants/<slug>/sushi-credentials")
    blueprint.before_request(refuse_nul)

    @blueprint.route("", methods=["GET"])
    def list_(slug):
        return _guarded(lambda: jsonify(current_stats_service.list_credentials(
            g.identity, slug)))

    @blueprint.route("", methods=["POST"])
    def issue(slug):
        data = json_object()
        return _guarded(lambda: (jsonify(current_stats_service.issue_credentials(
            g.identity, slug, data)), 201))

    @blueprint.route("/<requestor_id>", methods=["DELETE"])
    def revoke(slug, requestor_id):
        return _guarded(lambda: jsonify(current_stats_service.revoke_credentials(
            g.identity, slug, requestor_id)))

    return blueprint


def create_library_stats_blueprint(app):
    """`GET /api/tenants/<slug>/stats?from=YYYY-MM&to=YYYY-MM&interval=month`."""
    blueprint = Blueprint("consortium_library_stats", __name__, url_prefix="/tenants/<slug>")
    blueprint.before_request(refuse_nul)

    @blueprint.route("/stats", methods=["GET"])
    def library_stats(slug):
        return _guarded(lambda: jsonify(current_stats_service.library_stats(
            g.identity, slug, request.args.to_dict())))

    return blueprint
