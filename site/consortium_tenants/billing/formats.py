"""A statement and the consortium's summary as CSV and printable HTML."""

import csv
import io

from flask import render_template

from ..i18n import language, localized
from .statements import STATEMENT_COLUMNS, SUMMARY_COLUMNS


def to_csv(rows, columns):
    """ROWS (dicts) as CSV text with a header of COLUMNS."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def statement_csv(data):
    """A statement's lines, then its totals, as CSV."""
    totals = [{"kind": f"total_{key}", "amount": value} for key, value in data["totals"].items()]
    return to_csv(data["lines"] + totals, STATEMENT_COLUMNS)


def summary_csv(rows):
    """The consortium's summary as CSV."""
    return to_csv(rows, SUMMARY_COLUMNS)


def statement_html(data):
    """The printable statement page, in the current language."""
    return render_template("consortium_tenants/billing/statement.html", statement=data,
                           library_name=localized(data["library"]["names"]), lang=language())
