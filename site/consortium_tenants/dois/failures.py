"""DOIs DataCite did not take: recorded with the operation that failed, listed.

Replaying them is retry.py's work."""

from datetime import datetime, timedelta, timezone

from flask import current_app
from invenio_db import db
from invenio_rdm_records.utils import ChainObject

from .models import FailedRegistrationModel

OPERATIONS = ("register", "update", "hide", "show")
"""What a failure replays: register or update (the record's current state decides,
as RDM's register_or_update does), hide (a deleted or restricted work's DOI), show
(a restored work's DOI)."""


def _recid(record):
    """(recid, parent) of the record (or parent ChainObject) a PID belongs to."""
    if isinstance(record, ChainObject):
        return record._child.pid.pid_value, True
    return record.pid.pid_value, False


def _now():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def next_attempt(attempts):
    """When a DOI that failed ATTEMPTS times is tried again: at the retry task's next
    run after the first failure, then after CONSORTIUM_DOI_RETRY_BACKOFF seconds,
    doubling each time up to CONSORTIUM_DOI_RETRY_BACKOFF_MAX."""
    if attempts <= 1:
        return None
    config = current_app.config
    delay = min(config["CONSORTIUM_DOI_RETRY_BACKOFF"] * 2 ** (attempts - 2),
                config["CONSORTIUM_DOI_RETRY_BACKOFF_MAX"])
    return _now() + timedelta(seconds=delay)


def record(pid, rec, message, tenant=None, operation="register"):
    """Remember that OPERATION on PID of REC failed with MESSAGE (one row per DOI: the
    latest operation is the one to replay; attempts counted, next attempt backed off)."""
    row = FailedRegistrationModel.query.filter_by(doi=pid.pid_value).one_or_none()
    if row is None:
        if rec is None:
            return
        recid, parent = _recid(rec)
        row = FailedRegistrationModel(doi=pid.pid_value, record_id=recid, parent=parent,
                                      tenant_id=tenant.id if tenant else None, attempts=0)
        db.session.add(row)
    note(row, message, operation)


def note(row, message, operation=None):
    """One more failed attempt of ROW (with OPERATION, when it changed)."""
    if operation is not None:
        row.operation = operation
    row.attempts = (row.attempts or 0) + 1
    row.error = message
    row.next_attempt = next_attempt(row.attempts)


def clear(pid):
    FailedRegistrationModel.query.filter_by(doi=pid.pid_value).delete()


def failed(tenant_ids=None, due=False):
    """The failed DOIs (of the libraries TENANT_IDS; DUE: only those whose back-off is
    over), oldest first."""
    query = FailedRegistrationModel.query.order_by(FailedRegistrationModel.created,
                                                   FailedRegistrationModel.id)
    if tenant_ids is not None:
        query = query.filter(FailedRegistrationModel.tenant_id.in_(tenant_ids))
    if due:
        query = query.filter(db.or_(FailedRegistrationModel.next_attempt.is_(None),
                                    FailedRegistrationModel.next_attempt <= _now()))
    return query.all()
