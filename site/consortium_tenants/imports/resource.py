"""REST API of imports (the library's managers, consortium administrators):
`/api/tenants/<slug>/imports` (runs), `/imports/<run_id>` (one, with its progress) and
`/imports/<run_id>/items` (every item's state and reason; `?state=failed`, `?format=csv`)."""

import csv
import io

from flask import Response, g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route
from marshmallow import ValidationError

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body
from .service import STATES

CSV = "text/csv; charset=utf-8"
STATE_CHOICES = "Must be one of: created, updated, unchanged, deleted, failed."
COLUMNS = ("source_id", "datestamp", "state", "reason", "record")


def items_csv(items):
    """The items as CSV (cells starting with = + - @ neutralised for spreadsheets)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    for item in items:
        writer.writerow([_cell(item[column]) for column in COLUMNS])
    return out.getvalue()


def _cell(value):
    value = "" if value is None else str(value)
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


class ImportResourceConfig(ResourceConfig):
    """Routes of the imports API."""

    blueprint_name = "consortium_imports"
    url_prefix = ""
    routes = {
        "runs": "/tenants/<slug>/imports",
        "run": "/tenants/<slug>/imports/<run_id>",
        "items": "/tenants/<slug>/imports/<run_id>/items",
        "stop": "/tenants/<slug>/imports/<run_id>/actions/stop",
    }
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


class ImportResource(ServiceResource):
    """Thin HTTP layer over ImportService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["runs"], self.runs),
            route("POST", r["runs"], self.submit),
            route("POST", r["stop"], self.stop),
            route("GET", r["run"], self.read),
            route("GET", r["items"], self.items),
        ]

    @response_handler()
    def runs(self):
        return self.service.runs(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def submit(self):
        return self.service.submit(g.identity, request.view_args["slug"],
                                   resource_requestctx.data), 202

    @response_handler()
    def stop(self):
        args = request.view_args
        return self.service.stop(g.identity, args["slug"], args["run_id"]), 202

    @response_handler()
    def read(self):
        args = request.view_args
        return self.service.read(g.identity, args["slug"], args["run_id"]), 200

    def items(self):
        """JSON (with the original and mapped payloads) by default; `format=csv` for the
        report file."""
        args, state = request.view_args, request.args.get("state") or None
        if state is not None and state not in STATES:
            raise ValidationError({"state": [STATE_CHOICES]})
        kind = request.args.get("format", "json")
        if kind not in ("json", "csv"):
            raise ValidationError({"format": ["Must be one of: json, csv."]})
        items = self.service.items(g.identity, args["slug"], args["run_id"], state,
                                   with_payload=kind == "json")
        if kind == "csv":
            return Response(items_csv(items), content_type=CSV, headers={
                "Content-Disposition":
                    f'attachment; filename="import-{args["run_id"]}.csv"'})
        return {"items": items, "total": len(items)}, 200
