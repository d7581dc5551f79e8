"""The daily usage history of every library: one row per (library, day that is over),
recorded once, read by every feature that reports usage over time (billing prices it,
statistics show it), so a period's deposits and storage are the same figures everywhere.

- deposits: record versions published in the library during the day (`published`, the
  only definition of "deposits published in a library during a period");
- storage: what the features count at the end of the day (`TenantService.counters`,
  storage's ledger), read just after the day ends, when it is exact;
- works, drafts (RDM's tables) and members (the library's roles).

Who records it and when is billing's daily job (`snapshots.catch_up`); this module
measures, stores and reads. Nothing is read from the search index.
"""

from datetime import date, datetime, time, timedelta, timezone

from dateutil.relativedelta import relativedelta
from invenio_db import db
from invenio_rdm_records.records.models import (
    RDMDraftMetadata,
    RDMParentCommunity,
    RDMParentMetadata,
    RDMRecordMetadata,
)
from sqlalchemy import func, or_, select

from ..proxies import current_tenants_service
from .models import DailyUsageModel

MONTH = relativedelta(months=1)


def start_of(day):
    """Midnight (naive UTC) opening DAY."""
    return datetime.combine(day, time.min)


def today(now=None):
    """The UTC day of NOW (naive or aware UTC datetime; default: the clock)."""
    if now is not None and now.tzinfo is not None:
        now = now.astimezone(timezone.utc).replace(tzinfo=None)
    return (now or datetime.now(timezone.utc).replace(tzinfo=None)).date()


def days_between(first, last):
    """Every day from FIRST to LAST, both included."""
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _parents_in(tenant):
    return select(RDMParentCommunity.record_id).where(
        RDMParentCommunity.community_id == tenant.community_id)


def _parents_headed_to(tenant):
    receiver = RDMParentMetadata.json["review"]["receiver"]["community"].as_string()
    return select(RDMParentMetadata.id).where(receiver == str(tenant.community_id))


def published(tenant, start=None, end=None):
    """Record versions published in TENANT's community from START to END (naive UTC,
    END excluded; None: unbounded): the query every count of deposits starts from."""
    query = RDMRecordMetadata.query.filter(
        RDMRecordMetadata.json.isnot(None),
        RDMRecordMetadata.deletion_status == "P",
        RDMRecordMetadata.parent_id.in_(_parents_in(tenant)),
    )
    if start is not None:
        query = query.filter(RDMRecordMetadata.created >= start)
    if end is not None:
        query = query.filter(RDMRecordMetadata.created < end)
    return query


def measure(tenant, day):
    """TENANT's usage of DAY (over): storage as the features count it at the end of DAY
    (`usage_at`), works and drafts then, deposits published within DAY, members."""
    start, end = start_of(day), start_of(day + timedelta(days=1))
    storage = current_tenants_service.counters(tenant, end).get("storage", {})
    until = published(tenant, end=end)
    drafts = RDMDraftMetadata.query.filter(
        RDMDraftMetadata.json.isnot(None),
        RDMDraftMetadata.created < end,
        ~RDMDraftMetadata.id.in_(select(RDMRecordMetadata.id)),
        or_(RDMDraftMetadata.parent_id.in_(_parents_in(tenant)),
            RDMDraftMetadata.parent_id.in_(_parents_headed_to(tenant))),
    )
    return {
        "bytes": storage.get("bytes", 0),
        "files": storage.get("files", 0),
        "records": until.with_entities(
            func.count(func.distinct(RDMRecordMetadata.parent_id))).scalar(),
        "drafts": drafts.count(),
        "published": published(tenant, start, end).count(),
        "members": current_tenants_service.member_count(tenant),
    }


def recorded(tenant, day):
    """Whether TENANT's DAY is in the history."""
    return db.session.query(
        DailyUsageModel.query.filter_by(tenant_id=tenant.id, day=day).exists()).scalar()


def record(tenant, day):
    """Add TENANT's DAY (over) to the history unless it is there; True when added (the
    caller commits)."""
    if recorded(tenant, day):
        return False
    db.session.add(DailyUsageModel(tenant_id=tenant.id, day=day, **measure(tenant, day)))
    return True


def missing_days(tenant, first, last):
    """The days from FIRST to LAST on which TENANT existed and has no history."""
    first = max(first, tenant.created.date())
    if last < first:
        return []
    taken = set(db.session.execute(
        select(DailyUsageModel.day).where(
            DailyUsageModel.tenant_id == tenant.id,
            DailyUsageModel.day >= first, DailyUsageModel.day <= last)).scalars())
    return [day for day in days_between(first, last) if day not in taken]


def of(tenant, first, last):
    """TENANT's days from FIRST to LAST (dates) in the history, oldest first."""
    return DailyUsageModel.query.filter(
        DailyUsageModel.tenant_id == tenant.id,
        DailyUsageModel.day >= first, DailyUsageModel.day <= last,
    ).order_by(DailyUsageModel.day).all()


def months(first, last):
    """The first days of the months from FIRST's to LAST's (dates), both included."""
    month, result = first.replace(day=1), []
    while month <= last:
        result.append(month)
        month += MONTH
    return result


def monthly(tenant, first, last):
    """{first day of month: {"deposits", "storage_bytes"}} for the months from FIRST's to
    LAST's: deposits published in the month's recorded days, storage at the end of the
    month's last recorded day (None when none of its days is recorded)."""
    result = {month: {"deposits": 0, "storage_bytes": None} for month in months(first, last)}
    rows = db.session.execute(
        select(DailyUsageModel.day, DailyUsageModel.published, DailyUsageModel.bytes).where(
            DailyUsageModel.tenant_id == tenant.id,
            DailyUsageModel.day >= first.replace(day=1),
            DailyUsageModel.day < last.replace(day=1) + MONTH,
        ).order_by(DailyUsageModel.day))
    for day, deposits, stored in rows:
        month = result[day.replace(day=1)]
        month["deposits"] += deposits
        month["storage_bytes"] = stored
    return result


def deposits(tenant, first, last):
    """Deposits published in TENANT on the recorded days from FIRST to LAST (dates)."""
    return int(db.session.query(func.coalesce(func.sum(DailyUsageModel.published), 0)).filter(
        DailyUsageModel.tenant_id == tenant.id,
        DailyUsageModel.day >= first, DailyUsageModel.day <= last).scalar())


def month_end(month):
    """The last day of MONTH's month."""
    return date(month.year, month.month, 1) + MONTH - timedelta(days=1)
