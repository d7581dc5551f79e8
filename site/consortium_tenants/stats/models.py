"""Monthly COUNTER metrics per item and library, processed months, SUSHI credentials."""

import uuid

from invenio_db import db
from sqlalchemy_utils.types import UUIDType

class ItemMonthUsage(db.Model):
    """Usage of one item in one library in one month, by the item's attributes then."""

    __tablename__ = "consortium_stats_item_month"

    month = db.Column(db.Date, primary_key=True)  # first day of the month
    tenant_id = db.Column(UUIDType, primary_key=True)
    recid = db.Column(db.String(64), primary_key=True)
    access_type = db.Column(db.String(16), primary_key=True)
    yop = db.Column(db.String(4), primary_key=True)
    data_type = db.Column(db.String(32), primary_key=True)
    title = db.Column(db.Text, nullable=False, default="")
    total_investigations = db.Column(db.Integer, nullable=False, default=0)
    unique_investigations = db.Column(db.Integer, nullable=False, default=0)
    total_requests = db.Column(db.Integer, nullable=False, default=0)
    unique_requests = db.Column(db.Integer, nullable=False, default=0)

    __table_args__ = (db.Index("ix_consortium_stats_item_month_tenant", "tenant_id", "month"),)


class ProcessedMonth(db.Model):
    """A month whose metrics have been computed (SUSHI: first/last month available)."""

    __tablename__ = "consortium_stats_month"

    month = db.Column(db.Date, primary_key=True)
    computed_at = db.Column(db.DateTime, nullable=False)


class SushiCredential(db.Model):
    """A harvester's SUSHI credentials for one library (or, tenant_id NULL, the consortium).

    The customer ID is the library's slug; the requestor ID is public; only a
    hash of the API key is stored (the key is shown once, when issued).
    """

    __tablename__ = "consortium_sushi_credential"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    tenant_id = db.Column(UUIDType, db.ForeignKey("consortium_tenants.id", ondelete="CASCADE"),
                          nullable=True, index=True)
    requestor_id = db.Column(db.String(64), unique=True, nullable=False)
    api_key_hash = db.Column(db.String(128), nullable=False)
    label = db.Column(db.String(255), nullable=False, default="")
    created = db.Column(db.DateTime, nullable=False)
    created_by = db.Column(db.Integer, nullable=True)
    revoked = db.Column(db.DateTime, nullable=True)


class SearchDay(db.Model):
    """COUNTER Searches_Platform of one library on one day (`searches.py`)."""

    __tablename__ = "consortium_stats_search_day"

    day = db.Column(db.Date, primary_key=True)
    tenant_id = db.Column(UUIDType, primary_key=True)
    searches = db.Column(db.Integer, nullable=False, default=0)
