"""The statistics service: people's numbers, COUNTER months, SUSHI reports and credentials.

An invenio-records-resources service (config: `config.StatsServiceConfig`): its permission
policy is the instance's (CONSORTIUM_TENANTS_PERMISSION_POLICY): `read_stats` (a library's
curators and managers, consortium administrators: its statistics, REST, CSV and COUNTER
TSV), `read_consortium_stats` (every library side by side), `read_credentials`,
`manage_credentials` (a library's SUSHI credentials; `manage_consortium_credentials`: the
consortium's) and `manage_stats` (computing COUNTER months: administrators and the
system). A SUSHI harvester is no user: its credentials in the request say which
libraries it may harvest (`sushi.authorize`, Appendix D). What the service accepts goes
through the config's schemas; each write (a month computed, a credential issued or
revoked) is one unit of work.
"""

from datetime import date, datetime, timezone

from dateutil.relativedelta import relativedelta
from flask import current_app
from invenio_records_resources.services import Service
from invenio_records_resources.services.uow import unit_of_work
from marshmallow import ValidationError

from . import credentials, metrics, summary, sushi
from .models import ItemMonthUsage


class MonthsNotComputed(Exception):
    """Months whose metrics could not be computed (their stored metrics are kept)."""


class UnknownReport(LookupError):
    """No such COUNTER report here (SUSHI: an invalid path, 404)."""


