"""Add the OAI identifier prefix of a library."""

import sqlalchemy as sa
from alembic import op

revision = "4d9a3f6b7c04"
down_revision = "3c8f2e5a6b03"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.add_column("consortium_tenants",
                  sa.Column("oai_identifier_prefix", sa.String(255), nullable=True))


def downgrade():
    """Downgrade database."""
    op.drop_column("consortium_tenants", "oai_identifier_prefix")
