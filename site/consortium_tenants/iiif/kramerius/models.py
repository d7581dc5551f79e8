"""A library's Kramerius (one row per library that set one) and the last check of each
work's Kramerius link."""

from invenio_db import db
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType

from ...tenants.models import TenantModel


class KrameriusSettingsModel(db.Model, Timestamp):
    """The library's Kramerius: its client's address and its IIIF gateway, if any."""

    __tablename__ = "consortium_kramerius_settings"

    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          primary_key=True)
    base_url = db.Column(db.String(1024), nullable=True)
    """The Kramerius client, e.g. https://www.digitalniknihovna.cz/mzk (a work's view is
    <base_url>/uuid/<uuid>)."""
    manifest_url = db.Column(db.String(1024), nullable=True)
    """The IIIF gateway's manifest URL with {uuid} in it, or None."""


class KrameriusLinkModel(db.Model):
    """The last check of a work's Kramerius link (`links.check_links`)."""

    __tablename__ = "consortium_kramerius_links"

    record_id = db.Column(db.String(64), primary_key=True)
    tenant_id = db.Column(UUIDType, db.ForeignKey(TenantModel.id, ondelete="CASCADE"),
                          nullable=False, index=True)
    title = db.Column(db.String(512), nullable=False)
    url = db.Column(db.String(2048), nullable=False)
    ok = db.Column(db.Boolean, nullable=False)
    status = db.Column(db.Integer, nullable=True)
    """The HTTP status Kramerius answered, None when it did not answer."""
    reason = db.Column(db.String(255), nullable=True)
    """Why the link is broken when Kramerius did not answer (timeout, refused, …)."""
    checked = db.Column(db.DateTime, nullable=False)
