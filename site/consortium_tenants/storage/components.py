"""Service components placing deposits in their library's storage and enforcing quotas.

- `TenantStorageComponent` (records service, first in the list): decides the
  library a new draft is charged to and places its bucket in that library's
  location; new versions and edits stay where the record is; discarding a
  draft, deleting and restoring a record release and re-charge usage.
- `QuotaGuardComponent` (draft files service, first): refuses, before any
  byte is stored, declarations no file can have (a negative size, a multipart
  shape S3 could not assemble: `declarations`), uploads without a library,
  too large, too many or over the quota by their declared size.
- `UsageChargeComponent` (draft files service, last): checks that what was
  stored has the declared size, counts it race-free against the quota, and
  releases what deleted or replaced files no longer use.

Files that a change hides (deleted, replaced, discarded, dropped by an edit)
are removed from S3 after the commit when nothing else uses them
(`cleanup`, task `remove_unused_files`).
"""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db.uow import Operation
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_files_rest.models import ObjectVersion
from invenio_records_resources.services.files.components import FileServiceComponent
from invenio_records_resources.services.uow import TaskOp

from ..proxies import current_storage_service
from ..tenants.library import library_of_deposit
from . import accounts
from .errors import (
    FileTooLargeError,
    NoStorageError,
    QuotaExceededError,
    SizeMismatchError,
    TooManyFilesError,
)
from .s3 import object_size
from .tasks import remove_unused_files
from .warnings import announce_thresholds


def enabled():
    """Quota enforcement and accounting are on (off only for benchmarks)."""
    return current_app.config["CONSORTIUM_STORAGE_QUOTAS_ENABLED"]


def placed_account(identity, record, data=None):
    """The account of the record's bucket, placing the bucket first if needed."""
    account = accounts.account_of_bucket(record.bucket)
    if account is None and record.bucket is not None:
        tenant = library_of_deposit(identity, record, data, strict=True)
        if tenant is not None:
            account = accounts.account_of(tenant)
            accounts.place(record.bucket, account)
    return account


def declared_size(record, file_key):
    """The size a file was declared with when initialised (None: not declared).

    The deposit form initialises files without a size (stored as 0); a content
    upload then declares its size by Content-Length.
    """
    file_record = record.files.get(file_key)
    return (file_record.get("size") or None) if file_record is not None else None


def remove_after_commit(uow, file_ids):
    """Once the change is committed, remove those of FILE_IDS nothing uses any more."""
    if file_ids:
        uow.register(TaskOp(remove_unused_files, [str(f) for f in set(file_ids)]))


class DiscardUploadOp(Operation):
    """When a refused commit rolls back: delete the file entry on its own.

    The deletion runs the draft files service (system identity) in a
    transaction of its own: it aborts the multipart upload, releases the
    reserved size and removes the stored bytes.
    """

    def __init__(self, service, id_, file_key):
        self.service, self.id_, self.file_key = service, id_, file_key

    def on_exception(self, uow, exception):
        try:
            self.service.delete_file(system_identity, self.id_, self.file_key)
        except Exception:  # noqa: BLE001 - the refusal stands; the daily check reports it
            current_app.logger.exception("Could not discard upload %s of %s",
                                         self.file_key, self.id_)


class TenantStorageComponent(ServiceComponent):
    """Place drafts in their library's location; release and re-charge usage."""

    def create(self, identity, data=None, record=None, **kwargs):
        if enabled():
            placed_account(identity, record, data)

    def _follow(self, identity, draft, record):
        """A new version or edit draft writes where its record is stored."""
        if not enabled() or draft.bucket is None:
            return
        account = accounts.account_of_bucket(record.bucket)
        if account is not None:
            accounts.place(draft.bucket, account)

    def new_version(self, identity, draft=None, record=None, **kwargs):
        self._follow(identity, draft, record)

    def edit(self, identity, draft=None, record=None, **kwargs):
        self._follow(identity, draft, record)

    def delete_draft(self, identity, draft=None, record=None, force=False, **kwargs):
        if enabled() and draft.bucket is not None:
            file_ids = accounts.bucket_file_ids(draft.bucket, is_head=None)
            accounts.release(file_ids, [draft.bucket.id])
            remove_after_commit(self.uow, file_ids)

    def publish(self, identity, draft=None, record=None, **kwargs):
        """What the draft's older versions hid or an edit drops goes after publication."""
        if enabled():
            remove_after_commit(self.uow, [
                *accounts.bucket_file_ids(draft.bucket, is_head=None),
                *accounts.bucket_file_ids(record.bucket, is_head=None),
            ])

    def delete_record(self, identity, data=None, record=None, **kwargs):
        if enabled() and record.bucket is not None:
            accounts.release(accounts.bucket_file_ids(record.bucket), [record.bucket.id])

    def restore_record(self, identity, record=None, **kwargs):
        if enabled():
            account = accounts.account_of_bucket(record.bucket)
            accounts.charge_bucket(record.bucket, account, enforce=False)


