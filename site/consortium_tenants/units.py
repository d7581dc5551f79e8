"""Byte sizes as people write and read them: "50 GB", "500 MiB"; months as `YYYY-MM`;
money in a locale.

Only ASCII digits are digits here (`\\d` would take "２０２６" too), every pattern must
match the whole text (`$` matches before a final newline), and numbers are bounded."""

import re
from datetime import date
from decimal import Decimal, InvalidOperation

from babel.numbers import format_currency, format_decimal
from flask import has_app_context
from invenio_i18n import get_locale

SIZE_RE = re.compile(r"[ \t]*([0-9]{1,30}(?:\.[0-9]{1,30})?)[ \t]*([kKMGT]i?B|B)?[ \t]*")
MAX_SIZE = 10**18
"""The largest size accepted anywhere (1 EB): beyond any quota, within PostgreSQL's bigint."""
MONTH_RE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})")
DAY_RE = re.compile(r"(?P<year>[0-9]{4})-(?P<month>[0-9]{2})-(?P<day>[0-9]{2})")
FIRST_YEAR, LAST_YEAR = 1900, 9998
"""Years a month or day may have: the month after the last one is still a date."""
SIZE_UNITS = {
    None: 1, "B": 1, "kB": 10**3, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "kiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}
DECIMAL = (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3))


def parse_size(value):
    """Bytes from an int or a text like "10 GB"; ValueError if it is neither."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        size = value
    else:
        match = SIZE_RE.fullmatch(str(value))
        if not match or match.group(2) not in SIZE_UNITS:
            raise ValueError(value)
        size = int(float(match.group(1)) * SIZE_UNITS[match.group(2)])
    if not -MAX_SIZE <= size <= MAX_SIZE:
        raise ValueError(value)
    return size


def parse_month(text):
    """`YYYY-MM` → the first day of that month; ValueError unless it is one (ASCII
    digits, a year FIRST_YEAR..LAST_YEAR)."""
    match = MONTH_RE.fullmatch(text) if isinstance(text, str) else None
    if not match or not FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
        raise ValueError(text)
    return date(int(match["year"]), int(match["month"]), 1)


def parse_day(text):
    """`YYYY-MM-DD` → that day; ValueError unless it is one (as parse_month)."""
    match = DAY_RE.fullmatch(text) if isinstance(text, str) else None
    if not match or not FIRST_YEAR <= int(match["year"]) <= LAST_YEAR:
        raise ValueError(text)
    return date(int(match["year"]), int(match["month"]), int(match["day"]))


def _current_locale(locale):
    return locale or (get_locale() if has_app_context() else None) or "en"


def format_number(value, locale=None):
    """VALUE (a share in %, a count) as LOCALE writes numbers: a float with one
    decimal (85.0 -> Czech "85,0"), an int without; LOCALE as in format_size."""
    pattern = "#,##0" if isinstance(value, int) else "#,##0.0"
    return format_decimal(value, format=pattern, locale=_current_locale(locale))


def format_size(value, locale=None):
    """Bytes in decimal units with one decimal in LOCALE's way of writing numbers
    ("1.5 GB", Czech "1,5 GB"); "-" for no value. LOCALE defaults to the current
    one: the page's language, an e-mail's recipient's (force_locale), the default
    (English) on the command line."""
    if value is None:
        return "-"
    locale = _current_locale(locale)
    for unit, factor in DECIMAL:
        if abs(value) >= factor:
            number = format_decimal(value / factor, format="#,##0.0", locale=locale)
            return f"{number} {unit}"
    return f"{format_decimal(value, format='#,##0', locale=locale)} B"


def form_size(value):
    """Bytes as a form shows them so that they parse back exactly ("2 GB", "1500")."""
    if not value:
        return ""
    for unit, factor in DECIMAL:
        if value >= factor and value % (factor // 10) == 0:
            return f"{value / factor:g} {unit}"
    return str(value)


def format_money(amount, currency, locale):
    """AMOUNT (a Decimal or its text) of CURRENCY as LOCALE writes money, two decimals and
    the currency after the number ("1 234,50 Kč" in cs, "1,234.50 CZK" in en); the text
    itself when AMOUNT is not a number."""
    try:
        return format_currency(Decimal(str(amount)), currency, "#,##0.00\xa0¤", locale=locale,
                               currency_digits=False)
    except (InvalidOperation, ValueError):
        return str(amount)
