"""A library's monthly usage for people: views, downloads, unique visitors, top items."""

from collections import defaultdict

from .credentials import require
from .metrics import next_month, parse_month
from .models import ItemMonthUsage


class BadRange(Exception):
    """Invalid `from`, `to` or `interval`: {field: [message]}."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


def parse_range(args):
    """(first month, last month) of `from`/`to` (YYYY-MM); interval must be `month`."""
    errors, months = {}, {}
    for field in ("from", "to"):
        try:
            months[field] = parse_month(args.get(field) or "")
        except ValueError:
            errors[field] = ["Expected a month as YYYY-MM."]
    if args.get("interval", "month") != "month":
        errors["interval"] = ["Only 'month' is supported."]
    if not errors and months["from"] > months["to"]:
        errors["to"] = ["Must not be before 'from'."]
    if errors:
        raise BadRange(errors)
    return months["from"], months["to"]


def library_stats(identity, tenant, args, top=10):
    """Monthly views, downloads, unique visitors and the top items of TENANT."""
    require(identity, "read_stats", tenant)
    first, last = parse_range(args)
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
    months, month = [], first
    while month <= last:
        months.append({"month": month.strftime("%Y-%m"), **per_month[month]})
        month = next_month(month)
    ranked = sorted(items.items(), key=lambda kv: (-kv[1]["downloads"] - kv[1]["views"], kv[0]))
    return {
        "library": tenant.slug,
        "interval": "month",
        "months": months,
        "totals": {k: sum(m[k] for m in months) for k in ("views", "downloads", "unique_visits")},
        "top_items": [{"id": recid, **data} for recid, data in ranked[:top]],
    }
