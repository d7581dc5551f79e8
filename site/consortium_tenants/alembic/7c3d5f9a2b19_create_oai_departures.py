"""Records that left an OAI-PMH endpoint or set (deleted headers there)."""

import sqlalchemy as sa
from alembic import op

revision = "7c3d5f9a2b19"
down_revision = "7c3d5f9a2b18"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_oai_departures",
        sa.Column("record_id", sa.String(64), nullable=False),
        sa.Column("scope", sa.String(100), nullable=False),
        sa.Column("oai_identifier", sa.String(255), nullable=True),
        sa.Column("left_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("record_id", "scope", name=op.f("pk_consortium_oai_departures")),
    )
    op.create_index(op.f("ix_consortium_oai_departures_left_ms"),
                    "consortium_oai_departures", ["left_ms"])


def downgrade():
    """Downgrade database."""
    op.drop_index(op.f("ix_consortium_oai_departures_left_ms"),
                  table_name="consortium_oai_departures")
    op.drop_table("consortium_oai_departures")
