"""Celery tasks of the storage module."""

from datetime import datetime, timezone
from uuid import UUID

from celery import shared_task
from flask import current_app
from invenio_access.permissions import system_identity

from ..proxies import current_storage_service
from ..tenants.models import TenantModel
from . import accounts
from .audit import expire_uploads, max_age, unresolved
from .cleanup import expire_multipart_files, remove_unused
from .s3 import split_uri


@shared_task(ignore_result=True)
def remove_unused_files(file_ids):
    """After a commit that hid files: remove those no draft or record uses."""
    remove_unused([UUID(file_id) for file_id in file_ids])


@shared_task(ignore_result=True)
def check_storage():
    """Daily (job): repair usage counters of every library, clean and compare its S3 prefix."""
    findings = 0
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        report = current_storage_service.audit(system_identity, tenant.slug, repair=True,
                                               check_s3=True)
        s3 = report.get("s3", {})
        removed = s3.get("removed")
        if removed and (removed["objects"] or removed["uploads"]):
            current_app.logger.info(
                "Storage of %s: removed %d unused objects (%d B) and %d uploads from S3",
                tenant.slug, removed["objects"], removed["bytes"], removed["uploads"],
            )
        if not report["consistent"] or unresolved(report):
            findings += 1
            current_app.logger.warning(
                "Storage of %s: counted %s, actual %s, not counted in S3 %s, "
                "missing objects %d%s",
                tenant.slug, report["counted"], report["actual"], s3.get("uncounted"),
                len(s3.get("missing", [])),
                " (counters repaired)" if report.get("repaired") else "",
            )
    current_app.logger.info("Storage check: %d of %d libraries with findings", findings,
                            TenantModel.query.count())
    return findings


@shared_task(ignore_result=True)
def expire_multipart_uploads():
    """Hourly (job): abort multipart uploads older than CONSORTIUM_STORAGE_MULTIPART_MAX_AGE.

    Draft files whose upload was never committed are deleted (their reserved
    size released, their parts aborted); uploads under a library's prefix that
    no draft file declares are aborted in S3. Returns how many uploads ended.
    """
    started_before = datetime.now(timezone.utc) - max_age()
    ended = expire_multipart_files(started_before)
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        account = accounts.account_of(tenant, create=False)
        if account is not None and split_uri(account.location.uri) is not None:
            ended += expire_uploads(account, started_before)
    current_app.logger.info("Expired %d unfinished multipart uploads", ended)
    return ended
