"""Storage accounts: where a library's files go and what they count against.

Every library has a files *location* of its own: a key prefix
(`<default location>/<CONSORTIUM_STORAGE_PREFIX>/<slug>`) in the consortium
bucket. A draft's bucket is placed in the location of the library it is
charged to, so each stored byte belongs to exactly one library.

Usage is the size of the file instances stored under that prefix which a
live draft or record still uses (a head object in a bucket that is not
deleted and does not belong to a deleted record). The counters of
`TenantStorageModel` hold it, changed in the transaction of the file change;
`ChargedFileModel` lists the counted files so a file shared by several
versions counts once and is released once.
"""

from datetime import datetime

from flask import current_app
from invenio_db import db
from invenio_files_rest.models import Bucket, FileInstance, Location, ObjectVersion
from invenio_rdm_records.records.models import RDMFileDraftMetadata, RDMRecordMetadata
from invenio_rdm_records.records.systemfields.deletion_status import (
    RecordDeletionStatusEnum,
)
from sqlalchemy import and_, exists, func, select, update
from sqlalchemy.orm import aliased

from .errors import QuotaExceededError
from .models import ChargedFileModel, TenantStorageModel
from .s3 import remove_object, split_uri

LIMITS = ("quota", "max_file_size", "max_files")


def limits(tenant):
    """The library's effective limits: its own settings over the defaults."""
    defaults = current_app.config["CONSORTIUM_STORAGE_DEFAULTS"]
    own = tenant.storage or {}
    return {key: own.get(key, defaults.get(key)) for key in LIMITS}


def account_of(tenant, create=True):
    """The storage account of TENANT; created (with its location) if missing."""
    account = db.session.get(TenantStorageModel, tenant.id)
    if account is None and create:
        base = Location.get_default()
        prefix = current_app.config["CONSORTIUM_STORAGE_PREFIX"]
        location = Location(
            name=f"tenant-{tenant.id.hex[:12]}",
            uri=f"{base.uri.rstrip('/')}/{prefix}/{tenant.slug}",
            default=False,
        )
        db.session.add(location)
        db.session.flush()
        account = TenantStorageModel(
            tenant_id=tenant.id, location_id=location.id, bytes=0, files=0,
            warned_percent=0,
        )
        db.session.add(account)
        db.session.flush()
    return account


def close(tenant):
    """Drop a deleted library's account; its location too if no bucket uses it."""
    account = account_of(tenant, create=False)
    if account is None:
        return
    location = account.location
    db.session.delete(account)
    db.session.flush()
    if not Bucket.query.filter_by(default_location=location.id).count():
        db.session.delete(location)


def all_accounts():
    """The storage accounts of every library."""
    return TenantStorageModel.query.all()


def account_of_bucket(bucket):
    """The account whose location BUCKET writes to, or None (unaffiliated)."""
    if bucket is None:
        return None
    return TenantStorageModel.query.filter_by(
        location_id=bucket.default_location
    ).one_or_none()


def place(bucket, account):
    """Write BUCKET's new files to ACCOUNT's location, within its limits."""
    bucket_limits = limits(account.tenant)
    bucket.default_location = account.location_id
    for attr, key in (("quota_size", "quota"), ("max_file_size", "max_file_size")):
        current = getattr(bucket, attr)
        setattr(bucket, attr, min(v for v in (current, bucket_limits[key]) if v) or None)


def _prefix(account):
    return account.location.uri.rstrip("/") + "/"


def live(file_id_column, dead_bucket_ids=()):
    """SQL condition: a live draft or record still uses the file."""
    obj, bucket, record = aliased(ObjectVersion), aliased(Bucket), aliased(RDMRecordMetadata)
    conditions = [
        obj.file_id == file_id_column,
        obj.is_head.is_(True),
        bucket.id == obj.bucket_id,
        bucket.deleted.is_(False),
        ~exists().where(
            record.bucket_id == bucket.id,
            record.deletion_status == RecordDeletionStatusEnum.DELETED,
        ),
    ]
    if dead_bucket_ids:
        conditions.append(bucket.id.notin_(list(dead_bucket_ids)))
    return exists().where(and_(*conditions))


def in_location(account):
    """SQL condition: the file instance is stored under ACCOUNT's prefix."""
    prefix = _prefix(account)
    return func.left(FileInstance.uri, len(prefix)) == prefix


