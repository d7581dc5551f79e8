"""The OAI-PMH blueprint: `/oai2d` and `/oai2d/<slug>`, GET and POST.

`/oai2d` is the consortium's repository on the consortium's hosts and a
library's on the library's own hosts (routing.resolve_tenant sets `g.tenant`);
`/oai2d/<slug>` is a library's for harvesters that cannot use its host. Both
answer GET and POST with a form-encoded body (OAI-PMH 2.0 §3.1.1); harvesters
send no CSRF token and none is asked for (no form of the UI is involved).

A browser (a request that prefers text/html) gets the same answer as a page in its
language, transformed on the server with oai2html.xsl: browsers are dropping XSLT
(Chromium 156 still applies `<?xml-stylesheet?>` but puts a red deprecation banner on
the page and announces its removal), so a stylesheet reference would soon leave people
a raw XML tree. Harvesters (no text/html in Accept, or XML preferred) get the XML unchanged.
"""

from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit

from flask import Blueprint, Response, abort, current_app, g, request
from flask_babel import pgettext
from invenio_base.signals import app_loaded
from invenio_i18n import get_locale
from invenio_i18n import gettext as _
from lxml import etree

from ..i18n import localized
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
    if wants_page():
        response = Response(as_page(body, tenant), content_type="text/html; charset=utf-8")
    else:
        response = Response(body, content_type="text/xml; charset=utf-8")
    response.vary.add("Accept")
    return response


def wants_page():
    """Whether the client prefers an HTML page to XML (a browser, not a harvester)."""
    accept = request.accept_mimetypes
    return accept.best_match(["text/xml", "application/xml", "text/html"]) == "text/html"


@lru_cache(maxsize=1)
def _stylesheet():
    return etree.XSLT(etree.parse(str(Path(__file__).with_name("oai2html.xsl"))))


def _p(text):
    """TEXT in the request's language, in the instance's own context (short words)."""
    return pgettext("consortium", text)


def as_page(body, tenant):
    """The OAI-PMH answer BODY (bytes) as an HTML page in the request's language."""
    repository = localized(tenant.names) if tenant is not None else _(
        current_app.config["THEME_SITENAME"])
    labels = {
        "lang": str(get_locale() or "en"),
        "title": _("OAI-PMH interface of %(repository)s", repository=repository),
        "intro": _("This page is for people. Harvesters get the same answer as XML "
                   "(send Accept: text/xml or no Accept header)."),
        "l_identify": _p("About the repository"), "l_sets": _p("Sets"),
        "l_formats": _p("Metadata formats"), "l_identifiers": _p("Identifiers"),
        "l_records": _p("Records (Dublin Core)"), "l_request": _p("Request"),
        "l_date": _p("Answered"), "l_error": _p("Error"), "l_identifier": _p("Identifier"),
        "l_datestamp": _p("Changed"), "l_set": _p("Set"), "l_deleted": _p("deleted"),
        "l_next": _p("Next page"), "l_total": _p("Records in the list"),
        "l_schema": _p("Schema"), "l_namespace": _p("Namespace"),
        "l_metadata": _p("Metadata"),
    }
    document = etree.fromstring(body if isinstance(body, bytes) else body.encode("utf-8"))
    params = {key: etree.XSLT.strparam(str(value)) for key, value in labels.items()}
    return str(_stylesheet()(document, **params))


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
