"""Rendered metadata of the records OAI-PMH serves: one row per record and format."""

from invenio_db import db
from sqlalchemy_utils import Timestamp
from sqlalchemy_utils.types import UUIDType


class RenderedMetadataModel(db.Model, Timestamp):
    """The XML a metadata format made of one record's index document.

    `digest` is the hash of the index document it was made from: a row whose
    digest differs from the current document's is stale and made again.
    """

    __tablename__ = "consortium_oai_rendered"

    record_id = db.Column(UUIDType, primary_key=True)
    """The record's UUID (its index document's _id)."""
    metadata_prefix = db.Column(db.String(64), primary_key=True)
    digest = db.Column(db.String(32), nullable=False)
    xml = db.Column(db.LargeBinary, nullable=False)


class DepartureModel(db.Model):
    """A record that left an OAI-PMH scope (departures.py): shown there as deleted."""

    __tablename__ = "consortium_oai_departures"

    record_id = db.Column(db.String(64), primary_key=True)
    """The record's id (recid), as the search index has it."""
    scope = db.Column(db.String(100), primary_key=True)
    """`set:<community id>`, `endpoint:<library slug>` or `endpoint:consortium`."""
    oai_identifier = db.Column(db.String(255), nullable=True)
    """RDM's OAI identifier of the record (its pids.oai), when it had one."""
    left_ms = db.Column(db.BigInteger, nullable=False, index=True)
    """When it left, in milliseconds since the epoch (the search's sort values)."""