def charge_bucket(bucket, account, enforce=True):
    """Count the files BUCKET newly stores in ACCOUNT's location.

    With ENFORCE, each file is added by one conditional UPDATE of the
    counter row, so parallel uploads racing for the last free bytes are
    serialised by PostgreSQL and never pass the quota. A file that does not
    fit is removed from S3 and QuotaExceededError raised (the caller's
    transaction rolls back its database rows).
    """
    if account is None or bucket is None:
        return []
    rows = db.session.execute(
        select(FileInstance.id, FileInstance.size)
        .join(ObjectVersion, ObjectVersion.file_id == FileInstance.id)
        .where(
            ObjectVersion.bucket_id == bucket.id,
            ObjectVersion.is_head.is_(True),
            FileInstance.size.isnot(None),
            in_location(account),
            ~exists().where(ChargedFileModel.file_id == FileInstance.id),
        )
        .distinct()
    ).all()
    quota = limits(account.tenant)["quota"]
    for file_id, size in rows:
        statement = (
            update(TenantStorageModel)
            .where(TenantStorageModel.tenant_id == account.tenant_id)
            .values(bytes=TenantStorageModel.bytes + size,
                    files=TenantStorageModel.files + 1)
            .returning(TenantStorageModel.bytes)
        )
        if enforce and quota:
            statement = statement.where(TenantStorageModel.bytes + size <= quota)
        if db.session.execute(statement).first() is None:
            remove_stored(file_id)
            used = db.session.execute(
                select(TenantStorageModel.bytes).where(
                    TenantStorageModel.tenant_id == account.tenant_id)
            ).scalar_one()
            raise QuotaExceededError(account.tenant, used, quota, size)
        db.session.add(ChargedFileModel(file_id=file_id, tenant_id=account.tenant_id,
                                        size=size))
    db.session.flush()
    if rows:
        db.session.expire(account)
    return rows


def remove_stored(file_id):
    """Delete the stored bytes of a refused file (its rows roll back).

    On S3 an unfinished multipart upload to its key is aborted too: a
    multipart declaration refused by the quota has started one.
    """
    instance = db.session.get(FileInstance, file_id)
    try:
        if split_uri(instance.uri) is not None:
            remove_object(instance.uri)
        else:
            instance.storage().delete()
    except Exception:  # left as an orphan for the daily check to remove
        current_app.logger.exception("Could not remove refused upload %s", instance.uri)


def bucket_file_ids(bucket, is_head=True):
    """Ids of the files BUCKET's objects point to.

    IS_HEAD True: the current objects; False: older versions (deleted or
    replaced files); None: all.
    """
    if bucket is None:
        return []
    query = select(ObjectVersion.file_id).distinct().where(
        ObjectVersion.bucket_id == bucket.id, ObjectVersion.file_id.isnot(None))
    if is_head is not None:
        query = query.where(ObjectVersion.is_head.is_(is_head))
    return db.session.execute(query).scalars().all()


def release(file_ids, dead_bucket_ids=()):
    """Uncount those of FILE_IDS no live draft or record uses any more.

    DEAD_BUCKET_IDS are buckets being torn down or tombstoned in this
    transaction, treated as gone already. Returns the released bytes.
    """
    file_ids = [f for f in file_ids if f is not None]
    if not file_ids:
        return 0
    stale = db.session.execute(
        select(ChargedFileModel.file_id, ChargedFileModel.tenant_id, ChargedFileModel.size)
        .where(ChargedFileModel.file_id.in_(file_ids))
        .where(~live(ChargedFileModel.file_id, dead_bucket_ids))
        .with_for_update()
    ).all()
    released = 0
    for file_id, tenant_id, size in stale:
        db.session.execute(
            update(TenantStorageModel)
            .where(TenantStorageModel.tenant_id == tenant_id)
            .values(bytes=TenantStorageModel.bytes - size,
                    files=TenantStorageModel.files - 1)
        )
        db.session.query(ChargedFileModel).filter_by(file_id=file_id).delete()
        released += size
    if stale:
        db.session.expire_all()
    return released


def pending_multipart(file_id_column):
    """SQL condition: the file is a multipart upload not committed yet (its draft file
    still of transfer type "M"): its declared size is reserved, nothing is stored."""
    obj = aliased(ObjectVersion)
    return exists().where(
        obj.file_id == file_id_column,
        RDMFileDraftMetadata.object_version_id == obj.version_id,
        RDMFileDraftMetadata.json["transfer"]["type"].as_string() == "M",
    )