class StatsService(Service):
    """Usage of the member libraries, for people and for COUNTER harvesters."""

    def __init__(self, config, tenants):
        super().__init__(config)
        self.tenants = tenants

    def _library(self, identity, action, slug):
        tenant = self.tenants.get(slug)
        self.require_permission(identity, action, record=tenant)
        return tenant

    def month_of(self, month):
        """MONTH (`YYYY-MM`, or a date) → its first day; ValidationError otherwise."""
        if isinstance(month, date):
            return month.replace(day=1)
        return self.config.month_schema().load({"month": month})["month"]

    # --- people's numbers ---------------------------------------------------------
    def library_stats(self, identity, slug, args, top=10):
        """The library's months (views, downloads, unique item investigations, deposits,
        storage) and top items over ARGS' range (`from`, `to`, `interval`)."""
        tenant = self._library(identity, "read_stats", slug)
        loaded = self.config.range_schema().load(dict(args))
        return summary.library_stats(tenant, loaded["first"], loaded["last"], top)

    def consortium_stats(self, identity, args):
        """Every library's numbers over ARGS' range, sorted by `sort`."""
        self.require_permission(identity, "read_consortium_stats")
        loaded = self.config.consortium_range_schema().load(dict(args))
        return summary.consortium_stats(loaded["first"], loaded["last"], loaded["sort"])

    def public_totals(self, tenant):
        """Views and downloads of TENANT's works in the last 12 months (public)."""
        return summary.public_totals(tenant)

    # --- COUNTER months -----------------------------------------------------------
    def month_usage(self, identity, month):
        """(first day of MONTH, its metrics from the events indices): MissingEventIndex
        when an index of the month is missing."""
        self.require_permission(identity, "manage_stats")
        month = self.month_of(month)
        return month, metrics.usage_of_month(month)

    @unit_of_work()
    def store_month(self, identity, month, usage, progress=None, uow=None):
        """Replace MONTH's metric rows by USAGE (of `month_usage`); the month is processed
        (reported by SUSHI) when final, preliminary otherwise. Returns its summary."""
        self.require_permission(identity, "manage_stats")
        month = self.month_of(month)
        rows = metrics.store_month(month, usage, progress)
        return {"month": month.strftime("%Y-%m"), "rows": rows,
                "final": metrics.month_is_final(month)}

    @unit_of_work()
    def compute_month(self, identity, month, uow=None):
        """Compute MONTH's metrics from its events again (see store_month)."""
        month, usage = self.month_usage(identity, month)
        return self.store_month(identity, month, usage, uow=uow)

    def compute_recent_months(self, identity, now=None):
        """The previous and the current month, each in a unit of work of its own. A month
        whose events index is missing keeps its stored metrics and the run then fails
        naming it (MonthsNotComputed), after the other month was computed; a month just
        begun without any event yet is no usage, not a loss."""
        self.require_permission(identity, "manage_stats")
        now = now or datetime.now(timezone.utc)
        this_month = now.date().replace(day=1)
        failed, done = [], []
        for month in (this_month - relativedelta(months=1), this_month):
            try:
                done.append(self.compute_month(identity, month))
            except metrics.MissingEventIndex as error:
                if month == this_month and not ItemMonthUsage.query.filter_by(
                        month=month).count():
                    current_app.logger.info("COUNTER metrics of %s: no usage events yet",
                                            month.strftime("%Y-%m"))
                    continue
                current_app.logger.error("COUNTER metrics not computed: %s", error)
                failed.append(str(error))
                continue
            current_app.logger.info("COUNTER metrics of %s: %d item rows (%s)",
                                    done[-1]["month"], done[-1]["rows"],
                                    "processed" if done[-1]["final"] else "preliminary")
        if failed:
            raise MonthsNotComputed("; ".join(failed))
        return done

    # --- SUSHI ------------------------------------------------------------------------
    def sushi_status(self):
        """The `/status` answer (public)."""
        return sushi.status()

    def sushi_members(self, args):
        """The `/members` answer to ARGS' credentials."""
        return sushi.members(sushi.authorize(args))

    def sushi_report_list(self, args):
        """The `/reports` answer to ARGS' credentials."""
        sushi.authorize(args)
        return sushi.report_list()

    def sushi_report(self, report, args):
        """REPORT (`pr`, `pr_p1`, `ir`, `ir_a1`) for the libraries ARGS' credentials may
        harvest: UnknownReport, or a SushiError of Appendix D."""
        build = self._builder(report)
        return self._report(report, build, args, sushi.authorize(args))

    def counter_report(self, identity, slug, report, args):
        """REPORT of the library SLUG for the people who read its statistics (the
        library's page, no SUSHI credentials)."""
        build = self._builder(report)
        tenant = self._library(identity, "read_stats", slug)
        return self._report(report, build, args, sushi.customer_of(tenant))

    @staticmethod
    def _builder(report):
        build = sushi.BUILDERS.get(report)
        if build is None:
            raise UnknownReport(report)
        return build

    def _report(self, report, build, args, customer):
        """ARGS through the report schema (missing dates: 1030, invalid ones: 3020), then
        the report of CUSTOMER."""
        if not args.get("begin_date") or not args.get("end_date"):
            raise sushi.SushiError(1030, "begin_date and end_date are required")
        try:
            loaded = self.config.report_args_schema().load(dict(args))
        except ValidationError as error:
            raise sushi.SushiError(3020, "; ".join(
                f"{field}: {' '.join(map(str, messages))}"
                for field, messages in sorted(error.normalized_messages().items()))) from error
        return build(loaded, customer)

    # --- SUSHI credentials ----------------------------------------------------------
    def _credentials_of(self, identity, slug, library_action, consortium_action):
        """The library SLUG (None: the consortium) once IDENTITY may do the action."""
        if slug is None:
            self.require_permission(identity, consortium_action)
            return None
        return self._library(identity, library_action, slug)

    def list_credentials(self, identity, slug):
        """The library's credentials (active and revoked), newest first."""
        tenant = self._library(identity, "read_credentials", slug)
        return {"hits": credentials.list_credentials(tenant)}

    @unit_of_work()
    def issue_credentials(self, identity, slug, data, uow=None):
        """New credentials for the library SLUG (None: the consortium); their JSON with
        the API key, shown this once."""
        tenant = self._credentials_of(identity, slug, "manage_credentials",
                                      "manage_consortium_credentials")
        loaded = self.config.credential_schema().load(data)
        user_id = getattr(identity, "id", None)
        return credentials.issue(tenant, loaded["label"],
                                 user_id if isinstance(user_id, int) else None)

    @unit_of_work()
    def revoke_credentials(self, identity, slug, requestor_id, uow=None):
        """Revoke the active credential REQUESTOR_ID of the library SLUG (None: the
        consortium's); CredentialNotFound if there is none."""
        tenant = self._credentials_of(identity, slug, "manage_credentials",
                                      "manage_consortium_credentials")
        return credentials.revoke(tenant, requestor_id)
