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


class EmbargoNoticeModel(db.Model):
    """An embargo-expiry notice sent: one row per (work, embargo end, notice), written in
    the transaction that queues the e-mail, so a repeated or restarted run sends nothing
    twice (`notices.send_due_notices`)."""

    __tablename__ = "consortium_oa_embargo_notices"

    record_id = db.Column(db.String(64), primary_key=True)
    until = db.Column(db.Date, primary_key=True)
    """The embargo's end the notice announced (a changed end date is announced anew)."""
    days_before = db.Column(db.Integer, primary_key=True)
    """Which notice: CONSORTIUM_OA_EMBARGO_NOTICE_DAYS, e.g. 30, 7 or 0 (on the day)."""
    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          nullable=False)
    recipients = db.Column(JSON, nullable=False, default=list)
    """E-mail addresses the notice went to."""
    sent = db.Column(db.DateTime, nullable=False)
