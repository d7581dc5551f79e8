"""Database model of a tenant (one member library)."""

import uuid

from invenio_db import db
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

JSON = db.JSON().with_variant(postgresql.JSONB(), "postgresql")


class TenantModel(db.Model, Timestamp):
    """A member library: its community, hosts, branding and settings."""

    __tablename__ = "consortium_tenants"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    slug = db.Column(db.String(64), unique=True, nullable=False)
    names = db.Column(JSON, nullable=False)
    short_name = db.Column(db.String(32), nullable=False)
    ror = db.Column(db.String(64), nullable=True)
    contact_email = db.Column(db.String(255), nullable=False)
    email_domains = db.Column(JSON, nullable=False, default=list)
    status = db.Column(db.String(16), nullable=False, default="active")
    branding = db.Column(JSON, nullable=False, default=dict)
    workflow = db.Column(JSON, nullable=False, default=dict)
    storage = db.Column(JSON, nullable=False, default=dict)
    oai_identifier_prefix = db.Column(db.String(255), nullable=True)
    """repositoryIdentifier of the library's own OAI-PMH endpoint, e.g. repozitar.mzk.cz."""
    community_id = db.Column(UUIDType, nullable=True)
    version_id = db.Column(db.Integer, nullable=False)

    hosts = db.relationship(
        "TenantHostModel", cascade="all, delete-orphan", lazy="selectin"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @classmethod
    def of_community(cls, community_id):
        """The library whose community has COMMUNITY_ID (a UUID or its text), or None."""
        if community_id is None:
            return None
        return cls.query.filter_by(community_id=str(community_id)).one_or_none()


class TenantHostModel(db.Model):
    """A host name of a tenant; unique across the consortium."""

    __tablename__ = "consortium_tenant_hosts"

    host = db.Column(db.String(255), primary_key=True)
    tenant_id = db.Column(
        UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"), nullable=False
    )


class DailyUsageModel(db.Model, Timestamp):
    """What one library used on one day that is over (`tenants.history`): the daily
    usage history billing prices and statistics show. The table keeps the name billing
    gave it (alembic 5e1b7c9d2f15), so existing databases need no migration."""

    __tablename__ = "consortium_billing_snapshots"
    __table_args__ = (db.UniqueConstraint("tenant_id", "day"),)

    id = db.Column(db.Integer, primary_key=True)
    tenant_id = db.Column(
        UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"), nullable=False
    )
    day = db.Column(db.Date, nullable=False, index=True)
    bytes = db.Column(db.BigInteger, nullable=False)
    files = db.Column(db.Integer, nullable=False)
    records = db.Column(db.Integer, nullable=False)
    drafts = db.Column(db.Integer, nullable=False)
    published = db.Column(db.Integer, nullable=False)
    """Deposits (record versions) published in the library that day."""
    members = db.Column(db.Integer, nullable=False)
