"""Closing a month: the one step that issues statements.

A month is closed once it is over and every library that existed in it has a
daily snapshot of each of its days there; then every library's statement is
issued at once (stored, never recomputed). Closing again changes nothing; a
month with missing days is refused, naming them. Quarters and years are not
closed: they are read from their months.
"""

from datetime import datetime, timedelta, timezone

from invenio_db import db
from invenio_i18n import gettext as _
from marshmallow import ValidationError
from sqlalchemy import func, select, text

from ..tenants.errors import TenantConflict
from ..tenants.models import TenantModel
from ..tenants import history
from . import statements
from .models import StatementModel

MONTH = "^[0-9]{4}-[0-9]{2}$"
"""Issued statements are a month's (rows of quarters frozen by earlier versions are not)."""

SHOWN_DAYS = 5
"""Missing days named per library in the refusal (then "…")."""


class PeriodNotOver(TenantConflict):
    """The month has not ended yet (409)."""


class PeriodIssued(TenantConflict):
    """The change would fall into issued statements (409)."""


class SnapshotsMissing(TenantConflict):
    """Some library lacks the snapshot of some day of the month (409)."""

    def __init__(self, label, missing):
        self.missing = missing
        named = "; ".join(
            f"{slug}: " + ", ".join(d.isoformat() for d in days[:SHOWN_DAYS])
            + (f", … ({len(days)})" if len(days) > SHOWN_DAYS else "")
            for slug, days in sorted(missing.items()))
        super().__init__(_(
            "The statements of %(period)s cannot be issued: daily snapshots are missing "
            "(%(days)s). Take them (invenio tenants snapshots backfill) and close again.",
            period=label, days=named))


def month_of(period):
    """(label, first day, last day) of a month PERIOD; a quarter or year: ValidationError."""
    label, first, last = statements.parse_period(period)
    if first.month != last.month:
        raise ValidationError({"period": [
            "Only a month is closed (2026-11); a quarter or a year is the sum of its months."]})
    return label, first, last


def latest_issued():
    """The last day of the latest month with issued statements, or None."""
    label = db.session.execute(select(func.max(StatementModel.period)).where(
        StatementModel.period.op("~")(MONTH))).scalar()
    return statements.parse_period(label)[2] if label else None


def first_open_day():
    """The first day after the issued months (None: nothing issued yet)."""
    last = latest_issued()
    return last + timedelta(days=1) if last else None


def refuse_in_issued(day, backfill=False):
    """Raise PeriodIssued when DAY (a tariff's effective date, a backfill's first day)
    is in or before an issued month: its statements would no longer match their days."""
    last = latest_issued()
    if last is None or day > last:
        return
    if backfill:
        message = _("Snapshots from %(day)s would fall into statements already issued "
                    "(up to %(last)s); backfill only days after %(last)s.",
                    day=day.isoformat(), last=last.isoformat())
    else:
        message = _("A tariff from %(day)s would change statements already issued (up to "
                    "%(last)s); tariffs can only take effect after %(last)s.",
                    day=day.isoformat(), last=last.isoformat())
    raise PeriodIssued(message)


def close(period, now=None):
    """Issue every library's statement of the month PERIOD, once.

    Returns {"period", "issued": statements issued now, "already": issued before}.
    Refuses a month that is not over (PeriodNotOver) or lacks a snapshot
    (SnapshotsMissing, naming the days): nothing is issued then. The caller's unit of
    work commits (BillingService.close), and rolls back on a refusal.
    """
    label, first, last = month_of(period)
    if last >= history.today(now):
        raise PeriodNotOver(_("%(period)s is not over yet: it can be closed from %(day)s.",
                              period=label, day=(last + timedelta(days=1)).isoformat()))
    # one close at a time: a second waits, then finds the statements issued
    db.session.execute(text("SELECT pg_advisory_xact_lock(hashtext('consortium-billing-close'))"))
    libraries = TenantModel.query.filter(
        func.date(TenantModel.created) <= last).order_by(TenantModel.slug).all()
    done = set(db.session.execute(select(StatementModel.tenant_id).where(
        StatementModel.period == label)).scalars())
    pending = [tenant for tenant in libraries if tenant.id not in done]
    missing = {tenant.slug: days for tenant in pending
               if (days := history.missing_days(tenant, first, last))}
    if missing:
        raise SnapshotsMissing(label, missing)
    moment = now or datetime.now(timezone.utc)
    moment = moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment
    for tenant in pending:
        data = statements.compute(tenant, label)
        data.update(final=True, status="issued",
                    issued=moment.isoformat(timespec="seconds"))
        db.session.add(StatementModel(tenant_id=tenant.id, period=label, data=data))
    return {"period": label, "issued": len(pending), "already": len(done)}
