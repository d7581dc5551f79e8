"""REST: the SUSHI server (`/api/sushi/r51/…`) and a library's SUSHI credentials."""

from flask import Blueprint, g, jsonify, request
from flask_login import current_user
from invenio_i18n import gettext as _
from marshmallow import Schema, ValidationError, fields, validate

from ..tenants.errors import TenantNotFound
from ..tenants.resource import json_object, refuse_nul, translated
from ..validation import Length
from . import credentials, summary, sushi


class CredentialSchema(Schema):
    """Body of a new credential: a label saying which harvester it is for."""

    label = fields.String(load_default="", validate=Length(max=255))


def _sushi_response(build):
    """Run BUILD(args); a SushiError becomes its single exception with its HTTP status."""
    try:
        return jsonify(build(request.args.to_dict()))
    except sushi.SushiError as error:
        return jsonify(error.to_dict()), error.status


def create_sushi_blueprint(app):
    """The COUNTER_SUSHI API, release 5.1."""
    blueprint = Blueprint("consortium_sushi", __name__, url_prefix="/sushi/r51")

    def invalid_path():
        """Appendix D: an unsupported report is an invalid path: 404, answered here (the
        app's 404 handler of invenio-pages looks the path up in the database, which
        cannot even compare a path with a NUL character)."""
        return jsonify({"status": 404, "message": _("Not found.")}), 404

    @blueprint.before_request
    def no_such_path():
        if "\x00" in request.path:
            return invalid_path()

    @blueprint.route("/status")
    def status():
        return jsonify(sushi.status())

    @blueprint.route("/members")
    def members():
        return _sushi_response(sushi.members)

    @blueprint.route("/reports")
    def reports():
        return _sushi_response(sushi.report_list)

    @blueprint.route("/reports/<report>")
    def report(report):
        if report not in sushi.BUILDERS:
            return invalid_path()
        return _sushi_response(sushi.BUILDERS[report])

    return blueprint


def _guarded(call):
    """Run CALL(); not logged in → 401, not allowed → 403, unknown → 404."""
    try:
        return call()
    except credentials.PermissionDenied:
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
