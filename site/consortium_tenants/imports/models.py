"""Import runs, the fate of each source item in a run, and which record each source item became."""

import uuid

from invenio_db import db
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ..tenants.models import TenantModel

JSON = db.JSON().with_variant(postgresql.JSONB(), "postgresql")


class ImportRunModel(db.Model, Timestamp):
    """One run over a source: what was asked, how far it got, what came of it."""

    __tablename__ = "consortium_import_runs"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          nullable=False, index=True)
    source = db.Column(JSON, nullable=False)
    """{"kind": "oai", "url", "set", "prefix"}"""
    options = db.Column(JSON, nullable=False, default=dict)
    """{"dry_run", "bypass_review"}"""
    status = db.Column(db.String(16), nullable=False, default="running")
    """running, stopping, stopped, finished, failed"""
    harvest_from = db.Column(db.String(32), nullable=True)
    """`from=` of the harvest (the last finished run's start), None for a full one"""
    total = db.Column(db.Integer, nullable=False, default=0)
    done = db.Column(db.Integer, nullable=False, default=0)
    counts = db.Column(JSON, nullable=False, default=dict)
    """state → number of items"""
    error = db.Column(db.Text, nullable=True)
    started_by = db.Column(db.Integer, nullable=True)
    finished = db.Column(db.DateTime, nullable=True)


class ImportItemModel(db.Model):
    """What became of one source item in one run, with the original and the mapped payload."""

    __tablename__ = "consortium_import_items"
    __table_args__ = (db.Index("ix_consortium_import_items_run_state", "run_id", "state"),)

    id = db.Column(db.BigInteger, primary_key=True, autoincrement=True)
    run_id = db.Column(UUIDType, db.ForeignKey(ImportRunModel.id, ondelete="CASCADE"),
                       nullable=False)
    source_id = db.Column(db.String(512), nullable=False)
    datestamp = db.Column(db.String(32), nullable=True)
    state = db.Column(db.String(16), nullable=False)
    """created, updated, unchanged, deleted, failed"""
    reason = db.Column(db.Text, nullable=True)
    original = db.Column(db.Text, nullable=True)
    mapped = db.Column(JSON, nullable=True)
    recid = db.Column(db.String(64), nullable=True)


class ImportedItemModel(db.Model, Timestamp):
    """Which record a library's source item became, and from which mapped payload."""

    __tablename__ = "consortium_imported_items"

    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          primary_key=True)
    source_id = db.Column(db.String(512), primary_key=True)
    recid = db.Column(db.String(64), nullable=False)
    digest = db.Column(db.String(64), nullable=False)
    deleted = db.Column(db.Boolean, nullable=False, default=False)
