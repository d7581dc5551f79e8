"""REST API: `/api/tenants/<slug>/workflow` and `/api/tenants/<slug>/submissions`.

Curators act on a submission through InvenioRDM's request API:
`POST /api/requests/<id>/actions/{accept,decline,request_changes}` with an
optional `{"payload": {"content": "comment"}}` — required for
`request_changes`, whose route here takes the place of the generic action route
of invenio-requests (a literal path segment wins over `<action>`).
"""

import marshmallow as ma
from flask import g, request
from flask_resources import (
    ResourceConfig,
    request_parser,
    resource_requestctx,
    response_handler,
    route,
)
from invenio_requests.resources.requests.config import request_error_handlers

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body
from ..validation import Integer
from .requests import ask_for_changes


class QueueArgs(ma.Schema):
    """Query string of the submission queue."""

    status = ma.fields.String(load_default="submitted")
    page = Integer(load_default=1)
    size = Integer(load_default=25)


queue_args = request_parser(dict(QueueArgs().fields), location="args", unknown=ma.EXCLUDE)
expand_arg = request_parser({"expand": ma.fields.Boolean(load_default=False)},
                            location="args", unknown=ma.EXCLUDE)


class WorkflowResourceConfig(ResourceConfig):
    """Routes of the workflow API."""

    blueprint_name = "consortium_workflows"
    url_prefix = ""
    routes = {"workflow": "/tenants/<slug>/workflow",
              "submissions": "/tenants/<slug>/submissions",
              "request_changes": "/requests/<uuid:id>/actions/request_changes"}
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    # the request page's JavaScript asks for InvenioRDM's UI JSON (request_changes)
    response_handlers = {
        **ResourceConfig.response_handlers,
        "application/vnd.inveniordm.v1+json": ResourceConfig.response_handlers["application/json"],
    }
    error_handlers = {**request_error_handlers, **ERROR_HANDLERS}


class WorkflowResource(ServiceResource):
    """Thin HTTP layer over WorkflowService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["workflow"], self.read),
            route("PUT", r["workflow"], self.update),
            route("GET", r["submissions"], self.queue),
            route("POST", r["request_changes"], self.request_changes),
        ]

    @response_handler()
    def read(self):
        return self.service.read(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def update(self):
        slug = request.view_args["slug"]
        return self.service.update(g.identity, slug, resource_requestctx.data or {}), 200

    @queue_args
    @response_handler()
    def queue(self):
        slug = request.view_args["slug"]
        return self.service.queue(g.identity, slug, **resource_requestctx.args), 200

    @expand_arg
    @body
    @response_handler()
    def request_changes(self):
        """The request action, with the curator's comment (`payload`) required."""
        data = resource_requestctx.data
        item = ask_for_changes(g.identity, request.view_args["id"],
                               data.get("payload") if isinstance(data, dict) else None,
                               expand=resource_requestctx.args["expand"])
        return item.to_dict(), 200
