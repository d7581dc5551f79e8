"""Daily snapshots: billing records the core's daily usage history (`tenants.history`)
and prices it.

A day is snapshotted once it is over: the daily task (just after midnight UTC)
takes every missing (library, day) up to yesterday, so a run that comes late
or not at all is made good by the next one. What a day's row holds and how it is
measured is the core's (`history.measure`); statistics read the same rows.
"""

from datetime import timedelta

from flask import current_app
from invenio_db import db
from invenio_records_resources.services.uow import UnitOfWork
from sqlalchemy import select

from ..tenants import history
from ..tenants.models import TenantModel


def take(day):
    """Snapshot every library that existed on DAY (a day that is over) unless it has
    one: idempotent (`snapshots backfill`). Returns the number of snapshots made; the
    caller's unit of work commits them (BillingService.take_snapshots)."""
    made = 0
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        if tenant.created.date() <= day and history.record(tenant, day):
            made += 1
    return made


def catch_up(now=None, since=None):
    """Snapshot every (library, day) missing from the catch-up window: the days that are
    over (up to yesterday of NOW), at most CONSORTIUM_BILLING_SNAPSHOT_CATCH_UP_DAYS back
    and not before SINCE (the first day after the issued periods).

    Each library in a unit of work of its own: one library's failure is logged and
    reported, the others' snapshots are kept. Returns {"made", "last_day", "failed"}:
    snapshots made, the last day covered, {slug: error} of the libraries that failed.
    """
    last = history.today(now) - timedelta(days=1)
    first = last - timedelta(
        days=current_app.config["CONSORTIUM_BILLING_SNAPSHOT_CATCH_UP_DAYS"] - 1)
    if since is not None:
        first = max(first, since)
    made, failed = 0, {}
    libraries = db.session.execute(
        select(TenantModel.id, TenantModel.slug).order_by(TenantModel.slug)).all()
    for tenant_id, slug in libraries:
        try:
            with UnitOfWork(db.session) as uow:
                tenant = db.session.get(TenantModel, tenant_id)  # None: deleted meanwhile
                days = history.missing_days(tenant, first, last) if tenant else []
                taken = sum(history.record(tenant, day) for day in days)
                uow.commit()
            made += taken
        except Exception as error:  # noqa: BLE001 - one library never blocks the others
            current_app.logger.exception("Billing snapshots of %s failed", slug)
            failed[slug] = f"{type(error).__name__}: {error}"
    return {"made": made, "last_day": last, "failed": failed}

