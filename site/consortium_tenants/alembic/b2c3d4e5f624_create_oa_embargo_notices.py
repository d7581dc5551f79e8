"""Embargo-expiry notices sent (open-access policy, issue 29)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import UUIDType

revision = "b2c3d4e5f624"
down_revision = "a1f2b3c4d523"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_oa_embargo_notices",
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("until", sa.Date(), nullable=False),
        sa.Column("days_before", sa.Integer(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("recipients", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.Column("sent", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_oa_embargo_notices_tenant_id_consortium_tenants"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", "until", "days_before",
                                name=op.f("pk_consortium_oa_embargo_notices")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_oa_embargo_notices")
