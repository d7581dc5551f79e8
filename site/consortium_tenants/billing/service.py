"""The billing service: statements, the consortium's summary, tariffs, snapshots.

An invenio-records-resources service (config: `config.BillingServiceConfig`): its
permission policy is the instance's (CONSORTIUM_TENANTS_PERMISSION_POLICY: a library's
managers and consortium administrators read its statements, `read_statements`; only
administrators read the summary, change tariffs, take snapshots and close a month,
`manage_billing`); what it accepts and returns goes through the config's schemas; every
write is one unit of work (the snapshots' catch-up: one per library).
"""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from invenio_db import db
from invenio_i18n import gettext as _
from invenio_records_resources.services import Service
from invenio_records_resources.services.uow import unit_of_work
from marshmallow import ValidationError

from ..i18n import language
from ..tenants import history
from ..tenants.errors import TenantNotFound
from ..tenants.models import TenantModel
from . import closing, snapshots, statements, tariffs
from .models import TariffModel


class BillingService(Service):
    """What each library owes, and the prices it is computed with."""

    def __init__(self, config, tenants):
        super().__init__(config)
        self.tenants = tenants

    def _library(self, identity, action, slug):
        tenant = self.tenants.get(slug)
        self.require_permission(identity, action, record=tenant)
        return tenant

    def _period(self, period):
        return self.config.period_schema().load({"period": period})["period"]

    def statement(self, identity, slug, period):
        """The library's statement for PERIOD (`2026-11`, `2026-Q4`, `2026`)."""
        tenant = self._library(identity, "read_statements", slug)
        return statements.statement(tenant, self._period(period))

    def snapshots(self, identity, slug, period):
        """The library's daily snapshots in PERIOD."""
        tenant = self._library(identity, "read_statements", slug)
        label, first, last = statements.parse_period(self._period(period))
        return {"period": label, "hits": self.config.snapshot_schema(many=True).dump(
            history.of(tenant, first, last))}

    def overview(self, identity, slug, months=6, days=30):
        """Deposits per month of the last MONTHS months, this month's estimated bill and
        the storage of the last DAYS days (the daily snapshots, oldest first)."""
        tenant = self._library(identity, "read_statements", slug)
        today = history.today()
        first = today - timedelta(days=days - 1)
        trend = [{"day": s.day, "bytes": s.bytes} for s in history.of(tenant, first, today)]
        recent = history.monthly(tenant, today.replace(day=1) - relativedelta(months=months - 1),
                                 today)
        estimate = statements.compute(tenant, f"{today:%Y-%m}")
        return {"deposits_per_month": {f"{month:%Y-%m}": usage["deposits"]
                                       for month, usage in recent.items()},
                "estimate": estimate["totals"]["gross"], "currency": estimate["currency"],
                "storage_trend": {"first": first, "last": today, "days": trend}}

    def summary(self, identity, period, lang=None):
        """One row per library for PERIOD (the accountant's CSV)."""
        self.require_permission(identity, "manage_billing")
        period = self._period(period)
        statements.parse_period(period)
        return [statements.summary_row(statements.statement(tenant, period), lang or language())
                for tenant in TenantModel.query.order_by(TenantModel.slug)]

    def list_tariffs(self, identity):
        """Every tariff, config defaults and database, by effective date."""
        self.require_permission(identity, "search")  # public prices
        return {"hits": [tariffs.dump(t) for t in tariffs.all_tariffs()]}

    @unit_of_work()
    def set_tariff(self, identity, data, uow=None):
        """Add the tariff effective from DATA's date, or replace the database's one."""
        self.require_permission(identity, "manage_billing")
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        loaded = self.config.tariff_schema().load(data)
        closing.refuse_in_issued(loaded["effective_from"])
        model = TariffModel.query.filter_by(effective_from=loaded["effective_from"]).one_or_none()
        if model is None:
            model = TariffModel(effective_from=loaded["effective_from"])
            db.session.add(model)
        for key, value in loaded.items():
            setattr(model, key, value)
        db.session.flush()
        db.session.refresh(model)  # the prices as stored (the columns' scale)
        return tariffs.dump(tariffs.as_row(model))

    @unit_of_work()
    def delete_tariff(self, identity, effective_from, uow=None):
        """Remove the database's tariff effective from EFFECTIVE_FROM (an ISO date)."""
        self.require_permission(identity, "manage_billing")
        try:
            day = self.config.tariff_schema().fields["effective_from"].deserialize(
                effective_from)
        except ValidationError as error:
            raise ValidationError({"effective_from": error.messages}) from error
        model = TariffModel.query.filter_by(effective_from=day).one_or_none()
        if model is None:
            raise TenantNotFound(_("No tariff in the database effective from %(day)s.",
                                   day=day.isoformat()))
        closing.refuse_in_issued(day)
        db.session.delete(model)

    @unit_of_work()
    def take_snapshots(self, identity, day, uow=None):
        """Snapshot every library that existed on DAY (over), once (backfill)."""
        self.require_permission(identity, "manage_billing")
        return snapshots.take(day)

    def catch_up_snapshots(self, identity, now=None):
        """Snapshot every (library, day) missing up to yesterday of NOW; each library
        on its own unit of work (see snapshots.catch_up)."""
        self.require_permission(identity, "manage_billing")
        result = snapshots.catch_up(now, since=closing.first_open_day())
        return self.config.snapshots_run_schema().dump(result)

    @unit_of_work()
    def close(self, identity, period, now=None, uow=None):
        """Issue every library's statement of the month PERIOD once it is over and
        complete (see closing.close)."""
        self.require_permission(identity, "manage_billing")
        return self.config.closed_month_schema().dump(
            closing.close(self._period(period), now))

    def backfill(self, identity, first, last):
        """Days from FIRST to LAST, for the progress bar of `snapshots backfill`."""
        self.require_permission(identity, "manage_billing")
        if last < first:
            raise ValidationError({"to": ["Must not be before --from."]})
        if last >= history.today():
            raise ValidationError({"to": ["Must be before today (a day is snapshotted "
                                          "once it is over)."]})
        closing.refuse_in_issued(first, backfill=True)
        return history.days_between(first, last)
