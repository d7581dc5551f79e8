"""Flask extension wiring the consortium tenants module."""

from botocore.exceptions import ConnectionError as S3ConnectionError
from botocore.exceptions import HTTPClientError as S3HTTPClientError
from celery import current_app as current_celery_app
from flask import current_app, g, has_request_context, jsonify
from flask_login import user_logged_in
from flask_resources import HTTPJSONException
from flask_security.signals import user_confirmed, user_registered
from invenio_base.signals import app_loaded
from invenio_i18n import gettext as _
from invenio_records_resources.services.errors import PermissionDeniedError
from opensearchpy.exceptions import ConnectionError as SearchConnectionError
from sqlalchemy import event
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import NoResultFound

from . import config, origin
from .billing.resource import BillingResource, BillingResourceConfig
from .billing.config import BillingServiceConfig
from .billing.service import BillingService
from .dois.accounts import DataCiteAccountService
from .dois.resource import DataCiteResource, DataCiteResourceConfig
from .imports.resource import ImportResource, ImportResourceConfig
from .imports.service import ImportService
from .oa.notices import EmbargoNoticeBuilder
from .iiif.kramerius.resource import KrameriusResource, KrameriusResourceConfig
from .iiif.kramerius.service import KrameriusService
from .oa.resource import OaPolicyResource, OaPolicyResourceConfig
from .oa.service import OaPolicyService
from .oai import departures as oai_departures
from .sso.resource import SsoResource, SsoResourceConfig
from .stats.config import StatsServiceConfig
from .stats.resource import SushiResource, SushiResourceConfig
from .stats.service import StatsService
from .sso.service import SsoService
from .storage.errors import StorageUnavailableError
from .storage.config import StorageServiceConfig
from .storage.provisioning import StorageService
from .storage.warnings import StorageWarningBuilder
from .tenants import host_cache
from .tenants.config import TenantServiceConfig
from .tenants.names import with_library_name
from .tenants.resource import TenantResource, TenantResourceConfig
from .tenants.service import TenantService
from .units import format_number, format_size
from .workflows.requests import ChangesRequestedNotificationBuilder
from .workflows.resource import WorkflowResource, WorkflowResourceConfig
from .workflows.service import WorkflowService

PLACEHOLDER_SECRET_KEYS = {None, "", "CHANGE_ME", "SECRET_KEY", "local-development-secret-change-me"}
"""Values SECRET_KEY has when nobody set it: invenio-config's, invenio-app's and
InvenioRDM's defaults, docker/.env.example's and this project's former fallback."""


def require_secret_key(app):
    """Refuse to start without a secret key of this deployment.

    It signs sessions, CSRF tokens and OAI-PMH resumption tokens; a default one
    would let anyone forge them.
    """
    if app.config.get("SECRET_KEY") in PLACEHOLDER_SECRET_KEYS:
        raise RuntimeError(
            "SECRET_KEY is not set: set the environment variable INVENIO_SECRET_KEY to a "
            "long random string (e.g. python3 -c 'import secrets; "
            "print(secrets.token_urlsafe(48))'). The local platform's scripts "
            "(scripts/env.sh) generate one in $LOCAL_DIR/secret-key.")


def _note_commit(session):
    """Remember that this request committed to the database (see search_unavailable)."""
    if has_request_context():
        g.consortium_committed = True


event.listen(Session, "after_commit", _note_commit)

REPAIR_TASK = "consortium_platform.tasks.repair_indices"


def search_unavailable(error):
    """503 when OpenSearch does not answer, saying whether the change was saved.

    RDM commits to the database before it indexes: a change committed in this
    request is kept, and the index repair task is queued to make it findable
    once OpenSearch is back (it retries while OpenSearch is down).
    """
    current_app.logger.error("Search service unavailable: %s", error)
    saved = bool(g.get("consortium_committed"))
    if saved:
        try:
            current_celery_app.send_task(
                REPAIR_TASK, countdown=current_app.config["CONSORTIUM_INDEX_REPAIR_DELAY"])
        except Exception:  # broker down too: the daily check finds the record
            current_app.logger.exception("Could not queue the index repair")
        message = _("The search service is unavailable at the moment. Your change was "
                    "saved and becomes findable when search is back; do not repeat it.")
    else:
        message = _("The search service is unavailable at the moment. Nothing was "
                    "changed; please try again later.")
    response = jsonify({"status": 503, "message": message, "saved": saved,
                        "retry": not saved})
    response.status_code = 503
    return response


HIDDEN_AS_404 = (KeyError, NoResultFound)
"""Errors InvenioRDM's record and deposit pages answer with 'not found' wherever they
come from (invenio_app_rdm.records_ui.views): a missing key in a template or a context
processor, a `.one()` finding no row, would look like a missing record."""


def log_errors_shown_as_404(sender, app=None, **kwargs):
    """Log every HIDDEN_AS_404 error a blueprint turns into a 404, with its traceback:
    the answer stays a 404, the operator's log says why."""
    if app is None:
        return
    for blueprint, handlers in app.error_handler_spec.items():
        by_class = handlers.get(None, {})
        for error_class in HIDDEN_AS_404:
            original = by_class.get(error_class)
            if original is None or getattr(original, "logs_hidden_error", False):
                continue

            def logged(error, _original=original, _blueprint=blueprint):
                app.logger.warning("%s answered as 404 by %s", type(error).__name__,
                                   _blueprint, exc_info=error)
                return _original(error)

            logged.logs_hidden_error = True
            by_class[error_class] = logged


