"""Repository import: runs, their items, the records source items became."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import UUIDType

revision = "a1f2b3c4d523"
down_revision = "9e5f7b1c4d22"
branch_labels = ()
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_import_runs",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("id", UUIDType(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("source", JSON, nullable=False),
        sa.Column("options", JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("harvest_from", sa.String(32), nullable=True),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("started_by", sa.Integer(), nullable=True),
        sa.Column("finished", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"],
                                name=op.f("fk_consortium_import_runs_tenant_id_consortium_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_import_runs")),
    )
    op.create_index(op.f("ix_consortium_import_runs_tenant_id"), "consortium_import_runs",
                    ["tenant_id"])
    op.create_table(
        "consortium_import_items",
        sa.Column("id", sa.BigInteger(), autoincrement=True, nullable=False),
        sa.Column("run_id", UUIDType(), nullable=False),
        sa.Column("source_id", sa.String(512), nullable=False),
        sa.Column("datestamp", sa.String(32), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("original", sa.Text(), nullable=True),
        sa.Column("mapped", JSON, nullable=True),
        sa.Column("recid", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["run_id"], ["consortium_import_runs.id"],
                                name=op.f("fk_consortium_import_items_run_id_consortium_import_runs"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_import_items")),
    )
    op.create_index("ix_consortium_import_items_run_state", "consortium_import_items",
                    ["run_id", "state"])
    op.create_table(
        "consortium_imported_items",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("source_id", sa.String(512), nullable=False),
        sa.Column("recid", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(64), nullable=False),
        sa.Column("deleted", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"],
                                name=op.f("fk_consortium_imported_items_tenant_id_consortium_tenants"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", "source_id", name=op.f("pk_consortium_imported_items")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_imported_items")
    op.drop_index("ix_consortium_import_items_run_state", table_name="consortium_import_items")
    op.drop_table("consortium_import_items")
    op.drop_index(op.f("ix_consortium_import_runs_tenant_id"), table_name="consortium_import_runs")
    op.drop_table("consortium_import_runs")
