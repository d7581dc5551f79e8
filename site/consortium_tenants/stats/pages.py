"""Statistics pages: a library's (`/libraries/<slug>/stats`), every library side by side
(`/libraries/stats`, consortium admins), their CSV downloads, a library's public totals."""

import csv
import io
from datetime import datetime, timezone

from dateutil.relativedelta import relativedelta
from flask import Blueprint, Response, g, render_template, request
from flask_login import login_required
from invenio_i18n import gettext as _
from marshmallow import ValidationError

from ..page_helpers import or_abort
from ..proxies import current_stats_service, current_tenants_service
from ..tenants.models import TenantModel
from ..tenants.resource import translated
from ..units import format_size
from .chart import LIBRARY_SERIES, bar_chart, usage_chart
from .metrics import month_is_final, parse_month
from .resource import SushiTSVSerializer, excluding_monthly_details, exclusion
from .service import UnknownReport
from .sushi import SushiError


def default_range(args):
    """`from`/`to` of ARGS, else the twelve months up to the current one."""
    today = datetime.now(timezone.utc).date()
    first = today.replace(day=1) - relativedelta(months=11)
    return {"from": args.get("from") or first.strftime("%Y-%m"),
            "to": args.get("to") or today.strftime("%Y-%m"), "interval": "month"}


class BadRange(Exception):
    """The request's range of months is invalid: {field: [message in its language]}."""

    def __init__(self, error):
        super().__init__(error)
        self.errors = translated(error.normalized_messages())


def _stats(slug):
    """(library, its stats for the request's range) or 404/403; a bad range → 400."""
    tenant = or_abort(current_tenants_service.get, slug)
    try:
        return tenant, or_abort(current_stats_service.library_stats, g.identity, slug,
                                default_range(request.args))
    except ValidationError as error:
        return tenant, BadRange(error)


@login_required
def stats_page(slug):
    """Monthly views, downloads and unique item investigations as a chart and a table, top
    items."""
    tenant, stats = _stats(slug)
    if isinstance(stats, BadRange):
        return render_template("consortium_tenants/stats.html", tenant=tenant, stats=None,
                               errors=stats.errors, range=default_range(request.args)), 400
    labels = series_labels()
    preliminary = {m["month"] for m in stats["months"]
                   if not month_is_final(parse_month(m["month"]))}
    return render_template(
        "consortium_tenants/stats.html", tenant=tenant, stats=stats, errors={},
        preliminary=preliminary,
        chart=usage_chart(stats["months"], labels),
        deposits_chart=usage_chart(stats["months"], labels, (("deposits", "#6435c9"),),
                                   "deposits-chart"),
        range=default_range(request.args), format_size=format_size)


def series_labels():
    """Legend texts of the charts' series."""
    return {"views": _("Views"), "downloads": _("Downloads"),
            "unique_visits": _("Unique item investigations"), "deposits": _("New works")}


def csv_response(header, rows, filename):
    """A CSV download of HEADER and ROWS."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@login_required
def stats_csv(slug):
    """The page's monthly numbers as CSV."""
    tenant, stats = _stats(slug)
    if isinstance(stats, BadRange):
        return Response(str(stats.errors), status=400, mimetype="text/plain")
    columns = ["month", "views", "downloads", "unique_visits", "deposits", "storage_bytes"]
    rows = [["" if m[c] is None else m[c] for c in columns] for m in stats["months"]]
    months = stats["months"]
    return csv_response(columns, rows,
                        f"{tenant.slug}-stats-{months[0]['month']}-{months[-1]['month']}.csv")


def _consortium_stats():
    """Every library's numbers for the request's range, or 403 / a BadRange."""
    args = default_range(request.args)
    if request.args.get("sort"):
        args["sort"] = request.args["sort"]
    try:
        return or_abort(current_stats_service.consortium_stats, g.identity, args)
    except ValidationError as error:
        return BadRange(error)


@login_required
def consortium_page():
    """Every library's views, downloads, unique visits and deposits side by side."""
    stats = _consortium_stats()
    if isinstance(stats, BadRange):
        return render_template("consortium_tenants/consortium_stats.html", stats=None,
                               errors=stats.errors, range=default_range(request.args)), 400
    chart = bar_chart(stats["libraries"], lambda lib: lib["tenant"].short_name,
                      LIBRARY_SERIES, series_labels(), "libraries-chart")
    return render_template("consortium_tenants/consortium_stats.html", stats=stats, errors={},
                           chart=chart, range=default_range(request.args))


@login_required
def consortium_csv():
    """The consortium page's numbers as CSV."""
    stats = _consortium_stats()
    if isinstance(stats, BadRange):
        return Response(str(stats.errors), status=400, mimetype="text/plain")
    columns = ["views", "downloads", "unique_visits", "deposits"]
    rows = [[lib["slug"], *(lib[c] for c in columns)] for lib in stats["libraries"]]
    return csv_response(["library", *columns], rows,
                        f"libraries-stats-{stats['from']}-{stats['to']}.csv")


def library_usage_totals(community_id):
    """Public totals of the library whose community is COMMUNITY_ID (None if none)."""
    tenant = TenantModel.of_community(community_id)
    return current_stats_service.public_totals(tenant) if tenant is not None else None


@login_required
def counter_report_tsv(slug, report):
    """A COUNTER report (pr, pr_p1, ir, ir_a1) of the library in tabular form (TSV)."""
    tenant = or_abort(current_tenants_service.get, slug)
    or_abort(current_stats_service.require_permission, g.identity, "read_stats", record=tenant)
    args = request.args.to_dict()
    try:
        exclude = exclusion(args)
        data = or_abort(current_stats_service.counter_report, g.identity, slug, report, args)
    except UnknownReport:
        return Response("Unknown report.", status=404, mimetype="text/plain")
    except SushiError as error:
        message = error.to_dict()
        return Response(f"{message['Code']}: {message['Message']}", status=400,
                        mimetype="text/plain")
    if exclude:
        data = excluding_monthly_details(data)
    return Response(SushiTSVSerializer().serialize_object(data),
                    mimetype="text/tab-separated-values", headers={
                        "Content-Disposition": f'attachment; filename="{tenant.slug}-{report}.tsv"'})


def create_blueprint(app):
    """The library statistics pages."""
    blueprint = Blueprint("consortium_library_stats_pages", __name__)
    blueprint.add_url_rule("/libraries/stats", "consortium_stats", consortium_page)
    blueprint.add_url_rule("/libraries/stats.csv", "consortium_stats_csv", consortium_csv)
    blueprint.add_url_rule("/libraries/<slug>/stats", "stats", stats_page)
    blueprint.add_url_rule("/libraries/<slug>/stats.csv", "stats_csv", stats_csv)
    blueprint.add_url_rule("/libraries/<slug>/counter/<report>.tsv", "counter_tsv",
                           counter_report_tsv)

    @blueprint.app_context_processor
    def usage_totals_helper():
        return {"library_usage_totals": library_usage_totals}

    return blueprint
