"""Billing tables: tariffs, issued statements (the daily usage history they price is
the core's, `tenants.history`).

A tariff row applies from its effective date until the next
row's. An issued statement is the frozen JSON of a closed period.
"""

from invenio_db import db
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ..tenants.models import JSON, TenantModel


class TariffModel(db.Model, Timestamp):
    """Prices in force from `effective_from` until the next tariff."""

    __tablename__ = "consortium_billing_tariffs"

    id = db.Column(db.Integer, primary_key=True)
    effective_from = db.Column(db.Date, nullable=False, unique=True)
    price_gb_month = db.Column(db.Numeric(12, 4), nullable=False)
    price_deposit = db.Column(db.Numeric(12, 4), nullable=False)
    member_fee_year = db.Column(db.Numeric(12, 2), nullable=False)
    free_gb = db.Column(db.Numeric(12, 3), nullable=False, default=0)
    currency = db.Column(db.String(3), nullable=False, default="CZK")
    vat_rate = db.Column(db.Numeric(5, 4), nullable=False)


class StatementModel(db.Model, Timestamp):
    """A statement issued for a closed period: never recomputed."""

    __tablename__ = "consortium_billing_statements"
    __table_args__ = (db.UniqueConstraint("tenant_id", "period"),)

    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(
        UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"), nullable=False
    )
    period = db.Column(db.String(7), nullable=False)
    data = db.Column(JSON, nullable=False)
