"""Celery tasks of the storage module."""

from uuid import UUID

from celery import shared_task
from flask import current_app
from invenio_access.permissions import system_identity

from ..proxies import current_storage_service
from ..tenants.models import TenantModel
from .audit import unresolved
from .cleanup import remove_unused


@shared_task(ignore_result=True)
def remove_unused_files(file_ids):
    """After a commit that hid files: remove those no draft or record uses."""
    remove_unused([UUID(file_id) for file_id in file_ids])


@shared_task(ignore_result=True)
def check_storage():
    """Daily: repair usage counters of every library, clean and compare its S3 prefix."""
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
    return findings
