"""REST API of billing: statements, the consortium's summary (CSV), tariffs."""

from flask import Response, g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route
from marshmallow import ValidationError

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body
from .formats import statement_csv, statement_html, summary_csv

CSV = "text/csv; charset=utf-8"
"""The CSV files' Content-Type, charset named once (as content_type: a mimetype gets
another charset appended by Werkzeug)."""


class BillingResourceConfig(ResourceConfig):
    """Routes of the billing API."""

    blueprint_name = "consortium_billing"
    url_prefix = ""
    routes = {
        "statements": "/tenants/<slug>/statements",
        "snapshots": "/tenants/<slug>/snapshots",
        "summary": "/billing/summary",
        "tariffs": "/billing/tariffs",
        "tariff": "/billing/tariffs/<effective_from>",
    }
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


def _period():
    period = request.args.get("period")
    if not period:
        raise ValidationError({"period": ["Missing data for required field."]})
    return period


class BillingResource(ServiceResource):
    """Thin HTTP layer over BillingService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["statements"], self.statement),
            route("GET", r["snapshots"], self.snapshots),
            route("GET", r["summary"], self.summary),
            route("GET", r["tariffs"], self.list_tariffs),
            route("POST", r["tariffs"], self.set_tariff),
            route("DELETE", r["tariff"], self.delete_tariff),
        ]

    def statement(self):
        """JSON by default; `format=csv|html` for the file and the printable page."""
        data = self.service.statement(g.identity, request.view_args["slug"], _period())
        kind = request.args.get("format", "json")
        if kind == "csv":
            return Response(statement_csv(data), content_type=CSV)
        if kind == "html":
            return Response(statement_html(data), mimetype="text/html")
        if kind != "json":
            raise ValidationError({"format": ["Must be one of: json, csv, html."]})
        return data, 200

    def snapshots(self):
        return self.service.snapshots(g.identity, request.view_args["slug"], _period()), 200

    def summary(self):
        """Every library's totals for a period, as CSV for the accountant."""
        rows = self.service.summary(g.identity, _period(), request.args.get("lang"))
        return Response(summary_csv(rows), content_type=CSV, headers={
            "Content-Disposition": f'attachment; filename="statements-{_period()}.csv"'})

    @response_handler()
    def list_tariffs(self):
        return self.service.list_tariffs(g.identity), 200

    @body
    @response_handler()
    def set_tariff(self):
        return self.service.set_tariff(g.identity, resource_requestctx.data or {}), 201

    def delete_tariff(self):
        self.service.delete_tariff(g.identity, request.view_args["effective_from"])
        return "", 204
