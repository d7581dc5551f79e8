"""REST API `/api/tenants`: parse → call the service → serialise; errors → HTTP.

Every REST resource of the instance reads its JSON body through `body` (or
`json_object()`): a body that is not a JSON object is a 400 (415 for another
content type) before any service runs, and every error message of these
resources is in the request's language (cs/en)."""

import json
from functools import wraps

import marshmallow as ma
from flask import current_app, g, request
from flask_resources import (
    HTTPJSONException,
    JSONDeserializer,
    RequestBodyParser,
    Resource,
    ResourceConfig,
    create_error_handler,
    request_parser,
    resource_requestctx,
    response_handler,
    route,
)
from invenio_i18n import gettext as _
from invenio_records_resources.errors import validation_error_to_list_errors
from invenio_records_resources.services.errors import PermissionDeniedError
from invenio_records_resources.services.uow import UnitOfWork

from ..validation import Integer
from .errors import TenantConflict, TenantNotFound, TenantSuspended
from .logo import validate_logo
from .service import store_community_logo


def translated(messages):
    """MESSAGES (a marshmallow error dict/list/text) in the request's language: each
    text found in the catalogue is translated, others are kept."""
    if isinstance(messages, dict):
        return {key: translated(value) for key, value in messages.items()}
    if isinstance(messages, (list, tuple)):
        return [translated(value) for value in messages]
    return _(messages) if isinstance(messages, str) and "%" not in messages else messages


class ValidationErrorJSON(HTTPJSONException):
    """400 with one message per field, in the request's language."""

    def __init__(self, exception):
        errors = validation_error_to_list_errors(ma.ValidationError(translated(
            exception.normalized_messages())))
        super().__init__(code=400, errors=errors,
                         description=_("A validation error occurred."))


class BadBody(HTTPJSONException):
    """400 (415): the request's body is not a JSON object."""

    def __init__(self, description, code=400):
        super().__init__(code=code, description=description)


def _has_nul(value):
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def json_object(required=False):
    """The request's body as a dict ({} when empty unless REQUIRED); BadBody when it
    is not JSON, not UTF-8, not an object, or of another content type."""
    raw = request.get_data(cache=True)
    if not raw:
        if required:
            raise BadBody(_("The request needs a JSON object as its body."))
        return {}
    if request.mimetype not in ("", "application/json"):
        raise BadBody(_("Send the body as application/json."), code=415)
    try:
        data = json.loads(raw.decode("utf-8"))
        nul = _has_nul(data)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError
        raise BadBody(_("The body is not valid JSON."))
    if nul:
        raise BadBody(_("The request contains a NUL character."))
    if not isinstance(data, dict):
        raise BadBody(_("The body must be a JSON object."))
    return data


def refuse_nul():
    """Before a request to the instance's REST routes: a NUL character in the path
    or the query string is a 400 (PostgreSQL cannot even compare such a text)."""
    if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                      for key, value in request.args.items(multi=True)):
        raise BadBody(_("The request contains a NUL character."))


def body(view):
    """Decorator: `resource_requestctx.data` = the request's JSON object (json_object)."""
    @wraps(view)
    def inner(*args, **kwargs):
        resource_requestctx.data = json_object()
        return view(*args, **kwargs)
    return inner


def _http(code, message=None):
    return lambda e: HTTPJSONException(code=code, description=message() if message else e.message)


ERROR_HANDLERS = {
    ma.ValidationError: create_error_handler(ValidationErrorJSON),
    TenantNotFound: create_error_handler(_http(404)),
    TenantConflict: create_error_handler(_http(409)),
    TenantSuspended: create_error_handler(_http(403)),
    PermissionDeniedError: create_error_handler(
        _http(403, lambda: _("You are not allowed to do this with this member library."))
    ),
}


class TenantSearchArgs(ma.Schema):
    """Query string of the tenant list."""

    q = ma.fields.String(load_default=None)
    sort = ma.fields.String(load_default="slug")
    page = Integer(load_default=1)
    size = Integer(load_default=25)


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


class ServiceResource(Resource):
    """Base of the consortium's REST resources: a thin HTTP layer over one service
    (`self.service`); each subclass lists its routes in `create_url_rules`."""

    def __init__(self, config, service):
        super().__init__(config)
        self.service = service

    def as_blueprint(self, **options):
        blueprint = super().as_blueprint(**options)
        blueprint.before_request(refuse_nul)
        return blueprint


def community_logo_upload():
    """`PUT /api/communities/<id>/logo` (the community settings page's uploader) takes
    the logos `PUT /api/tenants/<slug>/logo` takes (PNG, JPEG, sanitised SVG, within the
    size limits) and stores them with their image type. InvenioRDM alone stores any
    bytes, sent as application/octet-stream, which browsers do not show as an image."""
    if request.method != "PUT" or request.endpoint != "communities.update_logo":
        return None
    try:
        content = validate_logo(request.get_data())
    except ma.ValidationError as error:
        # The settings page shows only the answer's message: make it the reason.
        response = ValidationErrorJSON(error).get_response()
        body = response.get_json()
        body["message"] = error.messages["logo"][0]
        response.set_data(json.dumps(body))
        return response
    with UnitOfWork() as uow:
        result = store_community_logo(request.view_args["pid_value"], content, uow,
                                      identity=g.identity)
        uow.commit()
    return result.to_dict(), 200


LOGO_POLICY = {"default-src": "'none'", "style-src": "'unsafe-inline'", "sandbox": ""}
"""The Content-Security-Policy of a served logo (an SVG is sent as image/svg+xml by the
storage): drawn, never run — no script, no request of its own, a unique origin."""


def logo_policy():
    """Give `GET /api/communities/<id>/logo` LOGO_POLICY instead of the app's policy,
    through flask-talisman's per-view options (set before its after-request hook reads
    them; the app's hook would replace a header set by the view)."""
    if request.endpoint != "communities.read_logo":
        return
    view = current_app.view_functions[request.endpoint]
    if getattr(view, "talisman_view_options", {}).get("content_security_policy") != LOGO_POLICY:
        view.talisman_view_options = {"content_security_policy": LOGO_POLICY}


class TenantResource(ServiceResource):
    """Thin HTTP layer over TenantService."""

    def as_blueprint(self, **options):
        blueprint = super().as_blueprint(**options)
        blueprint.before_app_request(community_logo_upload)
        blueprint.before_app_request(logo_policy)
        return blueprint

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
