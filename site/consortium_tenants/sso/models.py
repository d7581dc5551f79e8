"""SAML identity providers known to the platform, each library's SSO settings, the
roles SSO gave, the audit log, and the SAML messages seen (requests sent, assertions
used: no replay)."""

import uuid

from invenio_db import db
from sqlalchemy.dialects import postgresql
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ..tenants.models import TenantModel

JSON = db.JSON().with_variant(postgresql.JSONB(), "postgresql")


class IdentityProviderModel(db.Model, Timestamp):
    """An IdP from metadata (a federation feed or an IdP's own metadata)."""

    __tablename__ = "consortium_saml_idps"

    entity_id = db.Column(db.String(1024), primary_key=True)
    names = db.Column(JSON, nullable=False, default=dict)
    """mdui:DisplayName per language, e.g. {"cs": …, "en": …}."""
    sso_url = db.Column(db.String(2048), nullable=False)
    """SingleSignOnService, HTTP-Redirect binding."""
    certificates = db.Column(JSON, nullable=False, default=list)
    """Signing certificates (base64 DER, as in metadata)."""
    scopes = db.Column(JSON, nullable=False, default=list)
    """shibmd:Scope values: the domains its scoped attributes may carry."""
    source = db.Column(db.String(1024), nullable=False)
    """Where the entry came from (the feed's or the metadata's URL)."""


class SsoSettingsModel(db.Model, Timestamp):
    """A library's SSO: the IdPs it allows and its attribute → role rules."""

    __tablename__ = "consortium_sso_settings"

    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          primary_key=True)
    idps = db.Column(JSON, nullable=False, default=list)
    rules = db.Column(JSON, nullable=False, default=list)
    """[{"attribute": friendly name, "value": exact value, "role": group}, …]"""


class SsoGrantModel(db.Model, Timestamp):
    """A library role SSO rules gave a person (only these are taken away by SSO)."""

    __tablename__ = "consortium_sso_grants"

    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          primary_key=True)
    user_id = db.Column(db.Integer, db.ForeignKey("accounts_user.id", ondelete="CASCADE"),
                        primary_key=True)
    group = db.Column(db.String(32), primary_key=True)


class SsoAuditModel(db.Model):
    """What SSO did on a library's site: logins, accounts, roles given and taken."""

    __tablename__ = "consortium_sso_audit"

    id = db.Column(UUIDType, primary_key=True, default=uuid.uuid4)
    created = db.Column(db.DateTime, nullable=False, index=True)
    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          nullable=False, index=True)
    user_id = db.Column(db.Integer, db.ForeignKey("accounts_user.id", ondelete="SET NULL"),
                        nullable=True)
    action = db.Column(db.String(32), nullable=False)
    """login, account_created, role_added, role_removed"""
    detail = db.Column(JSON, nullable=False, default=dict)


class SamlMessageModel(db.Model):
    """An AuthnRequest this platform sent (kind "request": answered once) or an
    assertion it accepted (kind "assertion": never again), until it expires."""

    __tablename__ = "consortium_saml_messages"

    id = db.Column(db.String(255), primary_key=True)
    kind = db.Column(db.String(16), primary_key=True)
    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          nullable=False)
    entity_id = db.Column(db.String(1024), nullable=False)
    expires = db.Column(db.DateTime, nullable=False, index=True)
    used = db.Column(db.Boolean, nullable=False, default=False)


class FederationFeedModel(db.Model):
    """A federation's metadata feed: the last one whose signature verified, and how the
    latest attempt went."""

    __tablename__ = "consortium_saml_feeds"

    url = db.Column(db.String(1024), primary_key=True)
    xml = db.Column(db.Text, nullable=True)
    """The last good feed (signature verified)."""
    fetched = db.Column(db.DateTime, nullable=True)
    valid_until = db.Column(db.DateTime, nullable=True)
    idps = db.Column(db.Integer, nullable=False, default=0)
    last_attempt = db.Column(db.DateTime, nullable=True)
    last_error = db.Column(db.Text, nullable=True)
    """Why the latest attempt was refused (None: it was used)."""
