"""Usage for people: a library's months (views, downloads, unique visitors, deposits,
storage), its top items, its public totals, and every library side by side.

Deposits and storage come from the core's daily usage history (`tenants.history`), the
rows billing prices: a month's deposits are those of its recorded days, its storage the
bytes at the end of its last recorded day."""

from collections import defaultdict
from datetime import datetime, timezone

from dateutil.relativedelta import relativedelta
from invenio_db import db
from sqlalchemy import func

from ..tenants import history
from ..tenants.models import TenantModel
from .models import ItemMonthUsage


def usage_totals(tenant, first, last):
    """Sums of TENANT's metrics over the months FIRST..LAST (first days of months)."""
    investigations, requests, unique = db.session.query(
        func.coalesce(func.sum(ItemMonthUsage.total_investigations), 0),
        func.coalesce(func.sum(ItemMonthUsage.total_requests), 0),
        func.coalesce(func.sum(ItemMonthUsage.unique_investigations), 0),
    ).filter(ItemMonthUsage.tenant_id == tenant.id, ItemMonthUsage.month >= first,
             ItemMonthUsage.month <= last).one()
    return {"investigations": int(investigations), "requests": int(requests),
            "views": int(investigations - requests), "downloads": int(requests),
            "unique_visits": int(unique)}


def current_month():
    """The first day of the current UTC month."""
    return datetime.now(timezone.utc).date().replace(day=1)


def months_back(month, count):
    """The first day of the month COUNT months before MONTH."""
    return month.replace(day=1) - relativedelta(months=count)


def public_totals(tenant):
    """Views and downloads of TENANT's works in the last 12 months (this one included)."""
    last = current_month()
    return usage_totals(tenant, months_back(last, 11), last)


def library_stats(tenant, first, last, top=10):
    """Monthly views, downloads, unique item investigations, deposits, storage; top items
    of TENANT over the months FIRST..LAST (first days of months)."""
    rows = ItemMonthUsage.query.filter(
        ItemMonthUsage.tenant_id == tenant.id,
        ItemMonthUsage.month >= first, ItemMonthUsage.month <= last).all()
    per_month = defaultdict(lambda: {"views": 0, "downloads": 0, "unique_visits": 0})
    items = defaultdict(lambda: {"views": 0, "downloads": 0, "title": ""})
    for row in rows:
        month = per_month[row.month]
        month["views"] += row.total_investigations - row.total_requests
        month["downloads"] += row.total_requests
        month["unique_visits"] += row.unique_investigations
        item = items[row.recid]
        item["views"] += row.total_investigations - row.total_requests
        item["downloads"] += row.total_requests
        item["title"] = row.title
    months = [{"month": month.strftime("%Y-%m"), **per_month[month], **recorded}
              for month, recorded in history.monthly(tenant, first, last).items()]
    ranked = sorted(items.items(), key=lambda kv: (-kv[1]["downloads"] - kv[1]["views"], kv[0]))
    return {
        "library": tenant.slug,
        "interval": "month",
        "months": months,
        "totals": {k: sum(m[k] for m in months)
                   for k in ("views", "downloads", "unique_visits", "deposits")},
        "top_items": [{"id": recid, **data} for recid, data in ranked[:top]],
    }


def consortium_stats(first, last, sort="name"):
    """Every library's views, downloads, unique visits and deposits over the months
    FIRST..LAST, sorted by SORT (schemas.SORT_KEYS, `-` first for descending)."""
    libraries = []
    for tenant in TenantModel.query.all():
        totals = usage_totals(tenant, first, last)
        deposits = history.deposits(tenant, first, history.month_end(last))
        libraries.append({"slug": tenant.slug, "tenant": tenant,
                          **{k: totals[k] for k in ("views", "downloads", "unique_visits")},
                          "deposits": deposits})
    key = sort.lstrip("-")
    libraries.sort(key=lambda lib: (lib[key] if key != "name" else lib["tenant"].short_name.lower(),
                                    lib["slug"]),
                   reverse=sort.startswith("-"))
    return {"from": first.strftime("%Y-%m"), "to": last.strftime("%Y-%m"), "sort": sort,
            "libraries": libraries}
