"""REST API `/api/tenants/<slug>/datacite` (account) and `/api/tenants/<slug>/dois/failed`."""

from flask import g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body


class DataCiteResourceConfig(ResourceConfig):
    """Routes of the DataCite settings API."""

    blueprint_name = "consortium_datacite"
    url_prefix = ""
    routes = {"account": "/tenants/<slug>/datacite", "failed": "/tenants/<slug>/dois/failed"}
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


class DataCiteResource(ServiceResource):
    """Thin HTTP layer over DataCiteAccountService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["account"], self.read),
            route("PUT", r["account"], self.update),
            route("DELETE", r["account"], self.delete),
            route("GET", r["failed"], self.failed),
        ]

    @response_handler()
    def read(self):
        return self.service.read(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def update(self):
        return self.service.set(g.identity, request.view_args["slug"],
                                resource_requestctx.data), 200

    @response_handler()
    def delete(self):
        return self.service.remove(g.identity, request.view_args["slug"]), 200

    @response_handler()
    def failed(self):
        return self.service.failed(g.identity, request.view_args["slug"]), 200
