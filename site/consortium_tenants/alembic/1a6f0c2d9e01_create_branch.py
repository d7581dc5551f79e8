"""Create the consortium_tenants alembic branch."""

revision = "1a6f0c2d9e01"
down_revision = None
branch_labels = ("consortium_tenants",)
depends_on = "dbdbc1b19cf2"  # invenio-db's initial revision


def upgrade():
    """Upgrade database."""


def downgrade():
    """Downgrade database."""
