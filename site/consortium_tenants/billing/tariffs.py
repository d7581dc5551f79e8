"""Tariffs: the prices in force on a day.

CONSORTIUM_BILLING_TARIFFS holds the defaults (effective from a date each);
consortium administrators add tariffs with an effective date in the database.
On a given day the tariff with the latest effective date not after it
applies; a database tariff wins over a default with the same date.
"""

from decimal import Decimal

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from ..validation import Decimal as DecimalField
from ..validation import OneOf, Range
from .models import TariffModel

PRICES = ("price_gb_month", "price_deposit", "member_fee_year", "free_gb", "vat_rate")


class TariffSchema(Schema):
    """A tariff as given by an administrator (or the config)."""

    effective_from = fields.Date(required=True)
    # upper bounds: what the columns (Numeric(12, 4|2|3)) hold
    price_gb_month = DecimalField(required=True, validate=Range(
        min=0, max=Decimal("99999999.9999")))
    price_deposit = DecimalField(required=True, validate=Range(
        min=0, max=Decimal("99999999.9999")))
    member_fee_year = DecimalField(required=True, validate=Range(
        min=0, max=Decimal("9999999999.99")))
    free_gb = DecimalField(load_default=Decimal(0), validate=Range(
        min=0, max=Decimal("999999999.999")))
    currency = fields.String(load_default="CZK", validate=OneOf(["CZK"]))
    vat_rate = DecimalField(required=True, validate=Range(min=0, max=1))

    @validates_schema
    def _no_nan(self, data, **kwargs):
        for key in PRICES:
            if key in data and not data[key].is_finite():
                raise ValidationError({key: ["Must be a number."]})


def as_row(tariff):
    """A tariff (model or loaded dict) as a plain dict with Decimals."""
    get = (lambda k: getattr(tariff, k)) if isinstance(tariff, TariffModel) else tariff.get
    return {
        "effective_from": get("effective_from"),
        **{key: Decimal(str(get(key) or 0)) for key in PRICES},
        "currency": get("currency") or "CZK",
        "source": "database" if isinstance(tariff, TariffModel) else "config",
    }


def all_tariffs():
    """Every tariff, the config's and the database's, by effective date."""
    by_day = {}
    for default in current_app.config["CONSORTIUM_BILLING_TARIFFS"]:
        row = as_row(TariffSchema().load(default))
        by_day[row["effective_from"]] = row
    for model in TariffModel.query:
        by_day[model.effective_from] = as_row(model)
    return [by_day[day] for day in sorted(by_day)]


def in_force(day, tariffs):
    """The tariff of TARIFFS (sorted) in force on DAY, or None."""
    current = None
    for tariff in tariffs:
        if tariff["effective_from"] <= day:
            current = tariff
    return current


def dump(tariff):
    """JSON of a tariff (prices as strings, exact)."""
    return {
        "effective_from": tariff["effective_from"].isoformat(),
        **{key: str(tariff[key]) for key in PRICES},
        "currency": tariff["currency"],
        "source": tariff["source"],
    }
