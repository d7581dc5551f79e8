"""Removal of stored files that no draft or record uses any more.

InvenioRDM hides a deleted or replaced draft file behind a newer object
version (the older version keeps pointing at the file instance) and never
removes its bytes; invenio-files-rest's `clear_orphaned_files` collects only
instances that no object version points to at all, and RDM does not schedule
it. Here a file instance is *kept* while a head object of an existing bucket
(a draft's, a record's, a tombstone's: it can be restored) or a file record
points to it. An instance under a library's prefix that is not kept is
removed: its hidden object versions, soft-deleted file records and the
instance itself from the database (committed first), then its object and
any unfinished multipart upload from S3. The file service components
schedule `tasks.remove_unused_files` after each change that hides files; the
daily check (`audit.sweep`) removes whatever is left, and discards pending
uploads that hold more bytes than declared. Multipart uploads never committed
expire after CONSORTIUM_STORAGE_MULTIPART_MAX_AGE (`expire_multipart_files`,
task `expire_multipart_uploads`): their draft file entries are deleted.
"""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_files_rest import current_files_rest
from invenio_files_rest.models import Bucket, FileInstance, ObjectVersion
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.records.models import RDMDraftMetadata, RDMFileDraftMetadata
from invenio_records_resources.services.files.transfer.constants import (
    MULTIPART_TRANSFER_TYPE,
)
from sqlalchemy import delete, exists, or_, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import aliased

from . import accounts
from .s3 import remove_object, split_uri


def _file_record_references():
    """(object version column, json column) of every file record table."""
    version_id = ObjectVersion.__table__.c.version_id
    return [
        (fk.parent, table.c.json)
        for table in db.metadata.tables.values() if "json" in table.c
        for fk in table.foreign_keys if fk.column is version_id
    ]


def kept(file_id_column):
    """SQL condition: a draft, record or tombstone still points to the file."""
    version, bucket = aliased(ObjectVersion), aliased(Bucket)
    conditions = [exists().where(
        version.file_id == file_id_column, version.is_head.is_(True),
        bucket.id == version.bucket_id, bucket.deleted.is_(False),
    )]
    for reference, json in _file_record_references():
        referenced = aliased(ObjectVersion)
        conditions.append(exists().where(
            referenced.file_id == file_id_column, reference == referenced.version_id,
            json.isnot(None),
        ))
    return or_(*conditions)


def unused_files(account):
    """Ids of the file instances under ACCOUNT's prefix that nothing keeps."""
    return db.session.execute(
        select(FileInstance.id).where(accounts.in_location(account), ~kept(FileInstance.id))
    ).scalars().all()


def _remove_rows(file_id):
    """Delete an unused instance with its hidden versions; its (uri, size) or None."""
    instance = db.session.execute(
        select(FileInstance).where(FileInstance.id == file_id, ~kept(FileInstance.id))
        .with_for_update()
    ).scalar_one_or_none()
    if instance is None:
        return None
    stored = (instance.uri, instance.size or 0)
    accounts.release([file_id])
    versions = select(ObjectVersion.version_id).where(ObjectVersion.file_id == file_id)
    for reference, _ in _file_record_references():  # only soft-deleted ones are left
        db.session.execute(delete(reference.table).where(reference.in_(versions)))
    for version in ObjectVersion.query.filter_by(file_id=file_id).all():
        version.remove()
    db.session.execute(delete(FileInstance).where(FileInstance.id == file_id))
    return stored


def remove_unused(file_ids):
    """Remove those of FILE_IDS that nothing keeps; returns (files, bytes) removed.

    Each file is committed on its own; bytes that cannot be deleted stay as
    an orphaned object for the daily check.
    """
    files = size = 0
    for file_id in file_ids:
        try:
            stored = _remove_rows(file_id)
            db.session.commit()
        except SQLAlchemyError:
            db.session.rollback()
            current_app.logger.exception("Could not remove unused file %s", file_id)
            continue
        if stored is None:
            continue
        uri, stored_size = stored
        files, size = files + 1, size + stored_size
        if uri is None:
            continue
        try:
            if split_uri(uri) is not None:
                remove_object(uri)
            else:
                current_files_rest.storage_factory(fileurl=uri).delete()
        except Exception:  # noqa: BLE001 - an orphan now, removed by the daily check
            current_app.logger.exception("Could not delete %s from storage", uri)
    return files, size


def _delete_draft_file(draft_id, key):
    """Delete a draft's file entry through the draft files service (system identity).

    As its depositor could: a pending multipart upload is aborted, its
    reserved size released, stored bytes removed.
    """
    service = current_rdm_records_service
    draft = service.draft_cls.get_record(draft_id)
    service.draft_files.delete_file(system_identity, draft.pid.pid_value, key)


def _pending_files():
    """Query of (draft id, key, created, uri) of draft files being uploaded."""
    return (
        select(RDMDraftMetadata.id, RDMFileDraftMetadata.key, RDMFileDraftMetadata.created,
               FileInstance.uri)
        .join(RDMFileDraftMetadata, RDMFileDraftMetadata.record_id == RDMDraftMetadata.id)
        .join(ObjectVersion, ObjectVersion.version_id == RDMFileDraftMetadata.object_version_id)
        .join(FileInstance, FileInstance.id == ObjectVersion.file_id)
        .where(RDMFileDraftMetadata.json.isnot(None))
    )


def discard_draft_file(uri):
    """Delete the draft file entry whose pending upload goes to URI; False if none."""
    row = db.session.execute(_pending_files().where(FileInstance.uri == uri)).first()
    if row is None:
        return False
    _delete_draft_file(row.id, row.key)
    return True


def multipart_started():
    """URI → start time of every draft file whose multipart upload is not committed."""
    query = _pending_files().where(
        RDMFileDraftMetadata.json["transfer"]["type"].as_string() == MULTIPART_TRANSFER_TYPE)
    return {row.uri: row.created for row in db.session.execute(query)}


def expire_multipart_files(started_before):
    """Delete the draft files whose multipart upload began before STARTED_BEFORE.

    Each in a transaction of its own; returns how many were deleted.
    """
    query = _pending_files().where(
        RDMFileDraftMetadata.json["transfer"]["type"].as_string() == MULTIPART_TRANSFER_TYPE,
        RDMFileDraftMetadata.created < started_before,
    )
    expired = 0
    for row in db.session.execute(query).all():
        try:
            _delete_draft_file(row.id, row.key)
            expired += 1
        except Exception:  # noqa: BLE001 - the next run tries again; the check reports it
            db.session.rollback()
            current_app.logger.exception("Could not expire upload %s of %s", row.key, row.id)
    return expired
