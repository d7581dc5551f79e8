"""REST: the COUNTER R5.1 SUSHI server (`/api/sushi/r51/…`) as a flask-resources resource.

A thin layer over the statistics service (service.StatsService: who may harvest what,
the parameters through its schema, the reports). Reports are answered in the mimetype
the client accepts, one serializer class per mimetype: `application/json` (the COUNTER
API) and `text/tab-separated-values` (the
tabular report, R5.1 §3.3; `exclude_monthly_details=True` leaves out the month
columns). An Appendix D exception is answered on its own, as JSON, with its status.
"""

from flask import jsonify, request
from flask_resources import (
    JSONSerializer,
    Resource,
    ResourceConfig,
    ResponseHandler,
    resource_requestctx,
    response_handler,
    route,
)
from flask_resources.errors import MIMETypeNotAccepted
from flask_resources.serializers import BaseSerializer
from invenio_i18n import gettext as _

from . import sushi
from .service import UnknownReport
from .tsv import report_tsv

JSON, TSV = "application/json", "text/tab-separated-values"


def exclusion(args):
    """Pop `exclude_monthly_details` (tabular reports only) from ARGS: True/False, or the
    COUNTER exception 3062 (invalid report attribute value)."""
    value = args.pop("exclude_monthly_details", "False")
    if value not in ("True", "False"):
        raise sushi.SushiError(3062, f"exclude_monthly_details={value}")
    return value == "True"


def excluding_monthly_details(report):
    """REPORT whose header says its tabular form has no month columns."""
    header = report["Report_Header"]
    attributes = {**header.get("Report_Attributes", {}), "Exclude_Monthly_Details": "True"}
    return {**report, "Report_Header": {**header, "Report_Attributes": attributes}}


class SushiTSVSerializer(BaseSerializer):
    """A COUNTER report (as `sushi` builds it) in tabular form: its header rows, then one
    row per item (or platform), attribute and metric; without the month columns when
    its header's Report_Attributes say Exclude_Monthly_Details."""

    def serialize_object(self, obj):
        attributes = obj["Report_Header"].get("Report_Attributes", {})
        return report_tsv(obj, exclude_monthly_details=attributes.get(
            "Exclude_Monthly_Details") == "True")


def invalid_path():
    """Appendix D: an unsupported report is an invalid path: 404, answered here (the
    app's 404 handler of invenio-pages looks the path up in the database, which cannot
    even compare a path with a NUL character)."""
    response = jsonify({"status": 404, "message": _("Not found.")})
    response.status_code = 404
    return response


def sushi_exception(error):
    """A SushiError answered alone (Appendix D) with its HTTP status."""
    return jsonify(error.to_dict()), error.status


class SushiResourceConfig(ResourceConfig):
    """Routes, serializers and errors of the SUSHI server."""

    blueprint_name = "consortium_sushi"
    url_prefix = "/sushi/r51"
    routes = {"status": "/status", "members": "/members", "reports": "/reports",
              "report": "/reports/<report>"}
    response_handlers = {JSON: ResponseHandler(JSONSerializer()),
                         TSV: ResponseHandler(SushiTSVSerializer())}
    default_accept_mimetype = JSON
    error_handlers = {sushi.SushiError: sushi_exception}


class SushiResource(Resource):
    """Thin HTTP layer over the statistics service's SUSHI part."""

    def __init__(self, config, service):
        super().__init__(config)
        self.service = service

    def as_blueprint(self, **options):
        blueprint = super().as_blueprint(**options)

        @blueprint.before_request
        def no_such_path():
            if "\x00" in request.path:
                return invalid_path(), 404

        return blueprint

    def create_url_rules(self):
        r = self.config.routes
        return [route("GET", r["status"], self.status), route("GET", r["members"], self.members),
                route("GET", r["reports"], self.reports), route("GET", r["report"], self.report)]

    def _json_only(self):
        if resource_requestctx.accept_mimetype != JSON:
            raise MIMETypeNotAccepted(allowed_mimetypes=[JSON])
        return request.args.to_dict()

    @response_handler()
    def status(self):
        self._json_only()
        return self.service.sushi_status(), 200

    @response_handler()
    def members(self):
        return self.service.sushi_members(self._json_only()), 200

    @response_handler()
    def reports(self):
        return self.service.sushi_report_list(self._json_only()), 200

    @response_handler()
    def report(self):
        name = request.view_args["report"]
        if name not in sushi.BUILDERS:  # before any credential is looked at
            return invalid_path(), 404
        args = request.args.to_dict()
        exclude = exclusion(args) if resource_requestctx.accept_mimetype == TSV else False
        try:
            report = self.service.sushi_report(name, args)
        except UnknownReport:
            return invalid_path(), 404
        return (excluding_monthly_details(report) if exclude else report), 200
