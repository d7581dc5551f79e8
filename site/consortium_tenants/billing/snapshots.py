"""Daily snapshots: what each library used on a day, read from the database.

A day is snapshotted once it is over: the daily task (just after midnight UTC)
takes every missing (library, day) up to yesterday, so a run that comes late
or not at all is made good by the next one.

Storage numbers come from the features' counters through the core
(`TenantService.counters` at the end of the day: storage's ledger); records, drafts and deposits from RDM's tables; members from the
library's roles. Nothing is read from the search index.
"""

from datetime import datetime, time, timedelta, timezone

from flask import current_app
from invenio_db import db
from invenio_rdm_records.records.models import (
    RDMDraftMetadata,
    RDMParentCommunity,
    RDMParentMetadata,
    RDMRecordMetadata,
)
from sqlalchemy import func, or_, select

from ..proxies import current_tenants_service
from ..tenants.models import TenantModel
from .models import DailySnapshotModel


def start_of(day):
    """Midnight (naive UTC) opening DAY."""
    return datetime.combine(day, time.min)


def today(now=None):
    """The UTC day of NOW (naive or aware UTC datetime; default: the clock)."""
    if now is not None and now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    return (now or datetime.utcnow()).date()


def _parents_in(tenant):
    return select(RDMParentCommunity.record_id).where(
        RDMParentCommunity.community_id == tenant.community_id)


def _parents_headed_to(tenant):
    receiver = RDMParentMetadata.json["review"]["receiver"]["community"].as_string()
    return select(RDMParentMetadata.id).where(receiver == str(tenant.community_id))


def record_counts(tenant, until):
    """(works, drafts, record versions published) of the library before UNTIL."""
    published = RDMRecordMetadata.query.filter(
        RDMRecordMetadata.json.isnot(None),
        RDMRecordMetadata.deletion_status == "P",
        RDMRecordMetadata.parent_id.in_(_parents_in(tenant)),
        RDMRecordMetadata.created < until,
    )
    works = published.with_entities(func.count(func.distinct(RDMRecordMetadata.parent_id)))
    drafts = RDMDraftMetadata.query.filter(
        RDMDraftMetadata.json.isnot(None),
        RDMDraftMetadata.created < until,
        ~RDMDraftMetadata.id.in_(select(RDMRecordMetadata.id)),
        or_(RDMDraftMetadata.parent_id.in_(_parents_in(tenant)),
            RDMDraftMetadata.parent_id.in_(_parents_headed_to(tenant))),
    )
    return works.scalar(), drafts.count(), published


def measure(tenant, day):
    """The snapshot values of TENANT for DAY (over): storage as the features count it
    at the end of DAY (`usage_at`), deposits published within DAY."""
    start, end = start_of(day), start_of(day + timedelta(days=1))
    storage = current_tenants_service.counters(tenant, end).get("storage", {})
    works, drafts, published = record_counts(tenant, end)
    return {
        "bytes": storage.get("bytes", 0),
        "files": storage.get("files", 0),
        "records": works,
        "drafts": drafts,
        "published": published.filter(RDMRecordMetadata.created >= start).count(),
        "members": current_tenants_service.member_count(tenant),
    }


def _snapshot(tenant, day):
    """Store TENANT's snapshot of DAY unless it has one; True when made."""
    if _exists(tenant, day):
        return False
    db.session.add(DailySnapshotModel(tenant_id=tenant.id, day=day, **measure(tenant, day)))
    return True


def take(day):
    """Snapshot every library that existed on DAY (a day that is over) unless it has
    one: idempotent (`snapshots backfill`). Returns the number of snapshots made."""
    made = 0
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        if tenant.created.date() <= day and _snapshot(tenant, day):
            made += 1
    db.session.commit()
    return made


def missing_days(tenant, first, last):
    """The days from FIRST to LAST on which TENANT existed and has no snapshot."""
    first = max(first, tenant.created.date())
    if last < first:
        return []
    taken = set(db.session.execute(
        select(DailySnapshotModel.day).where(
            DailySnapshotModel.tenant_id == tenant.id,
            DailySnapshotModel.day >= first, DailySnapshotModel.day <= last)).scalars())
    return [day for day in days_between(first, last) if day not in taken]


def catch_up(now=None, since=None):
    """Snapshot every (library, day) missing from the catch-up window: the days that are
    over (up to yesterday of NOW), at most CONSORTIUM_BILLING_SNAPSHOT_CATCH_UP_DAYS back
    and not before SINCE (the first day after the issued periods).

    Each library in a transaction of its own: one library's failure is logged and
    reported, the others' snapshots are kept. Returns {"made", "last_day", "failed"}:
    snapshots made, the last day covered, {slug: error} of the libraries that failed.
    """
    last = today(now) - timedelta(days=1)
    first = last - timedelta(
        days=current_app.config["CONSORTIUM_BILLING_SNAPSHOT_CATCH_UP_DAYS"] - 1)
    if since is not None:
        first = max(first, since)
    made, failed = 0, {}
    libraries = db.session.execute(
        select(TenantModel.id, TenantModel.slug).order_by(TenantModel.slug)).all()
    for tenant_id, slug in libraries:
        try:
            tenant = db.session.get(TenantModel, tenant_id)
            if tenant is None:  # deleted meanwhile
                continue
            for day in missing_days(tenant, first, last):
                made += _snapshot(tenant, day)
            db.session.commit()
        except Exception as error:  # noqa: BLE001 - one library never blocks the others
            db.session.rollback()
            current_app.logger.exception("Billing snapshots of %s failed", slug)
            failed[slug] = f"{type(error).__name__}: {error}"
    return {"made": made, "last_day": last, "failed": failed}


def _exists(tenant, day):
    return db.session.query(
        DailySnapshotModel.query.filter_by(tenant_id=tenant.id, day=day).exists()).scalar()


def days_between(first, last):
    """Every day from FIRST to LAST, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def of(tenant, first, last):
    """TENANT's snapshots from FIRST to LAST (dates), by day."""
    return DailySnapshotModel.query.filter(
        DailySnapshotModel.tenant_id == tenant.id,
        DailySnapshotModel.day >= first, DailySnapshotModel.day <= last,
    ).order_by(DailySnapshotModel.day).all()


def dump(snapshot):
    """JSON of a snapshot."""
    return {"day": snapshot.day.isoformat(), **{
        key: getattr(snapshot, key)
        for key in ("bytes", "files", "records", "drafts", "published", "members")}}



def published_per_month(tenant, months):
    """Deposits published in each of MONTHS ((year, month) pairs), from the snapshots."""
    month = func.to_char(DailySnapshotModel.day, "YYYY-MM")
    rows = db.session.query(month, func.sum(DailySnapshotModel.published)).filter(
        DailySnapshotModel.tenant_id == tenant.id).group_by(month).all()
    counts = {key: int(total or 0) for key, total in rows}
    return {f"{y}-{m:02d}": counts.get(f"{y}-{m:02d}", 0) for y, m in months}
