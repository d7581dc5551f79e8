"""Replaying the DOIs DataCite refused or missed.

- each failure is replayed as the operation that failed (failures.OPERATIONS): a
  hidden DOI is hidden again, never published;
- each DOI on its own: its replay is committed or rolled back alone, and one that
  raises (a record gone, a serializer error) is noted on its row and the run goes on;
- back-off: the beat task takes only the DOIs whose next attempt is due
  (failures.next_attempt); `invenio tenants dois --retry` takes all of them;
- one run at a time: a Redis lock; a second run finds it and stops (RetryRunning).
"""

import redis
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_pidstore.models import PersistentIdentifier
from invenio_rdm_records.proxies import current_rdm_records_service

from . import failures
from .models import FailedRegistrationModel
from .provider import LibraryDataCitePIDProvider

LOCK_NAME = "consortium:doi-retry"


class RetryRunning(RuntimeError):
    """Another DOI retry run holds the lock."""


def _lock():
    client = redis.Redis.from_url(current_app.config["CACHE_REDIS_URL"])
    return client.lock(LOCK_NAME, blocking=False,
                       timeout=current_app.config["CONSORTIUM_DOI_RETRY_LOCK_TIMEOUT"])


def replay(row):
    """Run ROW's operation again (ROW may be gone afterwards: DataCite took it)."""
    if row.operation in ("hide", "show"):
        pid = PersistentIdentifier.get("doi", row.doi)
        LibraryDataCitePIDProvider("datacite").replay_visibility(pid, row.operation)
    else:
        current_rdm_records_service.pids.register_or_update(
            system_identity, row.record_id, "doi", parent=row.parent)


def retry(row):
    """Replay ROW on its own; True when DataCite took it this time. Whatever it raises
    is rolled back and noted on the row (attempts, error, back-off)."""
    doi = row.doi
    try:
        replay(row)
        db.session.commit()
    except Exception as error:  # one bad row must not stop the others
        db.session.rollback()
        current_app.logger.exception("DOI retry of %s failed", doi)
        row = FailedRegistrationModel.query.filter_by(doi=doi).one_or_none()
        if row is not None:
            failures.note(row, f"{error.__class__.__name__}: {str(error)[:300]}")
            db.session.commit()
        return False
    return FailedRegistrationModel.query.filter_by(doi=doi).one_or_none() is None


def retry_all(tenant_ids=None, force=False):
    """Retry the failed DOIs (of TENANT_IDS) whose back-off is over (FORCE: all of them);
    returns (registered, still failing). Raises RetryRunning when a run is under way."""
    lock = _lock()
    if not lock.acquire():
        raise RetryRunning("Another DOI retry run is in progress.")
    try:
        ids = [row.id for row in failures.failed(tenant_ids, due=not force)]
        done = 0
        for row_id in ids:
            row = db.session.get(FailedRegistrationModel, row_id)
            if row is not None:  # gone: another operation on its DOI succeeded
                done += retry(row)
        return done, len(ids) - done
    finally:
        try:
            lock.release()
        except redis.exceptions.LockError:  # expired during a very long run
            pass
