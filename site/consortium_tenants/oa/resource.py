"""REST API: `/api/tenants/<slug>/oa-policy` (GET: anyone; PUT: the library's managers and
consortium administrators), `/api/tenants/<slug>/oa-report` and `…/oa-embargoes` (the
embargoes ending in the next 90 days; its curators and managers)
and `/api/oa/report` (consortium administrators); the reports as JSON or `?format=csv`."""

import csv
import io

from flask import Response, g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route
from marshmallow import ValidationError

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body
from ..validation import OneOf
from .reports import rows

CSV = "text/csv; charset=utf-8"
FORMATS = OneOf(["json", "csv"])


def _csv(data, filename):
    """The report as CSV; a cell starting with = + - @ is prefixed with ' (shown as text)."""
    out = io.StringIO()
    writer = csv.writer(out)
    for row in rows(data):
        writer.writerow([f"'{c}" if isinstance(c, str) and c and c[0] in "=+-@" else c
                         for c in row])
    return Response(out.getvalue(), content_type=CSV, headers={
        "Content-Disposition": f'attachment; filename="{filename}"'})


def _format():
    kind = request.args.get("format", "json")
    try:
        FORMATS(kind)
    except ValidationError as error:
        raise ValidationError({"format": error.messages})
    return kind


class OaPolicyResourceConfig(ResourceConfig):
    """Routes of the open-access policy API."""

    blueprint_name = "consortium_oa"
    url_prefix = ""
    routes = {"policy": "/tenants/<slug>/oa-policy", "report": "/tenants/<slug>/oa-report",
              "consortium_report": "/oa/report",
              "embargoes": "/tenants/<slug>/oa-embargoes"}
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


class OaPolicyResource(ServiceResource):
    """Thin HTTP layer over OaPolicyService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["policy"], self.read),
            route("PUT", r["policy"], self.update),
            route("GET", r["report"], self.report),
            route("GET", r["consortium_report"], self.consortium_report),
            route("GET", r["embargoes"], self.embargoes),
        ]

    @response_handler()
    def read(self):
        return self.service.read(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def update(self):
        return self.service.update(g.identity, request.view_args["slug"],
                                   resource_requestctx.data), 200

    def report(self):
        kind = _format()
        slug = request.view_args["slug"]
        data = self.service.report(g.identity, slug)
        if kind == "csv":
            return _csv(data, f"oa-report-{slug}.csv")
        return data, 200

    @response_handler()
    def embargoes(self):
        return self.service.embargoes(g.identity, request.view_args["slug"]), 200

    def consortium_report(self):
        kind = _format()
        data = self.service.consortium_report(g.identity)
        if kind == "csv":
            return _csv(data, "oa-report-consortium.csv")
        return data, 200
