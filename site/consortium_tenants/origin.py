"""A library's site is one origin: absolute URLs made for a library use its host.

InvenioRDM makes every absolute URL from two config keys, SITE_UI_URL and
SITE_API_URL, read when the URL is made: invenio-records-resources' LinksTemplate
(the `links` of REST answers), invenio-base's urls builder behind `invenio_url_for`
and `EndpointLink` (REST links; in pages the header logo, the community theme CSS,
the deposit form's and the record page's links, from which the browser calls the
API), e-mail templates (`config.SITE_UI_URL`), administration and communities pages,
and this module's services (the curators' queue links).

So the application's config answers these two keys with the origin of the library
being served, and all of them follow:

- in a request on a library's host, i.e. one whose Host header the router
  (`routing.resolve_tenant`) validated against the registry and set `g.tenant`
  for: that host and port as the browser sent them, with the scheme of
  SITE_UI_URL (X-Forwarded-Host is never read);
- while a notification about a library is processed, its links resolved and
  its e-mails rendered (in Celery, without a request): the library's primary
  host, its first host name or `<slug>.<CONSORTIUM_TENANT_HOST_SUFFIX>`, with
  the scheme and port of SITE_UI_URL. The notification manager of this module
  (installed when the application is loaded, invenio-base's `app_loaded`)
  finds the library: the notification's `tenant`, or its request's receiver;
- anywhere else (the consortium's hosts, CLI, other tasks): as configured.

The answer is computed from `flask.g` and `flask.request`, which belong to one
request (one task) in every worker and thread: nothing shared changes per request.

Why here: a urls builder of our own (invenio-base's `urls_builder_factory`)
would need an application factory replacing invenio-app's (web, CLI, Celery) and
still miss every direct reader of the two keys (LinksTemplate's context,
templates, administration, stats); rewriting URLs in responses would miss e-mails.
The config is the one place they all read. Its class is set on the existing
object (invenio-app's factory chooses the Flask class, so `config_class` is out
of reach), so every holder of it (Jinja's `config`, the urls builder) sees it.
"""

from contextlib import contextmanager
from urllib.parse import urlsplit

from flask import Config, current_app, g, has_app_context, has_request_context, request
from invenio_base.signals import app_loaded
from invenio_notifications.manager import NotificationManager
from invenio_requests.records.api import Request

from .tenants.library import library_of_request
from .tenants.models import TenantModel

SITE_URL_KEYS = frozenset({"SITE_UI_URL", "SITE_API_URL"})


class OriginConfig(Config):
    """Flask config whose SITE_UI_URL and SITE_API_URL follow the library served."""

    def __getitem__(self, key):
        value = super().__getitem__(key)
        if key in SITE_URL_KEYS:
            origin = current_origin()
            if origin is not None:
                return origin + urlsplit(value).path
        return value

    def get(self, key, default=None):
        if key in SITE_URL_KEYS and key in self:
            return self[key]
        return super().get(key, default)


def _configured_site():
    return urlsplit(dict.__getitem__(current_app.config, "SITE_UI_URL"))


def current_origin():
    """`scheme://host[:port]` of the library served now, or None (as configured)."""
    if not has_app_context():
        return None
    origin = g.get("library_origin")
    if origin is None and has_request_context() and g.get("tenant") is not None:
        origin = f"{_configured_site().scheme}://{request.host.lower()}"
    return origin


def primary_origin(tenant):
    """The library's own site for links sent outside a request (e-mails)."""
    site = _configured_site()
    hosts = sorted(h.host for h in tenant.hosts)
    host = hosts[0] if hosts else (
        f"{tenant.slug}.{current_app.config['CONSORTIUM_TENANT_HOST_SUFFIX']}")
    return f"{site.scheme}://{host}" + (f":{site.port}" if site.port else "")


@contextmanager
def serving(tenant):
    """URLs made inside use TENANT's primary origin (None: leave them as they are)."""
    if tenant is None:
        yield
        return
    saved = g.get("library_origin")
    g.library_origin = primary_origin(tenant)
    try:
        yield
    finally:
        g.library_origin = saved


def notified_library(context):
    """The library a notification's CONTEXT is about, or None.

    Its `tenant` (a slug: storage warnings, and any notification once broadcast),
    else the community its request goes to (submissions, changes requested,
    comments), read from the request's reference before the context is resolved.
    """
    if isinstance(context.get("tenant"), str):
        return TenantModel.query.filter_by(slug=context["tenant"]).one_or_none()
    request_id = (context.get("request") or {}).get("request")
    if request_id is None:
        return None
    return library_of_request(Request.get_record(request_id))


class LibraryNotificationManager(NotificationManager):
    """Notifications about a library get its origin: links resolved, e-mails rendered."""

    def handle_broadcast(self, notification):
        tenant = notified_library(notification.context)
        if tenant is not None:  # the dispatch tasks find it without the request
            notification.context.setdefault("tenant", tenant.slug)
        with serving(tenant):
            super().handle_broadcast(notification)

    def handle_dispatch(self, backend_id, recipient, notification):
        with serving(notified_library(notification.context)):
            super().handle_dispatch(backend_id, recipient, notification)


def _use_library_notifications(sender, app=None, **kwargs):
    """Once every extension is loaded: the notification manager of this module."""
    notifications = app.extensions.get("invenio-notifications")
    if notifications is not None and "consortium-tenants" in app.extensions:
        manager = notifications.manager
        notifications.manager = LibraryNotificationManager(manager.backends, manager.builders)


def init_app(app):
    """Make APP's site URLs follow the library served; notifications included."""
    app.config.__class__ = OriginConfig
    app_loaded.connect(_use_library_notifications)
