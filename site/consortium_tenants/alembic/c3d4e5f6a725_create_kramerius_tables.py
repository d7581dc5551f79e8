"""Kramerius settings of the libraries and the checks of the works' links (issue 30)."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy_utils.types import UUIDType

revision = "c3d4e5f6a725"
down_revision = "b2c3d4e5f624"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_kramerius_settings",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("base_url", sa.String(1024), nullable=True),
        sa.Column("manifest_url", sa.String(1024), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_kramerius_settings_tenant_id_consortium_tenants"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_consortium_kramerius_settings")),
    )
    op.create_table(
        "consortium_kramerius_links",
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("title", sa.String(512), nullable=False),
        sa.Column("url", sa.String(2048), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(255), nullable=True),
        sa.Column("checked", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_kramerius_links_tenant_id_consortium_tenants"),
            ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("record_id", name=op.f("pk_consortium_kramerius_links")),
    )
    op.create_index(op.f("ix_consortium_kramerius_links_tenant_id"),
                    "consortium_kramerius_links", ["tenant_id"])


def downgrade():
    """Downgrade database."""
    op.drop_index(op.f("ix_consortium_kramerius_links_tenant_id"),
                  table_name="consortium_kramerius_links")
    op.drop_table("consortium_kramerius_links")
    op.drop_table("consortium_kramerius_settings")
