"""SSO through SAML: identity providers, libraries' settings, grants, audit, messages."""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils.types import UUIDType

revision = "8d4e6a0b3c20"
down_revision = "7c3d5f9a2b19"
branch_labels = ()
depends_on = None

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")


def upgrade():
    """Upgrade database."""
    op.create_table(
        "consortium_saml_idps",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("entity_id", sa.String(1024), nullable=False),
        sa.Column("names", JSON, nullable=False),
        sa.Column("sso_url", sa.String(2048), nullable=False),
        sa.Column("certificates", JSON, nullable=False),
        sa.Column("scopes", JSON, nullable=False),
        sa.Column("source", sa.String(1024), nullable=False),
        sa.PrimaryKeyConstraint("entity_id", name=op.f("pk_consortium_saml_idps")),
    )
    op.create_table(
        "consortium_sso_settings",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("idps", JSON, nullable=False),
        sa.Column("rules", JSON, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_consortium_sso_settings_tenant_id_consortium_tenants")),
        sa.PrimaryKeyConstraint("tenant_id", name=op.f("pk_consortium_sso_settings")),
    )
    op.create_table(
        "consortium_sso_grants",
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("updated", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("group", sa.String(32), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_consortium_sso_grants_tenant_id_consortium_tenants")),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_user.id"], ondelete="CASCADE",
                                name=op.f("fk_consortium_sso_grants_user_id_accounts_user")),
        sa.PrimaryKeyConstraint("tenant_id", "user_id", "group",
                                name=op.f("pk_consortium_sso_grants")),
    )
    op.create_table(
        "consortium_sso_audit",
        sa.Column("id", UUIDType(), nullable=False),
        sa.Column("created", sa.DateTime(), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("detail", JSON, nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_consortium_sso_audit_tenant_id_consortium_tenants")),
        sa.ForeignKeyConstraint(["user_id"], ["accounts_user.id"], ondelete="SET NULL",
                                name=op.f("fk_consortium_sso_audit_user_id_accounts_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consortium_sso_audit")),
    )
    op.create_index(op.f("ix_consortium_sso_audit_created"), "consortium_sso_audit", ["created"])
    op.create_index(op.f("ix_consortium_sso_audit_tenant_id"), "consortium_sso_audit",
                    ["tenant_id"])
    op.create_table(
        "consortium_saml_messages",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("tenant_id", UUIDType(), nullable=False),
        sa.Column("entity_id", sa.String(1024), nullable=False),
        sa.Column("expires", sa.DateTime(), nullable=False),
        sa.Column("used", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["tenant_id"], ["consortium_tenants.id"], ondelete="CASCADE",
                                name=op.f("fk_consortium_saml_messages_tenant_id_consortium_tenants")),
        sa.PrimaryKeyConstraint("id", "kind", name=op.f("pk_consortium_saml_messages")),
    )
    op.create_index(op.f("ix_consortium_saml_messages_expires"), "consortium_saml_messages",
                    ["expires"])


def downgrade():
    """Downgrade database."""
    op.drop_table("consortium_saml_messages")
    op.drop_table("consortium_sso_audit")
    op.drop_table("consortium_sso_grants")
    op.drop_table("consortium_sso_settings")
    op.drop_table("consortium_saml_idps")
