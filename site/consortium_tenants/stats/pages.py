"""The statistics page of a library (`/libraries/<slug>/stats`) and its CSV download."""

import csv
import io
from datetime import datetime, timezone

from flask import Blueprint, Response, g, render_template, request
from flask_login import login_required
from invenio_i18n import gettext as _

from ..page_helpers import or_abort
from .chart import usage_chart
from .credentials import require, tenant_by_slug
from .summary import BadRange, library_stats
from .sushi import BUILDERS, SushiError, customer_of
from .tsv import report_tsv


def default_range(args):
    """`from`/`to` of ARGS, else the twelve months up to the current one."""
    today = datetime.now(timezone.utc).date()
    first = today.replace(year=today.year - 1, day=1)
    first = first.replace(month=today.month % 12 + 1, year=first.year + (today.month == 12))
    return {"from": args.get("from") or first.strftime("%Y-%m"),
            "to": args.get("to") or today.strftime("%Y-%m"), "interval": "month"}


def _stats(slug):
    """(library, its stats for the request's range) or 404/403; a bad range → 400."""
    tenant = or_abort(tenant_by_slug, slug)
    try:
        return tenant, or_abort(library_stats, g.identity, tenant, default_range(request.args))
    except BadRange as error:
        return tenant, error


@login_required
def stats_page(slug):
    """Monthly views, downloads and unique visits as a chart and a table, top items."""
    tenant, stats = _stats(slug)
    if isinstance(stats, BadRange):
        return render_template("consortium_tenants/stats.html", tenant=tenant, stats=None,
                               errors=stats.errors, range=default_range(request.args)), 400
    labels = {"views": _("Views"), "downloads": _("Downloads"),
              "unique_visits": _("Unique visits")}
    return render_template("consortium_tenants/stats.html", tenant=tenant, stats=stats,
                           errors={}, chart=usage_chart(stats["months"], labels),
                           range=default_range(request.args))


@login_required
def stats_csv(slug):
    """The page's monthly numbers as CSV."""
    tenant, stats = _stats(slug)
    if isinstance(stats, BadRange):
        return Response(str(stats.errors), status=400, mimetype="text/plain")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["month", "views", "downloads", "unique_visits"])
    for month in stats["months"]:
        writer.writerow([month["month"], month["views"], month["downloads"],
                         month["unique_visits"]])
    filename = f"{tenant.slug}-stats-{stats['months'][0]['month']}-{stats['months'][-1]['month']}.csv"
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@login_required
def counter_report_tsv(slug, report):
    """A COUNTER report (pr, pr_p1, ir, ir_a1) of the library in tabular form (TSV)."""
    tenant = or_abort(tenant_by_slug, slug)
    or_abort(require, g.identity, "read_stats", tenant)
    if report not in BUILDERS:
        return Response("Unknown report.", status=404, mimetype="text/plain")
    try:
        data = BUILDERS[report](request.args.to_dict(), customer_of(tenant))
    except SushiError as error:
        message = error.to_dict()
        return Response(f"{message['Code']}: {message['Message']}", status=400,
                        mimetype="text/plain")
    return Response(report_tsv(data), mimetype="text/tab-separated-values", headers={
        "Content-Disposition": f'attachment; filename="{tenant.slug}-{report}.tsv"'})


def create_blueprint(app):
    """The library statistics pages."""
    blueprint = Blueprint("consortium_library_stats_pages", __name__)
    blueprint.add_url_rule("/libraries/<slug>/stats", "stats", stats_page)
    blueprint.add_url_rule("/libraries/<slug>/stats.csv", "stats_csv", stats_csv)
    blueprint.add_url_rule("/libraries/<slug>/counter/<report>.tsv", "counter_tsv",
                           counter_report_tsv)
    return blueprint
