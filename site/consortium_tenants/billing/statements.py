"""Statements: a library's usage in a month, priced with the tariff of each day.

For every daily snapshot of the month, with the tariff in force that day:

- storage: (bytes − free allowance) / 10⁹ / days in the month GB-months;
- deposits: the deposits published that day.

Days under one tariff make one line of each kind; a tariff change in the
month splits the lines. The member fee is a month's fee (a yearly fee / 12)
for each month the library is a member in, whatever its snapshots: a missing
day is an error (the month cannot be closed), never a discount. A line's
amount is its shown quantity times its shown unit price, rounded to
hundredths; VAT per line. A quarter or a year is the sum of its months.

A month's statements are issued by an explicit step (`closing.close`, once the
month is over and every library has its snapshot of every day) and never
recomputed; until then a statement is provisional. Reading never writes.
"""

import calendar
import re
from collections import OrderedDict
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from marshmallow import ValidationError

from ..tenants import history
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


def _groups(tenant, first, last, tariffs):
    """Usage of TENANT's snapshots from FIRST to LAST, summed per tariff in force."""
    groups, unpriced = OrderedDict(), 0
    for snap in history.of(tenant, first, last):
        tariff = in_force(snap.day, tariffs)
        if tariff is None:
            unpriced += 1
            continue
        group = groups.setdefault(tariff["effective_from"], {
            "tariff": tariff, "from": snap.day, "gb_month": Decimal(0), "deposits": 0,
            "days": 0})
        share = Decimal(1) / _days_in_month(snap.day)
        billable = max(Decimal(snap.bytes) - tariff["free_gb"] * GB, Decimal(0))
        group["gb_month"] += billable / GB * share
        group["deposits"] += snap.published
        group["days"] += 1
        group["to"] = snap.day
    return list(groups.values()), unpriced


def _line(kind, group, quantity, unit_price):
    """A statement line: the amount is the shown quantity times the shown unit price,
    rounded to hundredths, so quantity x unit price = amount on paper too."""
    tariff = group["tariff"]
    quantity = quantity.quantize(QUANTUM, rounding=ROUND_HALF_UP)
    unit_price = unit_price.quantize(QUANTUM, rounding=ROUND_HALF_UP)
    amount = money(quantity * unit_price)
    return {
        "kind": kind,
        "from": group["from"].isoformat(),
        "to": group["to"].isoformat(),
        "days": group["days"],
        "quantity": str(quantity),
        "unit_price": str(unit_price),
        "amount": str(amount),
        "vat_rate": str(tariff["vat_rate"]),
        "vat": str(money(amount * tariff["vat_rate"])),
    }


def _member_fee(tenant, first, last, tariffs):
    """The month's member fee line: a yearly fee / 12 for every month (begun) the library
    is a member in (any day of it), priced with the tariff of its first day as a member."""
    start = max(first, tenant.created.date())
    begun = start <= last and first <= history.today()
    tariff = in_force(start, tariffs) if begun else None
    if tariff is None:
        return None
    group = {"tariff": tariff, "from": start, "to": last, "days": (last - start).days + 1}
    return _line("member_fee", group, Decimal(1), tariff["member_fee_year"] / 12)


def _month(tenant, label, first, last):
    """TENANT's statement of one month from its daily snapshots (not stored)."""
    tariffs = all_tariffs()
    groups, unpriced = _groups(tenant, first, last, tariffs)
    lines = []
    for group in groups:
        tariff = group["tariff"]
        lines += [
            _line("storage", group, group["gb_month"], tariff["price_gb_month"]),
            _line("deposits", group, Decimal(group["deposits"]), tariff["price_deposit"]),
        ]
    fee = _member_fee(tenant, first, last, tariffs)
    if fee is not None:
        lines.append(fee)
    net = sum((Decimal(line["amount"]) for line in lines), Decimal(0))
    vat = sum((Decimal(line["vat"]) for line in lines), Decimal(0))
    currency = groups[0]["tariff"]["currency"] if groups else "CZK"
    return _statement(tenant, label, first, last, currency, lines, net, vat,
                      sum(g["days"] for g in groups) + unpriced, unpriced)


def _statement(tenant, label, first, last, currency, lines, net, vat, days, unpriced):
    return {
        "library": {"slug": tenant.slug, "names": tenant.names,
                    "short_name": tenant.short_name},
        "period": label,
        "from": first.isoformat(),
        "to": last.isoformat(),
        "currency": currency,
        "days": days,
        "unpriced_days": unpriced,
        "lines": lines,
        "totals": {"net": str(money(net)), "vat": str(money(vat)),
                   "gross": str(money(net + vat))},
        "final": False,
        "status": "provisional",
        "issued": None,
    }


def months_of(first, last):
    """(label, first day, last day) of every month from FIRST's to LAST's."""
    months, day = [], first.replace(day=1)
    while day <= last:
        end = date(day.year, day.month, _days_in_month(day))
        months.append((f"{day:%Y-%m}", day, end))
        day = end + timedelta(days=1)
    return months


def compute(tenant, period):
    """The statement of TENANT for PERIOD, not stored: a month from its snapshots; a
    quarter or a year is the sum of its months' statements (issued ones as issued),
    issued when all of them are."""
    label, first, last = parse_period(period)
    months = months_of(first, last)
    if len(months) == 1:
        return _month(tenant, label, first, last)
    parts = [statement(tenant, month) for month, _, _ in months]
    lines = [line for part in parts for line in part["lines"]]
    total = lambda key: sum((Decimal(p["totals"][key]) for p in parts), Decimal(0))  # noqa: E731
    data = _statement(tenant, label, first, last, parts[0]["currency"], lines, total("net"),
                      total("vat"), sum(p["days"] for p in parts),
                      sum(p["unpriced_days"] for p in parts))
    data["totals"]["gross"] = str(total("gross"))
    data["months"] = [{"period": p["period"], "status": p["status"], **p["totals"]}
                      for p in parts]
    if all(p["final"] for p in parts):
        data.update(final=True, status="issued")
    return data


def issued(tenant, label):
    """TENANT's issued statement of the month LABEL (its data), or None."""
    if len(label) != 7:  # quarters and years are never issued
        return None
    row = StatementModel.query.filter_by(tenant_id=tenant.id, period=label).one_or_none()
    if row is None:
        return None
    return {"status": "issued", **row.data}  # rows frozen before the close step: no status


def statement(tenant, period):
    """TENANT's statement for PERIOD: the issued one, else computed now (provisional).
    Nothing is written."""
    label, _, _ = parse_period(period)
    return issued(tenant, label) or compute(tenant, label)


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


def summary_total(rows):
    """The total row of the consortium's summary ROWS (slug `total`)."""
    add = lambda key: sum((Decimal(row[key]) for row in rows), Decimal(0))  # noqa: E731
    return {
        "slug": "total", "name": "", "period": rows[0]["period"] if rows else "",
        "gb_month": str(add("gb_month")), "deposits": str(int(add("deposits"))),
        "net": str(add("net")), "vat": str(add("vat")), "gross": str(add("gross")),
        "currency": rows[0]["currency"] if rows else "CZK",
        "final": "yes" if rows and all(row["final"] == "yes" for row in rows) else "no",
    }


STATEMENT_COLUMNS = ("kind", "from", "to", "days", "quantity", "unit_price", "amount",
                     "vat_rate", "vat")
