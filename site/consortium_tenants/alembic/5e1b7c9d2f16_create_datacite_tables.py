"""Create the DataCite account and failed-DOI tables."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op

revision = "5e1b7c9d2f16"
down_revision = "5e1b7c9d2f15"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_datacite_accounts",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("prefix", sa.String(64), nullable=False),
        sa.Column("repository_id", sa.String(128), nullable=False),
        sa.Column("password", sa.LargeBinary(), nullable=False),
        sa.Column("test_mode", sa.Boolean(), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_datacite_accounts_tenant_id_consortium_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_consortium_datacite_accounts")),
    )
    op.create_index(op.f("ix_consortium_datacite_accounts_prefix"),
                    "consortium_datacite_accounts", ["prefix"])
    op.create_table(
        "consortium_doi_failures",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("doi", sa.String(255), nullable=False),
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("parent", sa.Boolean(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_doi_failures_tenant_id_consortium_tenants"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_doi_failures")),
        sa.UniqueConstraint("doi", name="uq_consortium_doi_failures_doi"),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_doi_failures")
    op.drop_index(op.f("ix_consortium_datacite_accounts_prefix"),
                  table_name="consortium_datacite_accounts")
    op.drop_table("consortium_datacite_accounts")
