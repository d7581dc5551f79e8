"""Create the storage account and charged-file tables."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op

revision = "3c8f2e5a6b03"
down_revision = "2b7e1d3f4a02"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_tenant_storage",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("location_id", sa.Integer(), nullable=False),
        sa.Column("bytes", sa.BigInteger(), nullable=False),
        sa.Column("files", sa.Integer(), nullable=False),
        sa.Column("warned_percent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_tenant_storage_tenant_id_consortium_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["location_id"], ["files_location.id"],
            name=op.f("fk_consortium_tenant_storage_location_id_files_location"),
        ),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_consortium_tenant_storage")),
        sa.UniqueConstraint("location_id", name=op.f("uq_consortium_tenant_storage_location_id")),
    )
    op.create_table(
        "consortium_tenant_files",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("file_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"], ["consortium_tenants.id"],
            name=op.f("fk_consortium_tenant_files_tenant_id_consortium_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("file_id", name=op.f("pk_consortium_tenant_files")),
    )
    op.create_index(
        op.f("ix_consortium_tenant_files_tenant_id"), "consortium_tenant_files", ["tenant_id"]
    )
    op.create_index("ix_consortium_files_object_file_id", "files_object", ["file_id"])


def downgrade():
    """Downgrade database."""
    op.drop_index("ix_consortium_files_object_file_id", table_name="files_object")
    op.drop_index(op.f("ix_consortium_tenant_files_tenant_id"), table_name="consortium_tenant_files")
    op.drop_table("consortium_tenant_files")
    op.drop_table("consortium_tenant_storage")
