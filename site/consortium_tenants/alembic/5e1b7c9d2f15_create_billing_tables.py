"""Create the billing tables: daily snapshots, tariffs, issued statements."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "5e1b7c9d2f15"
down_revision = "5e1b7c9d2f14"
branch_labels = ()
depends_on = None


def _timestamps():
    return [sa.Column("created", sa.DateTime(), nullable=False),
            sa.Column("updated", sa.DateTime(), nullable=False)]


def _tenant_fk(table):
    return sa.ForeignKeyConstraint(
        ["tenant_id"], ["consortium_tenants.id"],
        name=op.f(f"fk_{table}_tenant_id_consortium_tenants"), ondelete="CASCADE")


def upgrade():
    """Upgrade database."""
    table = "consortium_billing_snapshots"
    op.create_table(
        table, *_timestamps(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("drafts", sa.Integer(), nullable=False),
        sa.Column("published", sa.Integer(), nullable=False),
        sa.Column("members", sa.Integer(), nullable=False),
        _tenant_fk(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "day", name=op.f(f"uq_{table}_tenant_id")),
    )
    op.create_index(op.f(f"ix_{table}_day"), table, ["day"])
    table = "consortium_billing_tariffs"
    op.create_table(
        table, *_timestamps(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("effective_from", sa.Date(), nullable=False),
        sa.Column("price_gb_month", sa.Numeric(12, 4), nullable=False),
        sa.Column("price_deposit", sa.Numeric(12, 4), nullable=False),
        sa.Column("member_fee_year", sa.Numeric(12, 2), nullable=False),
        sa.Column("free_gb", sa.Numeric(12, 3), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("vat_rate", sa.Numeric(5, 4), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("effective_from", name=op.f(f"uq_{table}_effective_from")),
    )
    table = "consortium_billing_statements"
    op.create_table(
        table, *_timestamps(),
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("period", sa.String(7), nullable=False),
        sa.Column("data", sa.JSON().with_variant(postgresql.JSONB(), "postgresql"),
                  nullable=False),
        _tenant_fk(table),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
        sa.UniqueConstraint("tenant_id", "period", name=op.f(f"uq_{table}_tenant_id")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_billing_statements")
    op.drop_table("consortium_billing_tariffs")
    op.drop_index(op.f("ix_consortium_billing_snapshots_day"), "consortium_billing_snapshots")
    op.drop_table("consortium_billing_snapshots")
