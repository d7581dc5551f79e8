"""A statement and the consortium's summary as CSV and printable HTML."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from babel.numbers import format_decimal
from dateutil.relativedelta import relativedelta
from flask import render_template

from ..i18n import language, localized
from ..tenants.models import TenantModel
from ..tenants import history
from ..units import format_money
from .statements import STATEMENT_COLUMNS, SUMMARY_COLUMNS, summary_total


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
"""A spreadsheet reads a cell starting with one of these as a formula."""


def cell(value):
    """VALUE for a CSV cell: text a spreadsheet would run as a formula (a library's name
    "=HYPERLINK(…)") gets a leading apostrophe, shown as text."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows, columns):
    """ROWS (dicts) as CSV text with a header of COLUMNS; formulas neutralised."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({key: cell(value) for key, value in row.items()} for row in rows)
    return out.getvalue()


def statement_csv(data):
    """A statement's lines, then its totals, as CSV."""
    totals = [{"kind": f"total_{key}", "amount": value} for key, value in data["totals"].items()]
    return to_csv(data["lines"] + totals, STATEMENT_COLUMNS)


def summary_csv(rows):
    """The consortium's summary as CSV: a row per library, then their total."""
    return to_csv([*rows, summary_total(rows)], SUMMARY_COLUMNS)


def snapshot_coverage(data):
    """Which days of the statement's period (up to yesterday) have a daily snapshot:
    {"expected", "taken", "missing": [first few missing days], "missing_count"}."""
    first, last = date.fromisoformat(str(data["from"])), date.fromisoformat(str(data["to"]))
    last = min(last, history.today() - timedelta(days=1))
    if last < first:
        return {"expected": 0, "taken": 0, "missing": [], "missing_count": 0}
    tenant = TenantModel.query.filter_by(slug=data["library"]["slug"]).one()
    taken = {s.day for s in history.of(tenant, first, last)}
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    missing = [day for day in days if day not in taken]
    return {"expected": len(days), "taken": len(days) - len(missing),
            "missing": missing[:10], "missing_count": len(missing)}


def _month_neighbours(period):
    """(previous, next) month labels of a month PERIOD (`2026-11`), else (None, None)."""
    try:
        month = date(int(period[:4]), int(period[5:7]), 1) if len(period) == 7 else None
    except ValueError:
        month = None
    if month is None:
        return None, None
    return ((month - relativedelta(months=1)).strftime("%Y-%m"),
            (month + relativedelta(months=1)).strftime("%Y-%m"))


def statement_html(data):
    """The printable statement page, in the current language: amounts and quantities
    in the page's locale, which days have no snapshot, links to the months around it."""
    lang = language()

    def money(value):
        return format_money(value, data["currency"], lang)

    def number(value):
        try:
            return format_decimal(Decimal(str(value)), format="#,##0.####", locale=lang)
        except (InvalidOperation, ValueError):
            return str(value)

    previous, following = _month_neighbours(str(data["period"]))
    return render_template("consortium_tenants/billing/statement.html", statement=data,
                           library_name=localized(data["library"]["names"]), lang=lang,
                           money=money, number=number, coverage=snapshot_coverage(data),
                           over=date.fromisoformat(str(data["to"])) < history.today(),
                           previous=previous, following=following)
