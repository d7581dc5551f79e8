"""Federation metadata feeds (SSO): the last verified feed of each federation."""

import sqlalchemy as sa
from alembic import op

revision = "8d4e6a0b3c21"
down_revision = "8d4e6a0b3c20"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_saml_feeds",
        sa.Column("url", sa.String(1024), nullable=False),
        sa.Column("xml", sa.Text(), nullable=True),
        sa.Column("fetched", sa.DateTime(), nullable=True),
        sa.Column("valid_until", sa.DateTime(), nullable=True),
        sa.Column("idps", sa.Integer(), nullable=False),
        sa.Column("last_attempt", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("url", name=op.f("pk_consortium_saml_feeds")),
    )


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_saml_feeds")
