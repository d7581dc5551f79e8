"""Statements: a library's usage in a period, priced with the tariff of each day.

For every daily snapshot of the period, with the tariff in force that day:

- storage: (bytes − free allowance) / 10⁹ / days in that day's month GB-months;
- deposits: the deposits published that day;
- member fee: 1 / days in that day's month of a month (a yearly fee / 12).

Days under one tariff make one line of each kind; a tariff change in the
period splits the lines. Amounts and VAT are rounded to hundredths per line.
A period is closed once its last day is over: its statement is issued
(stored) when first asked for and never recomputed.
"""

import calendar
import re
from collections import OrderedDict
from datetime import date, datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from invenio_db import db
from marshmallow import ValidationError

from . import snapshots
from .models import StatementModel
from .tariffs import all_tariffs, in_force

CENT = Decimal("0.01")
QUANTUM = Decimal("0.0001")
GB = Decimal(10**9)
PERIOD = re.compile(r"(?P<year>[0-9]{4})(?:-(?:(?P<month>[0-9]{2})|Q(?P<quarter>[1-4])))?")
"""ASCII digits only (`\\d` takes "２０２６" too), matched whole (re.fullmatch)."""


def parse_period(text):
    """`2026-11`, `2026-Q4` or `2026` → (label, first day, last day); else ValidationError."""
    match = PERIOD.fullmatch(text) if isinstance(text, str) else None
    month = int(match["month"]) if match and match["month"] else None
    if (not match or (month is not None and not 1 <= month <= 12)
            or not 2000 <= int(match["year"]) <= 9998):
        raise ValidationError({"period": [
            "Must be a month (2026-11), a quarter (2026-Q4) or a year (2026)."]})
    year = int(match["year"])
    if month:
        first_month, last_month = month, month
    elif match["quarter"]:
        last_month = 3 * int(match["quarter"])
        first_month = last_month - 2
    else:
        first_month, last_month = 1, 12
    last = date(year, last_month, calendar.monthrange(year, last_month)[1])
    return text, date(year, first_month, 1), last


def money(value):
    """VALUE rounded to hundredths."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _days_in_month(day):
    return calendar.monthrange(day.year, day.month)[1]


def _groups(tenant, first, last):
    """Usage of TENANT's snapshots from FIRST to LAST, summed per tariff in force."""
    tariffs, groups, unpriced = all_tariffs(), OrderedDict(), 0
    for snap in snapshots.of(tenant, first, last):
        tariff = in_force(snap.day, tariffs)
        if tariff is None:
            unpriced += 1
            continue
        group = groups.setdefault(tariff["effective_from"], {
            "tariff": tariff, "from": snap.day, "gb_month": Decimal(0), "deposits": 0,
            "months": Decimal(0), "days": 0})
        share = Decimal(1) / _days_in_month(snap.day)
        billable = max(Decimal(snap.bytes) - tariff["free_gb"] * GB, Decimal(0))
        group["gb_month"] += billable / GB * share
        group["deposits"] += snap.published
        group["months"] += share
        group["days"] += 1
        group["to"] = snap.day
    return list(groups.values()), unpriced


def _line(kind, group, quantity, unit_price):
    tariff = group["tariff"]
    amount = money(quantity * unit_price)
    return {
        "kind": kind,
        "from": group["from"].isoformat(),
        "to": group["to"].isoformat(),
        "days": group["days"],
        "quantity": str(quantity.quantize(QUANTUM, rounding=ROUND_HALF_UP)),
        "unit_price": str(unit_price.quantize(QUANTUM, rounding=ROUND_HALF_UP)),
        "amount": str(amount),
        "vat_rate": str(tariff["vat_rate"]),
        "vat": str(money(amount * tariff["vat_rate"])),
    }


def compute(tenant, period):
    """The statement of TENANT for PERIOD from its daily snapshots (not stored)."""
    label, first, last = parse_period(period)
    groups, unpriced = _groups(tenant, first, last)
    lines = []
    for group in groups:
        tariff = group["tariff"]
        lines += [
            _line("storage", group, group["gb_month"], tariff["price_gb_month"]),
            _line("deposits", group, Decimal(group["deposits"]), tariff["price_deposit"]),
            _line("member_fee", group, group["months"], tariff["member_fee_year"] / 12),
        ]
    net = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
    vat = sum((Decimal(line["vat"]) for line in lines), Decimal(0))
    return {
        "library": {"slug": tenant.slug, "names": tenant.names,
                    "short_name": tenant.short_name},
        "period": label,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "currency": groups[0]["tariff"]["currency"] if groups else "CZK",
        "days": sum(g["days"] for g in groups) + unpriced,
        "unpriced_days": unpriced,
        "lines": lines,
        "totals": {"net": str(money(net)), "vat": str(money(vat)),
                   "gross": str(money(net + vat))},
        "final": last < snapshots.today(),
        "issued": datetime.now(timezone.utc).isoformat(timespec="seconds"),
    }


def statement(tenant, period):
    """TENANT's statement for PERIOD: issued once for a closed period, live for an open one."""
    label, _, last = parse_period(period)
    if last >= snapshots.today():
        return compute(tenant, label)
    issued = StatementModel.query.filter_by(tenant_id=tenant.id, period=label).one_or_none()
    if issued is None:
        issued = StatementModel(tenant_id=tenant.id, period=label, data=compute(tenant, label))
        db.session.add(issued)
        db.session.commit()
    return issued.data


SUMMARY_COLUMNS = ("slug", "name", "period", "gb_month", "deposits", "net", "vat", "gross",
                   "currency", "final")


def summary_row(data, language="en"):
    """One library's line of the consortium's summary."""
    lines = data["lines"]
    total = lambda kind: sum(  # noqa: E731
        (Decimal(line["quantity"]) for line in lines if line["kind"] == kind), Decimal(0))
    return {
        "slug": data["library"]["slug"],
        "name": data["library"]["names"].get(language) or data["library"]["names"]["en"],
        "period": data["period"],
        "gb_month": str(total("storage")),
        "deposits": str(int(total("deposits"))),
        **data["totals"],
        "currency": data["currency"],
        "final": "yes" if data["final"] else "no",
    }


STATEMENT_COLUMNS = ("kind", "from", "to", "days", "quantity", "unit_price", "amount",
                     "vat_rate", "vat")
