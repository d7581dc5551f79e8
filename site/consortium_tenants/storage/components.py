"""Service components placing deposits in their library's storage and enforcing quotas.

- `TenantStorageComponent` (records service, first in the list): decides the
  library a new draft is charged to and places its bucket in that library's
  location; new versions and edits stay where the record is; discarding a
  draft, deleting and restoring a record release and re-charge usage.
- `QuotaGuardComponent` (draft files service, first): refuses, before any
  byte is stored, uploads without a library, too large, too many or over the
  quota by their declared size.
- `UsageChargeComponent` (draft files service, last): counts what was stored,
  race-free against the quota, and releases what deleted files no longer use.
"""

from flask import current_app
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.files.components import FileServiceComponent

from ..deposits.library import tenant_for_deposit
from . import accounts
from .errors import FileTooLargeError, NoStorageError, QuotaExceededError, TooManyFilesError
from .warnings import announce_thresholds


def enabled():
    """Quota enforcement and accounting are on (off only for benchmarks)."""
    return current_app.config["CONSORTIUM_STORAGE_QUOTAS_ENABLED"]


def placed_account(identity, record, data=None):
    """The account of the record's bucket, placing the bucket first if needed."""
    account = accounts.account_of_bucket(record.bucket)
    if account is None and record.bucket is not None:
        tenant = tenant_for_deposit(identity, record, data)
        if tenant is not None:
            account = accounts.account_of(tenant)
            accounts.place(record.bucket, account)
    return account


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
            accounts.release(accounts.bucket_file_ids(draft.bucket), [draft.bucket.id])

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
        self._charge(record)  # multipart uploads reserve their declared size

    def set_file_content(self, identity, id_, file_key, stream, content_length, record,
                         **kwargs):
        self._charge(record)

    def commit_file(self, identity, id_, file_key, record, **kwargs):
        self._charge(record)

    def _release(self, record, deleted):
        if not enabled():
            return
        file_ids = [f.object_version.file_id for f in deleted if f.object_version]
        if accounts.release(file_ids):
            announce_thresholds(accounts.account_of_bucket(record.bucket), self.uow)

    def delete_file(self, identity, id_, file_key, record, deleted_file, **kwargs):
        self._release(record, [deleted_file])

    def delete_all_files(self, identity, id_, record, results, **kwargs):
        self._release(record, results)
