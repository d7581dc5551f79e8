"""Create the COUNTER metrics, processed months and SUSHI credential tables."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op

revision = "5e1b7c9d2f14"
down_revision = "4d9a3f6b7c04"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    uuid = sqlalchemy_utils.types.uuid.UUIDType()
    op.create_table(
        "consortium_stats_item_month",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("tenant_id", uuid, nullable=False),
        sa.Column("recid", sa.String(64), nullable=False),
        sa.Column("access_type", sa.String(16), nullable=False),
        sa.Column("yop", sa.String(4), nullable=False),
        sa.Column("data_type", sa.String(32), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("total_investigations", sa.Integer(), nullable=False),
        sa.Column("unique_investigations", sa.Integer(), nullable=False),
        sa.Column("total_requests", sa.Integer(), nullable=False),
        sa.Column("unique_requests", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("month", "tenant_id", "recid", "access_type", "yop", "data_type",
                                name=op.f("pk_consortium_stats_item_month")),
    )
    op.create_index("ix_consortium_stats_item_month_tenant", "consortium_stats_item_month",
                    ["tenant_id", "month"])
    op.create_table(
        "consortium_stats_month",
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("computed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("month", name=op.f("pk_consortium_stats_month")),
    )
    op.create_table(
        "consortium_sushi_credential",
        sa.Column("id", uuid, nullable=False),
        sa.Column("tenant_id", uuid, nullable=True),
        sa.Column("requestor_id", sa.String(64), nullable=False),
        sa.Column("api_key_hash", sa.String(128), nullable=False),
        sa.Column("label", sa.String(255), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("revoked", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_sushi_credential_tenant_id_consortium_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_sushi_credential")),
        sa.UniqueConstraint("requestor_id", name=op.f("uq_consortium_sushi_credential_requestor_id")),
    )
    op.create_index(op.f("ix_consortium_sushi_credential_tenant_id"),
                    "consortium_sushi_credential", ["tenant_id"])


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_sushi_credential")
    op.drop_table("consortium_stats_month")
    op.drop_table("consortium_stats_item_month")
