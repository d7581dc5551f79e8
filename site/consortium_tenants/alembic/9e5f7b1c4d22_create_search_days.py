"""COUNTER Searches_Platform per library and day."""

import sqlalchemy as sa
import sqlalchemy_utils
from alembic import op

revision = "9e5f7b1c4d22"
down_revision = "9e5f6b1c4d22"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_stats_search_day",
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("tenant_id", sqlalchemy_utils.types.uuid.UUIDType(), nullable=False),
        sa.Column("searches", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("day", "tenant_id", name=op.f("pk_consortium_stats_search_day")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_stats_search_day")