class QuotaGuardComponent(FileServiceComponent):
    """Refuse uploads that cannot fit before anything is stored."""

    def _account(self, identity, record):
        account = placed_account(identity, record)
        if account is None and not current_app.config["CONSORTIUM_STORAGE_UNAFFILIATED"]:
            raise NoStorageError()
        return account

    def init_files(self, identity, id_, record, data, **kwargs):
        # before anything is reserved, created or signed
        current_storage_service.check_declarations(data)
        if not enabled():
            return
        account = self._account(identity, record)
        if account is None:
            return
        tenant, tenant_limits = account.tenant, accounts.limits(account.tenant)
        count = len(set(record.files.entries) | {f["key"] for f in data})
        if tenant_limits["max_files"] and count > tenant_limits["max_files"]:
            raise TooManyFilesError(tenant, count, tenant_limits["max_files"])
        declared = 0
        for entry in data:
            size = entry.get("size") or 0
            if tenant_limits["max_file_size"] and size > tenant_limits["max_file_size"]:
                raise FileTooLargeError(tenant, entry["key"], size, tenant_limits["max_file_size"])
            declared += size
        if tenant_limits["quota"] and account.bytes + declared > tenant_limits["quota"]:
            raise QuotaExceededError(tenant, account.bytes, tenant_limits["quota"], declared)

    def set_file_content(self, identity, id_, file_key, stream, content_length, record,
                         **kwargs):
        if not enabled():
            return
        declared = declared_size(record, file_key)
        if declared is not None and content_length and content_length != declared:
            raise SizeMismatchError(file_key, declared, content_length)
        account = self._account(identity, record)
        if account is None or not content_length:
            return
        tenant, tenant_limits = account.tenant, accounts.limits(account.tenant)
        if tenant_limits["max_file_size"] and content_length > tenant_limits["max_file_size"]:
            raise FileTooLargeError(tenant, file_key, content_length,
                                    tenant_limits["max_file_size"])
        if tenant_limits["quota"] and account.bytes + content_length > tenant_limits["quota"]:
            raise QuotaExceededError(tenant, account.bytes, tenant_limits["quota"],
                                     content_length)


class UsageChargeComponent(FileServiceComponent):
    """Count stored files against the quota; release deleted ones."""

    def _charge(self, record):
        if not enabled():
            return
        account = accounts.account_of_bucket(record.bucket)
        if accounts.charge_bucket(record.bucket, account):
            announce_thresholds(account, self.uow)

    def init_files(self, identity, id_, record, data, **kwargs):
        self._charge(record)  # multipart uploads reserve their declared size (not billed)

    def set_file_content(self, identity, id_, file_key, stream, content_length, record,
                         **kwargs):
        if not enabled():
            return
        stored = ObjectVersion.get(record.bucket, file_key).file
        declared = content_length or declared_size(record, file_key)
        if declared is not None and stored.size != declared:  # more or less than declared
            accounts.remove_stored(stored.id)
            raise SizeMismatchError(file_key, declared, stored.size)
        self._settle(record)  # the content it replaces, if any
        self._charge(record)

    def commit_file(self, identity, id_, file_key, record, **kwargs):
        if not enabled():
            return
        file_record = record.files[file_key]
        if "multipart_metadata" in file_record.transfer:  # the parts went straight to S3
            instance = file_record.object_version.file
            stored = object_size(instance.uri)
            if stored != instance.size:
                self.uow.register(DiscardUploadOp(self.service, id_, file_key))
                raise SizeMismatchError(file_key, instance.size, stored, discarded=True)
            accounts.stored_now(instance.id)  # reserved until now, stored from now on
        self._charge(record)

    def _settle(self, record):
        """Uncount the files older versions hide now; remove them after the commit."""
        file_ids = accounts.bucket_file_ids(record.bucket, is_head=False)
        if accounts.release(file_ids):
            announce_thresholds(accounts.account_of_bucket(record.bucket), self.uow)
        remove_after_commit(self.uow, file_ids)

    def delete_file(self, identity, id_, file_key, record, deleted_file, **kwargs):
        if enabled():
            self._settle(record)

    def delete_all_files(self, identity, id_, record, results, **kwargs):
        if enabled():
            self._settle(record)
