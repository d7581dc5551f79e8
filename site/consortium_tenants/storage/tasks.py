"""Celery tasks of the storage module."""

from celery import shared_task
from flask import current_app

from ..tenants.models import TenantModel
from .audit import audit, unresolved


@shared_task(ignore_result=True)
def check_storage():
    """Daily: repair usage counters of every library and compare them with S3."""
    findings = 0
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        report = audit(tenant, repair=True, check_s3=True)
        if not report["consistent"] or unresolved(report):
            findings += 1
            s3 = report.get("s3", {})
            current_app.logger.warning(
                "Storage of %s: counted %s, actual %s, orphaned objects %d, "
                "missing objects %d%s",
                tenant.slug, report["counted"], report["actual"],
                len(s3.get("orphaned", [])), len(s3.get("missing", [])),
                " (counters repaired)" if report.get("repaired") else "",
            )
    return findings
