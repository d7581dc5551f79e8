"""The dashboard's rows, order, CSV and storage sparklines: every library side by side
(Administration → Dashboard) or one library's own row (/libraries/<slug>/dashboard)."""

from decimal import Decimal

from flask import Response, request

from ..billing.formats import to_csv
from ..i18n import localized
from ..proxies import current_billing_service, current_storage_service
from ..proxies import current_tenants_service as service
from ..proxies import current_oa_service, current_workflows_service

DASHBOARD_COLUMNS = ("slug", "name", "bytes", "quota", "percent", "waiting", "deposits",
                     "views_this_month", "downloads_this_month", "estimate", "open_percent")
"""The dashboard's columns (and sort keys); `deposits` is the last months' total."""

USAGE_COUNTERS = ("views_this_month", "downloads_this_month")
"""Counters a feature (statistics) may add to the library's usage; None when none does."""

SPARKLINE = {"width": 120, "height": 24}


def open_shares(tenants=None):
    """Slug → share of open-access works in per cent (None without works), from one search
    over TENANTS (models; default every library)."""
    return {slug: row["open_percent"]
            for slug, row in current_oa_service.open_shares(tenants).items()}


def dashboard_row(identity, tenant, shares=None):
    """The row of TENANT (its JSON) read through the services as IDENTITY: billing first,
    so whoever may not read the library's statements is refused (403). SHARES: the
    libraries' open shares (`open_shares`), else this library's is looked up."""
    slug = tenant["slug"]
    overview = current_billing_service.overview(identity, slug)
    counters = service.counters(service.get(slug))  # the features' counters, no searches
    storage = current_storage_service.usage(identity, slug)
    queue = current_workflows_service.queue(identity, slug, "submitted", 1, 1)
    return {
        "slug": slug, "name": localized(tenant["names"]),
        "bytes": storage["bytes"], "quota": storage["quota"], "percent": storage["percent"],
        "waiting": queue["counts"]["submitted"],
        "per_month": overview["deposits_per_month"],
        "deposits": sum(overview["deposits_per_month"].values()),
        **{key: counters.get(key) for key in USAGE_COUNTERS},
        "estimate": overview["estimate"], "currency": overview["currency"],
        "trend": sparkline(overview["storage_trend"]),
        "open_percent": (shares if shares is not None
                         else open_shares([service.get(slug)])).get(slug),
    }


def sparkline(trend, width=SPARKLINE["width"], height=SPARKLINE["height"]):
    """The storage trend as SVG polyline points: a day's place in the window across,
    its bytes up (the window's most at the top); with the first and last day shown."""
    span = max((trend["last"] - trend["first"]).days, 1)
    most = max([day["bytes"] for day in trend["days"]] + [1])
    points = " ".join(
        f"{width * (day['day'] - trend['first']).days / span:.1f},"
        f"{height - height * day['bytes'] / most:.1f}"
        for day in trend["days"])
    shown = trend["days"]
    return {"points": points, "days": len(shown),
            "first": shown[0] if shown else None, "last": shown[-1] if shown else None}


def sorted_rows(rows):
    """ROWS in the order of `?sort=<column>&order=asc|desc` (missing values first);
    returns (rows, column, descending)."""
    sort = request.args.get("sort", "slug")
    sort = sort if sort in DASHBOARD_COLUMNS else "slug"
    descending = request.args.get("order") == "desc"
    key = (lambda r: Decimal(r["estimate"])) if sort == "estimate" else (
        lambda r: r[sort] if r[sort] is not None else -1)
    return sorted(rows, key=key, reverse=descending), sort, descending


def csv_response(rows, filename):
    """ROWS as a CSV download named FILENAME."""
    return Response(to_csv(rows, DASHBOARD_COLUMNS), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