def reserved(tenant):
    """Bytes and files of the library's pending multipart uploads (reserved at init)."""
    size, count = db.session.query(
        func.coalesce(func.sum(ChargedFileModel.size), 0), func.count(ChargedFileModel.file_id)
    ).filter(ChargedFileModel.tenant_id == tenant.id,
             pending_multipart(ChargedFileModel.file_id)).one()
    return int(size), count


def usage(tenant):
    """What the library uses against what it may. `bytes` and `files` are what the
    quota counts: stored plus reserved (pending multipart uploads), one row read;
    `stored` and `reserved` tell them apart (bills count stored bytes only).

    A library that has no account yet (created before storage accounts and
    not yet through `platform init`) uses nothing.
    """
    account = account_of(tenant, create=False)
    tenant_limits = limits(tenant)
    used = account.bytes if account else 0
    held, _ = reserved(tenant) if account else (0, 0)
    quota = tenant_limits["quota"]
    return {
        "bytes": used,
        "files": account.files if account else 0,
        "stored": used - held,
        "reserved": held,
        **tenant_limits,
        "percent": round(100 * used / quota, 1) if quota else None,
        "location": account.location.uri if account else None,
    }


def usage_at(tenant, moment):
    """Bytes and files stored before MOMENT (naive UTC) as the ledger lists them: still
    charged now, not a pending multipart reservation. Files released since are no
    longer known (a lower bound)."""
    size, count = db.session.query(
        func.coalesce(func.sum(ChargedFileModel.size), 0), func.count(ChargedFileModel.file_id)
    ).filter(ChargedFileModel.tenant_id == tenant.id, ChargedFileModel.created < moment,
             ~pending_multipart(ChargedFileModel.file_id)).one()
    return {"bytes": int(size), "files": count}


def stored_now(file_id):
    """A reservation became a stored file (its multipart upload is committed): the
    ledger counts it as stored from now on."""
    db.session.execute(update(ChargedFileModel).where(ChargedFileModel.file_id == file_id)
                       .values(created=datetime.utcnow()))


def measure(account):
    """Recount from the database: the files that should be counted."""
    rows = db.session.execute(
        select(FileInstance.id, FileInstance.size).where(
            in_location(account),
            FileInstance.size.isnot(None),
            live(FileInstance.id),
        )
    ).all()
    return {file_id: size for file_id, size in rows}


def reconcile(account, repair=False):
    """Compare counters and ledger with a recount; with REPAIR, fix them."""
    if repair:  # hold uploads of this library while recounting
        db.session.execute(
            select(TenantStorageModel.tenant_id)
            .where(TenantStorageModel.tenant_id == account.tenant_id)
            .with_for_update()
        )
        db.session.refresh(account)
    actual = measure(account)
    ledger = dict(
        db.session.execute(
            select(ChargedFileModel.file_id, ChargedFileModel.size).where(
                ChargedFileModel.tenant_id == account.tenant_id)
        ).all()
    )
    report = {
        "counted": {"bytes": account.bytes, "files": account.files},
        "actual": {"bytes": sum(actual.values()), "files": len(actual)},
        "uncounted_files": sorted(str(f) for f in actual.keys() - ledger.keys()),
        "stale_files": sorted(str(f) for f in ledger.keys() - actual.keys()),
    }
    report["drift"] = {
        key: report["counted"][key] - report["actual"][key] for key in ("bytes", "files")
    }
    report["consistent"] = (
        not report["uncounted_files"] and not report["stale_files"]
        and report["drift"] == {"bytes": 0, "files": 0}
    )
    if repair and not report["consistent"]:
        db.session.query(ChargedFileModel).filter(
            ChargedFileModel.tenant_id == account.tenant_id,
            ChargedFileModel.file_id.in_(ledger.keys() - actual.keys()),
        ).delete(synchronize_session=False)
        for file_id in actual.keys() - ledger.keys():
            db.session.add(ChargedFileModel(
                file_id=file_id, tenant_id=account.tenant_id, size=actual[file_id]))
        account.bytes = report["actual"]["bytes"]
        account.files = report["actual"]["files"]
        report["repaired"] = True
    return report


def stored_files(account):
    """URI → size of every file instance under the account's prefix."""
    return dict(
        db.session.execute(
            select(FileInstance.uri, FileInstance.size).where(in_location(account))
        ).all()
    )
