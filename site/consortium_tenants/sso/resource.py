"""REST API: `/api/tenants/<slug>/sso` (allowed IdPs and rules), `/api/tenants/<slug>/sso/audit`
(the library's managers and consortium administrators) and `/api/sso/idps?q=` (the IdPs
known from metadata, found by name; public)."""

from flask import g, request
from flask_resources import ResourceConfig, resource_requestctx, response_handler, route

from ..tenants.resource import ERROR_HANDLERS, ServiceResource, TenantResourceConfig, body


class SsoResourceConfig(ResourceConfig):
    """Routes of the SSO settings API."""

    blueprint_name = "consortium_sso"
    url_prefix = ""
    routes = {"settings": "/tenants/<slug>/sso", "audit": "/tenants/<slug>/sso/audit",
              "idps": "/sso/idps"}
    request_body_parsers = TenantResourceConfig.request_body_parsers
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


class SsoResource(ServiceResource):
    """Thin HTTP layer over SsoService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["settings"], self.read),
            route("PUT", r["settings"], self.update),
            route("GET", r["audit"], self.audit),
            route("GET", r["idps"], self.idps),
        ]

    @response_handler()
    def read(self):
        return self.service.read(g.identity, request.view_args["slug"]), 200

    @body
    @response_handler()
    def update(self):
        return self.service.update(g.identity, request.view_args["slug"],
                                   resource_requestctx.data), 200

    @response_handler()
    def audit(self):
        return self.service.audit(g.identity, request.view_args["slug"]), 200

    @response_handler()
    def idps(self):
        """`?q=` words of the name or entity ID (any case, accents), `?size=` (1-1000)."""
        size = min(max(request.args.get("size", 100, type=int), 1), 1000)
        rows, total = self.service.search_idps(request.args.get("q", ""), size=size)
        return {"hits": {"hits": [self.service.dump_idp(row) for row in rows],
                         "total": total}}, 200
