"""Create the table of rendered OAI-PMH metadata."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op

revision = "6a2c4e8f1b17"
down_revision = "5e1b7c9d2f16"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_oai_rendered",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("record_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("metadata_prefix", sa.String(64), nullable=False),
        sa.Column("digest", sa.String(32), nullable=False),
        sa.Column("xml", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "metadata_prefix",
                                name=op.f("pk_consortium_oai_rendered")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_oai_rendered")
