"""Open-access policies of the member libraries."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import UUIDType

revision = "9e5f6b1c4d22"
down_revision = "8d4e6a0b3c21"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_oa_policies",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("based_on", sa.String(64), nullable=True),
        sa.Column("policy", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"],
                                name=op.f("fk_consortium_oa_policies_tenant_id_consortium_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_consortium_oa_policies")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_oa_policies")
