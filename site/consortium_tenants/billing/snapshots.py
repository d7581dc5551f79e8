"""Daily snapshots: what each library used on a day, read from the database.

Storage numbers come from the features' counters through the core
(`TenantService.counters`: storage's O(1) counters today, its ledger for a
past day); records, drafts and deposits from RDM's tables; members from the
library's roles. Nothing is read from the search index.
"""

from datetime import datetime, time, timedelta

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


def today():
    """The current UTC day."""
    return datetime.utcnow().date()


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


def measure(tenant, day, now=False):
    """The snapshot values of TENANT for DAY: NOW reads the live counters."""
    start, end = start_of(day), start_of(day + timedelta(days=1))
    storage = current_tenants_service.counters(tenant, None if now else end).get("storage", {})
    works, drafts, published = record_counts(tenant, end)
    return {
        "bytes": storage.get("bytes", 0),
        "files": storage.get("files", 0),
        "records": works,
        "drafts": drafts,
        "published": published.filter(RDMRecordMetadata.created >= start).count(),
        "members": current_tenants_service.member_count(tenant),
    }


def take(day=None):
    """Snapshot every library for DAY (default today) unless it has one: idempotent.

    Today's snapshot reads the live counters; an earlier day's (backfill)
    what the ledger still knows of it. Returns the number of snapshots made.
    """
    current = today()
    day = day or current
    made = 0
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        backfill = day < current
        if (backfill and tenant.created.date() > day) or _exists(tenant, day):
            continue
        db.session.add(DailySnapshotModel(
            tenant_id=tenant.id, day=day, **measure(tenant, day, now=not backfill)))
        made += 1
    db.session.commit()
    return made


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
