"""Reconciliation of usage counters with the database and with S3.

Used by `invenio tenants usage --recompute --check-s3` and the daily
`check_storage` task: counter drift is repaired; orphaned objects (in S3,
unknown to the database) and missing objects (in the database, absent from
S3) are reported for an operator to look at, never deleted automatically.
"""

from invenio_db import db
from invenio_files_rest.models import FileInstance
from sqlalchemy import func, select

from . import accounts
from .s3 import list_objects, split_uri

MULTIPART_PENDING = "M"


def compare_with_s3(account):
    """Objects under the library's prefix vs the file instances stored there."""
    if split_uri(account.location.uri) is None:
        return {"checked": False, "reason": "location is not on S3"}
    objects = list_objects(account.location.uri)
    prefix = account.location.uri.rstrip("/") + "/"
    rows = db.session.execute(
        select(FileInstance.uri, FileInstance.size, FileInstance.storage_class).where(
            func.left(FileInstance.uri, len(prefix)) == prefix)
    ).all()
    known = {split_uri(uri)[1]: (size, storage_class) for uri, size, storage_class in rows}
    missing = sorted(
        key for key, (size, storage_class) in known.items()
        if key not in objects and storage_class != MULTIPART_PENDING
    )
    mismatched = sorted(
        key for key, (size, _) in known.items()
        if key in objects and size is not None and objects[key] != size
    )
    orphaned = sorted(key for key in objects if key not in known)
    return {
        "checked": True,
        "objects": len(objects),
        "object_bytes": sum(objects.values()),
        "orphaned": orphaned,
        "orphaned_bytes": sum(objects[k] for k in orphaned),
        "missing": missing,
        "size_mismatch": mismatched,
    }


def audit(tenant, repair=False, check_s3=False):
    """One library's report: counters vs recount (repaired with REPAIR), and S3."""
    account = accounts.account_of(tenant)
    report = {"tenant": tenant.slug, **accounts.reconcile(account, repair=repair)}
    if check_s3:
        report["s3"] = compare_with_s3(account)
    db.session.commit()
    return report


def unresolved(report):
    """Whether a difference remains: unrepaired drift, or S3 out of step."""
    s3 = report.get("s3") or {}
    drift_left = not report["consistent"] and not report.get("repaired")
    return drift_left or bool(s3.get("orphaned") or s3.get("missing") or s3.get("size_mismatch"))
