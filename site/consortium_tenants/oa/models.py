"""A library's open-access policy: one row per library that has set one."""

from invenio_db import db
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ..tenants.models import TenantModel

JSON = db.JSON().with_variant(postgresql.JSONB(), "postgresql")


class OaPolicyModel(db.Model, Timestamp):
    """The policy (validated by `schema.PolicySchema`) and the preset it started from."""

    __tablename__ = "consortium_oa_policies"

    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          primary_key=True)
    based_on = db.Column(db.String(64), nullable=True)
    """The preset the policy was last set from (CONSORTIUM_OA_PRESETS), or None."""
    policy = db.Column(JSON, nullable=False, default=dict)
