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
