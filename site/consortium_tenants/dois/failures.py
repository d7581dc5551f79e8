"""DOIs DataCite did not take: recorded, listed, retried."""

from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.utils import ChainObject

from .models import FailedRegistrationModel


def _recid(record):
    """(recid, parent) of the record (or parent ChainObject) a PID belongs to."""
    if isinstance(record, ChainObject):
        return record._child.pid.pid_value, True
    return record.pid.pid_value, False


def record(pid, rec, message, tenant=None):
    """Remember that PID of REC failed with MESSAGE (one row per DOI, attempts counted)."""
    row = FailedRegistrationModel.query.filter_by(doi=pid.pid_value).one_or_none()
    if row is None:
        if rec is None:
            return
        recid, parent = _recid(rec)
        row = FailedRegistrationModel(doi=pid.pid_value, record_id=recid, parent=parent,
                                      tenant_id=tenant.id if tenant else None, attempts=0)
        db.session.add(row)
    row.attempts += 1
    row.error = message


def clear(pid):
    FailedRegistrationModel.query.filter_by(doi=pid.pid_value).delete()


def failed(tenant_ids=None):
    """The failed DOIs (of the libraries TENANT_IDS), oldest first."""
    query = FailedRegistrationModel.query.order_by(FailedRegistrationModel.created)
    if tenant_ids is not None:
        query = query.filter(FailedRegistrationModel.tenant_id.in_(tenant_ids))
    return query.all()


def retry(row):
    """Register or update ROW's DOI again; True when DataCite took it this time."""
    doi, record_id, parent = row.doi, row.record_id, row.parent
    current_rdm_records_service.pids.register_or_update(
        system_identity, record_id, "doi", parent=parent)
    db.session.commit()
    return FailedRegistrationModel.query.filter_by(doi=doi).one_or_none() is None


def retry_all():
    """Retry every failed DOI; returns (registered, still failing)."""
    done = 0
    rows = failed()
    for row in rows:
        done += retry(row)
    return done, len(rows) - done
