"""Create the tenant registry tables."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "2b7e1d3f4a02"
down_revision = "1a6f0c2d9e01"
branch_labels = ()
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_tenants",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("slug", sa.String(64), nullable=False),
        sa.Column("names", JSON, nullable=False),
        sa.Column("short_name", sa.String(32), nullable=False),
        sa.Column("ror", sa.String(64), nullable=True),
        sa.Column("contact_email", sa.String(255), nullable=False),
        sa.Column("email_domains", JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("branding", JSON, nullable=False),
        sa.Column("workflow", JSON, nullable=False),
        sa.Column("storage", JSON, nullable=False),
        sa.Column("community_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_tenants")),
        sa.UniqueConstraint("slug", name=op.f("uq_consortium_tenants_slug")),
    )
    op.create_table(
        "consortium_tenant_hosts",
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_tenant_hosts_tenant_id_consortium_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("host", name=op.f("pk_consortium_tenant_hosts")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_tenant_hosts")
    op.drop_table("consortium_tenants")
