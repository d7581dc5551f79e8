"""REST API: `/api/tenants/<slug>/kramerius` (GET: anyone; PUT: the library's managers
and consortium administrators) and `/api/tenants/<slug>/kramerius/broken-links` (the
works whose Kramerius link the last check found broken; its managers)."""

from flask import g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route

from ...tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body


class KrameriusResourceConfig(ResourceConfig):
    """Routes of the Kramerius settings API."""

    blueprint_name = "consortium_kramerius"
    url_prefix = ""
    routes = {"settings": "/tenants/<slug>/kramerius",
              "broken": "/tenants/<slug>/kramerius/broken-links"}
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


class KrameriusResource(ServiceResource):
    """Thin HTTP layer over KrameriusService."""

    def create_url_rules(self):
        r = self.config.routes
        return [route("GET", r["settings"], self.read),
                route("PUT", r["settings"], self.update),
                route("GET", r["broken"], self.broken_links)]

    @response_handler()
    def read(self):
        return self.service.read(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def update(self):
        return self.service.update(g.identity, request.view_args["slug"],
                                   resource_requestctx.data), 200

    @response_handler()
    def broken_links(self):
        return self.service.broken_links(g.identity, request.view_args["slug"]), 200
