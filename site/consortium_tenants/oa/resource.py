"""REST API: `/api/tenants/<slug>/oa-policy` (GET: anyone; PUT: the library's managers and
consortium administrators)."""

from flask import g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body


class OaPolicyResourceConfig(ResourceConfig):
    """Routes of the open-access policy API."""

    blueprint_name = "consortium_oa"
    url_prefix = ""
    routes = {"policy": "/tenants/<slug>/oa-policy"}
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
        ]

    @response_handler()
    def read(self):
        return self.service.read(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def update(self):
        return self.service.update(g.identity, request.view_args["slug"],
                                   resource_requestctx.data), 200
