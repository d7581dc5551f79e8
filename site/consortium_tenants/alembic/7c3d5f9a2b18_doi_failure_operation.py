"""DOI failures keep the operation that failed and when to retry it."""

import sqlalchemy as sa
from alembic import op

revision = "7c3d5f9a2b18"
down_revision = "7b3d5f9a2c18"
branch_labels = ()
depends_on = None


def upgrade():
    """Upgrade database."""
    op.add_column("consortium_doi_failures",
                  sa.Column("operation", sa.String(16), nullable=False,
                            server_default="register"))
    op.add_column("consortium_doi_failures",
                  sa.Column("next_attempt", sa.DateTime(), nullable=True))


def downgrade():
    """Downgrade database."""
    op.drop_column("consortium_doi_failures", "next_attempt")
    op.drop_column("consortium_doi_failures", "operation")
