"""REST API `/api/tenants`: parse → call the service → serialise; errors → HTTP."""

import marshmallow as ma
from flask import g, request
from flask_resources import (
    HTTPJSONException,
    JSONDeserializer,
    RequestBodyParser,
    Resource,
    ResourceConfig,
    create_error_handler,
    request_body_parser,
    request_parser,
    resource_requestctx,
    response_handler,
    route,
)
from invenio_records_resources.errors import validation_error_to_list_errors
from invenio_records_resources.services.errors import PermissionDeniedError

from .errors import TenantConflict, TenantNotFound, TenantSuspended


class ValidationErrorJSON(HTTPJSONException):
    """400 with one message per field."""

    description = "A validation error occurred."

    def __init__(self, exception):
        super().__init__(code=400, errors=validation_error_to_list_errors(exception))


def _http(code, message=None):
    return lambda e: HTTPJSONException(code=code, description=message or e.message)


ERROR_HANDLERS = {
    ma.ValidationError: create_error_handler(ValidationErrorJSON),
    TenantNotFound: create_error_handler(_http(404)),
    TenantConflict: create_error_handler(_http(409)),
    TenantSuspended: create_error_handler(_http(403)),
    PermissionDeniedError: create_error_handler(
        _http(403, "You are not allowed to do this with this member library.")
    ),
}


class TenantSearchArgs(ma.Schema):
    """Query string of the tenant list."""

    q = ma.fields.String(load_default=None)
    sort = ma.fields.String(load_default="slug")
    page = ma.fields.Integer(load_default=1)
    size = ma.fields.Integer(load_default=25)


class TenantResourceConfig(ResourceConfig):
    """Routes and parsers of the tenant API."""

    blueprint_name = "consortium_tenants"
    url_prefix = "/tenants"
    routes = {
        "list": "",
        "item": "/<slug>",
        "suspend": "/<slug>/actions/suspend",
        "resume": "/<slug>/actions/resume",
        "members": "/<slug>/members",
        "logo": "/<slug>/logo",
        "usage": "/<slug>/usage",
    }
    request_body_parsers = {"application/json": RequestBodyParser(JSONDeserializer())}
    default_content_type = "application/json"
    error_handlers = ERROR_HANDLERS


search_args = request_parser(
    {k: v for k, v in TenantSearchArgs().fields.items()}, location="args", unknown=ma.EXCLUDE
)
body = request_body_parser(
    parsers=TenantResourceConfig.request_body_parsers, default_content_type="application/json"
)


class ServiceResource(Resource):
    """Base of the consortium's REST resources: a thin HTTP layer over one service
    (`self.service`); each subclass lists its routes in `create_url_rules`."""

    def __init__(self, config, service):
        super().__init__(config)
        self.service = service


class TenantResource(ServiceResource):
    """Thin HTTP layer over TenantService."""

    def create_url_rules(self):
        r = self.config.routes
        return [
            route("GET", r["list"], self.search),
            route("POST", r["list"], self.create),
            route("GET", r["item"], self.read),
            route("PUT", r["item"], self.update),
            route("DELETE", r["item"], self.delete),
            route("POST", r["suspend"], self.suspend),
            route("POST", r["resume"], self.resume),
            route("GET", r["members"], self.members),
            route("POST", r["members"], self.add_member),
            route("DELETE", r["members"], self.remove_member),
            route("PUT", r["logo"], self.set_logo),
            route("GET", r["usage"], self.usage),
        ]

    def _slug(self):
        return request.view_args["slug"]

    @search_args
    @response_handler(many=True)
    def search(self):
        return self.service.search(g.identity, **resource_requestctx.args), 200

    @body
    @response_handler()
    def create(self):
        return self.service.create(g.identity, resource_requestctx.data or {}), 201

    @response_handler()
    def read(self):
        return self.service.read(g.identity, self._slug()), 200

    @body
    @response_handler()
    def update(self):
        return self.service.update(g.identity, self._slug(), resource_requestctx.data or {}), 200

    def delete(self):
        self.service.delete(g.identity, self._slug())
        return "", 204

    @response_handler()
    def suspend(self):
        return self.service.set_status(g.identity, self._slug(), "suspended"), 200

    @response_handler()
    def resume(self):
        return self.service.set_status(g.identity, self._slug(), "active"), 200

    @response_handler()
    def set_logo(self):
        return self.service.set_logo(g.identity, self._slug(), request.get_data()), 200

    @response_handler()
    def usage(self):
        return self.service.usage(g.identity, self._slug()), 200

    @response_handler()
    def members(self):
        return self.service.members(g.identity, self._slug()), 200

    @body
    @response_handler()
    def add_member(self):
        return self.service.add_member(g.identity, self._slug(), resource_requestctx.data or {}), 200

    @body
    @response_handler()
    def remove_member(self):
        return self.service.remove_member(g.identity, self._slug(), resource_requestctx.data or {}), 200