class ConsortiumTenants:
    """Consortium tenants extension: services, resources, host routing."""

    def __init__(self, app=None):
        if app:
            self.init_app(app)

    def init_app(self, app):
        require_secret_key(app)
        for key in dir(config):
            if key.startswith("CONSORTIUM_"):
                app.config.setdefault(key, getattr(config, key))
        # The settings page's uploader states and checks InvenioRDM's limit (1 MB) where
        # the instance refuses logos over its own: one limit.
        app.config["COMMUNITIES_LOGO_MAX_FILE_SIZE"] = app.config["CONSORTIUM_LOGO_MAX_SIZE"]
        self.tenants_service = TenantService(TenantServiceConfig.build(app))
        self.tenants_resource = TenantResource(TenantResourceConfig, self.tenants_service)
        self.workflows_service = WorkflowService(self.tenants_service)
        self.workflows_resource = WorkflowResource(WorkflowResourceConfig, self.workflows_service)
        self.storage_service = StorageService(StorageServiceConfig.build(app),
                                              self.tenants_service)
        self.billing_service = BillingService(BillingServiceConfig.build(app),
                                              self.tenants_service)
        self.billing_resource = BillingResource(BillingResourceConfig, self.billing_service)
        self.stats_service = StatsService(StatsServiceConfig.build(app), self.tenants_service)
        self.sushi_resource = SushiResource(SushiResourceConfig, self.stats_service)
        self.datacite_service = DataCiteAccountService(self.tenants_service)
        self.datacite_resource = DataCiteResource(DataCiteResourceConfig, self.datacite_service)
        self.sso_service = SsoService(self.tenants_service)
        self.sso_resource = SsoResource(SsoResourceConfig, self.sso_service)
        self.oa_service = OaPolicyService(self.tenants_service)
        self.oa_resource = OaPolicyResource(OaPolicyResourceConfig, self.oa_service)
        self.kramerius_service = KrameriusService(self.tenants_service)
        self.kramerius_resource = KrameriusResource(KrameriusResourceConfig,
                                                    self.kramerius_service)
        self.imports_service = ImportService(self.tenants_service)
        self.imports_resource = ImportResource(ImportResourceConfig, self.imports_service)
        app.extensions["consortium-tenants"] = self
        origin.init_app(app)  # a library's site is one origin
        host_cache.connect_invalidation()  # registry changes reach every process's cache
        oai_departures.connect()  # records leaving an OAI endpoint/set: deleted headers
        self._connect_signals(app)
        self._init_notifications_and_errors(app)
        # Sizes and numbers in the page's (an e-mail's recipient's) language, in every
        # template of both apps; Jinja's own filesizeformat wrote "3 Bytes" on Czech pages.
        app.add_template_global(format_size, "format_size")
        app.add_template_global(format_number, "format_number")
        app.add_template_filter(lambda value, binary=False: format_size(value),
                                "filesizeformat")
        # A library's community (a UI dump) named in the page's (an e-mail's recipient's)
        # language: the header of its pages, e-mails naming it.
        app.add_template_filter(with_library_name, "localized_community")
        app_loaded.connect(log_errors_shown_as_404)

    @staticmethod
    def _init_notifications_and_errors(app):
        """Storage warnings, change requests and embargo notices as RDM notifications; S3 outages as 503, a
        permission refused by a resource that does not answer it itself as 403."""
        builders = dict(app.config.get("NOTIFICATIONS_BUILDERS", {}))
        for builder in (StorageWarningBuilder, ChangesRequestedNotificationBuilder,
                        EmbargoNoticeBuilder):
            builders[builder.type] = builder
        app.config["NOTIFICATIONS_BUILDERS"] = builders

        def storage_unavailable(error):
            app.logger.error("S3 storage unavailable: %s", error)
            return StorageUnavailableError().get_response()

        for error in (S3ConnectionError, S3HTTPClientError):  # down, or timed out
            app.register_error_handler(error, storage_unavailable)
        app.register_error_handler(SearchConnectionError, search_unavailable)

        def not_allowed(error):  # a resource without its own 403 (invenio-jobs' logs): not a 500
            return HTTPJSONException(code=403,
                                     description=_("You are not allowed to do this.")
                                     ).get_response()

        app.register_error_handler(PermissionDeniedError, not_allowed)

    def _connect_signals(self, app):
        """Users join the library owning their e-mail domain once the address is confirmed.

        `user_confirmed` fires when the link of the confirmation mail is followed;
        at sign-up and login the join happens only for an address confirmed
        already (an account created confirmed, or confirmed before this rule).
        """

        def join(sender, user=None, **kwargs):
            if user is not None and user.email and user.confirmed_at is not None:
                self.tenants_service.join_by_email_domain(user)

        self._join_receiver = join  # keep a strong reference for blinker
        user_logged_in.connect(join, app)
        user_registered.connect(join, app)
        user_confirmed.connect(join, app)
