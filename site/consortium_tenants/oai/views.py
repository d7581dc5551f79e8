"""The OAI-PMH blueprint: `/oai2d` and `/oai2d/<slug>`, GET and POST.

`/oai2d` is the consortium's repository on the consortium's hosts and a
library's on the library's own hosts (routing.resolve_tenant sets `g.tenant`);
`/oai2d/<slug>` is a library's for harvesters that cannot use its host. Both
answer GET and POST with a form-encoded body (OAI-PMH 2.0 §3.1.1); harvesters
send no CSRF token and none is asked for (no form of the UI is involved).
"""

from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, g, request
from invenio_base.signals import app_loaded

from ..origin import current_origin
from ..tenants.models import TenantModel
from .provider import Endpoint, Request
from .unplug import unplug_replaced_views

METHODS = ["GET", "POST"]


def base_url():
    """The base URL the request came to, on the library's origin on a library host."""
    url = request.base_url.rstrip("/")
    origin = current_origin()
    return origin + urlsplit(url).path if origin else url


def serve(slug=None):
    """One OAI-PMH request; a library that does not exist is no repository: 404.

    An unknown slug is not an OAI error: the slug is part of the base URL, not an
    argument (§3.1.1), and OAI errors (HTTP 200) come from a repository, which
    this URL is not. A 404 tells a harvester that the endpoint is gone.
    """
    if slug is None:
        tenant = g.get("tenant")
    else:
        tenant = TenantModel.query.filter_by(slug=slug).one_or_none()
        if tenant is None:
            abort(404)
    body = Request(Endpoint(tenant, base_url()), request.values).respond()
    return Response(body, content_type="text/xml; charset=utf-8")


def create_blueprint(app):
    """The OAI-PMH endpoints; invenio-oaiserver's views they replace go once APP is loaded."""
    blueprint = Blueprint("consortium_tenants_oai", __name__)
    blueprint.add_url_rule("/oai2d", "consortium", serve, methods=METHODS,
                           strict_slashes=False)
    blueprint.add_url_rule("/oai2d/<slug>", "library", serve, methods=METHODS,
                           strict_slashes=False)
    app_loaded.connect(_unplug_when_loaded)
    return blueprint


def _unplug_when_loaded(sender, app=None, **kwargs):
    if app is not None and "consortium_tenants_oai" in app.blueprints:
        unplug_replaced_views(app)
