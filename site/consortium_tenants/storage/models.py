"""Storage accounts of tenants: their S3 location and usage counters.

`TenantStorageModel` is one row per library: the files location (its key
prefix in the consortium bucket) and the running counters. `ChargedFileModel`
is the ledger of file instances the counters include, so that a file shared
between versions counts once and is released exactly once.
"""

from invenio_db import db
from invenio_files_rest.models import Location, ObjectVersion
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ..tenants.models import TenantModel


class TenantStorageModel(db.Model, Timestamp):
    """A library's storage location and usage counters (bytes, files)."""

    __tablename__ = "consortium_tenant_storage"

    tenant_id = db.Column(
        UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"), primary_key=True
    )
    location_id = db.Column(
        db.Integer, db.ForeignKey(Location.id), nullable=False, unique=True
    )
    bytes = db.Column(db.BigInteger, nullable=False, default=0)
    files = db.Column(db.Integer, nullable=False, default=0)
    warned_percent = db.Column(db.Integer, nullable=False, default=0)
    """Highest warning threshold already announced to the managers."""

    location = db.relationship(Location, lazy="joined")
    tenant = db.relationship(TenantModel, lazy="joined")


class ChargedFileModel(db.Model, Timestamp):
    """A file instance counted in a library's usage."""

    __tablename__ = "consortium_tenant_files"

    file_id = db.Column(UUIDType, primary_key=True)
    tenant_id = db.Column(
        UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"), nullable=False,
        index=True,
    )
    size = db.Column(db.BigInteger, nullable=False)


# "Is this file still used?" looks objects up by file; files-rest has no such index.
files_object_file_index = db.Index(
    "ix_consortium_files_object_file_id", ObjectVersion.file_id
)
