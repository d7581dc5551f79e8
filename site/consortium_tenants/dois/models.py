"""A library's DataCite account and the DOIs whose registration failed."""

import uuid

from invenio_db import db
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ..tenants.models import TenantModel


class DataCiteAccountModel(db.Model, Timestamp):
    """A library's DataCite repository account; the password is encrypted (crypto.py)."""

    __tablename__ = "consortium_datacite_accounts"

    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          primary_key=True)
    prefix = db.Column(db.String(64), nullable=False, index=True)
    repository_id = db.Column(db.String(128), nullable=False)
    password = db.Column(db.LargeBinary, nullable=False)
    """Fernet token of the password (key derived from SECRET_KEY)."""
    test_mode = db.Column(db.Boolean, nullable=False, default=True)
    enabled = db.Column(db.Boolean, nullable=False, default=True)
    last_error = db.Column(db.Text, nullable=True)
    """What DataCite last answered this account when it refused (credentials...)."""

    tenant = db.relationship(TenantModel, lazy="joined")


class FailedRegistrationModel(db.Model, Timestamp):
    """A DOI DataCite did not register or update; retried by the beat task."""

    __tablename__ = "consortium_doi_failures"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    doi = db.Column(db.String(255), nullable=False)
    record_id = db.Column(db.String(64), nullable=False)
    """The record's PID (recid) as register_or_update_pid takes it."""
    parent = db.Column(db.Boolean, nullable=False, default=False)
    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="SET NULL"),
                          nullable=True)
    attempts = db.Column(db.Integer, nullable=False, default=1)
    error = db.Column(db.Text, nullable=False)
    operation = db.Column(db.String(16), nullable=False, default="register",
                          server_default="register")
    """What failed and is replayed (failures.OPERATIONS): register, update, hide or show;
    the latest operation on the DOI wins."""
    next_attempt = db.Column(db.DateTime, nullable=True)
    """When the retry task tries again (back-off); None: at its next run."""

    __table_args__ = (db.UniqueConstraint("doi", name="uq_consortium_doi_failures_doi"),)
