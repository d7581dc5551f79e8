"""Reconciliation of usage counters with the database and with S3.

Used by `invenio tenants usage --recompute --check-s3` and the daily
`check_storage` task. Counter drift is repaired (REPAIR). Each object under
a library's prefix is compared with the file instances: *unused* (its file
no draft or record uses), *orphaned* (unknown to the database), *retained*
(a tombstoned record's, kept for a restore), size mismatches; file
instances of live files without an object are *missing*; unfinished
multipart uploads are *stale* (no live file) or *oversized* (more bytes than
declared). Unused and orphaned objects are S3 bytes not counted in usage.
With REPAIR and the S3 check, `sweep` removes unused objects at once (and
discards the draft files of oversized uploads: they could never be
committed), orphaned objects and stale uploads once they are older than
CONSORTIUM_STORAGE_ORPHAN_GRACE (younger ones may be uploads in flight).
Multipart uploads of draft files not yet committed are *pending*: the report
says when each began and when `expire_uploads` will abort it
(CONSORTIUM_STORAGE_MULTIPART_MAX_AGE).
"""

from datetime import datetime, timedelta, timezone

from flask import current_app
from invenio_db import db
from invenio_files_rest.models import FileInstance
from sqlalchemy import select

from . import accounts, cleanup
from .s3 import (
    abort_upload,
    bucket_objects as _bucket_objects,
    list_objects,
    list_uploads,
    remove_object,
    s3_client,
    split_uri,
)


def _files(account):
    """Key → (size, kept, live) of the file instances under the library's prefix."""
    rows = db.session.execute(
        select(FileInstance.uri, FileInstance.size, cleanup.kept(FileInstance.id),
               accounts.live(FileInstance.id))
        .where(accounts.in_location(account))
    ).all()
    return {split_uri(uri)[1]: (size, kept, live) for uri, size, kept, live in rows}


def _survey(account):
    """The library's objects and unfinished uploads, classified against the database."""
    files = _files(account)
    objects = list_objects(account.location.uri)
    uploads = list_uploads(account.location.uri)
    grace = current_app.config["CONSORTIUM_STORAGE_ORPHAN_GRACE"]
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=grace)
    survey = {key: [] for key in ("unused", "orphaned", "retained", "size_mismatch")}
    for key, item in sorted(objects.items()):
        size, kept, live = files.get(key, (None, None, None))
        kind = ("orphaned" if kept is None else "unused" if not kept
                else "size_mismatch" if size is not None and size != item["size"]
                else None if live else "retained")
        if kind:
            survey[kind].append(key)
    declared = {key: size or 0 for key, (size, kept, _) in files.items() if kept}
    uploading = {upload["key"] for upload in uploads}
    survey["missing"] = sorted(set(declared) - set(objects) - uploading)
    survey["stale_uploads"] = [u for u in uploads if u["key"] not in declared]
    survey["oversized_uploads"] = [
        u for u in uploads if u["size"] > declared.get(u["key"], u["size"])]
    survey["recent"] = {
        key for key in survey["orphaned"] if objects[key]["modified"] > cutoff
    } | {u["key"] for u in survey["stale_uploads"] if u["modified"] > cutoff}
    survey.update(objects=objects, uploads=uploads, grace=grace)
    return survey


def sweep(account):
    """Remove from the library's prefix what no draft or record uses; what was removed."""
    files, size = cleanup.remove_unused(cleanup.unused_files(account))
    survey = _survey(account)
    bucket = split_uri(account.location.uri)[0]
    orphans = [key for key in survey["orphaned"] if key not in survey["recent"]]
    for key in orphans:
        remove_object(f"s3://{bucket}/{key}")
    stale = [u for u in survey["stale_uploads"] if u["key"] not in survey["recent"]]
    for upload in stale:
        abort_upload(bucket, upload["key"], upload["upload_id"])
    for upload in survey["oversized_uploads"]:  # can never be committed
        if not cleanup.discard_draft_file(f"s3://{bucket}/{upload['key']}"):
            abort_upload(bucket, upload["key"], upload["upload_id"])
    return {
        "objects": files + len(orphans),
        "bytes": size + sum(survey["objects"][key]["size"] for key in orphans),
        "uploads": len(stale) + len(survey["oversized_uploads"]),
    }


def max_age():
    """How long a multipart upload may stay uncommitted."""
    return timedelta(seconds=current_app.config["CONSORTIUM_STORAGE_MULTIPART_MAX_AGE"])


def _pending(account, uploads):
    """The uploads of draft files not committed yet, with when they expire."""
    bucket = split_uri(account.location.uri)[0]
    started = cleanup.multipart_started()
    pending = []
    for upload in uploads:
        began = started.get(f"s3://{bucket}/{upload['key']}")
        if began is not None:
            pending.append({"key": upload["key"], "bytes": upload["size"],
                            "started": began.isoformat(),
                            "expires": (began + max_age()).isoformat()})
    return pending


def expire_uploads(account, started_before):
    """Abort the library's multipart uploads begun before STARTED_BEFORE.

    Those of draft files are deleted with their entries (reservation
    released); the remaining ones, unknown to the database, are aborted in S3.
    Returns how many uploads ended.
    """
    bucket = split_uri(account.location.uri)[0]
    started = cleanup.multipart_started()
    ended = 0
    for upload in list_uploads(account.location.uri):
        uri = f"s3://{bucket}/{upload['key']}"
        if upload["modified"] >= started_before or uri in started:
            continue  # young, or a draft file's: expire_multipart_files decides
        abort_upload(bucket, upload["key"], upload["upload_id"])
        ended += 1
    return ended


def compare_with_s3(account):
    """Objects and uploads under the library's prefix vs the file instances stored there."""
    if split_uri(account.location.uri) is None:
        return {"checked": False, "reason": "location is not on S3"}
    survey = _survey(account)
    objects, uploads = survey["objects"], survey["uploads"]

    def total(keys):
        return {"objects": len(keys), "bytes": sum(objects[key]["size"] for key in keys)}

    return {
        "checked": True,
        **{"objects": len(objects), "object_bytes": sum(o["size"] for o in objects.values())},
        "uncounted": total(survey["unused"] + survey["orphaned"]),
        "unused": survey["unused"],
        "orphaned": survey["orphaned"],
        "recent": sorted(survey["recent"]),
        "grace": survey["grace"],
        "retained": total(survey["retained"]),
        "missing": survey["missing"],
        "size_mismatch": survey["size_mismatch"],
        "uploads": {
            "count": len(uploads), "bytes": sum(u["size"] for u in uploads),
            "stale": [u["key"] for u in survey["stale_uploads"]],
            "oversized": [u["key"] for u in survey["oversized_uploads"]],
            "pending": _pending(account, uploads),
        },
    }


def audit(tenant, repair=False, check_s3=False):
    """One library's report: counters vs recount, and S3; REPAIR fixes both."""
    account = accounts.account_of(tenant)
    on_s3 = split_uri(account.location.uri) is not None
    removed = sweep(account) if repair and check_s3 and on_s3 else None
    report = {"tenant": tenant.slug, **accounts.reconcile(account, repair=repair)}
    if check_s3:
        report["s3"] = compare_with_s3(account)
        if removed is not None:
            report["s3"]["removed"] = removed
    return report


def unresolved(report):
    """Whether a difference remains: unrepaired drift, or S3 out of step."""
    s3 = report.get("s3") or {}
    drift_left = not report["consistent"] and not report.get("repaired")
    uploads = s3.get("uploads") or {}
    return drift_left or bool(
        (s3.get("uncounted") or {}).get("objects") or s3.get("missing")
        or s3.get("size_mismatch") or uploads.get("stale") or uploads.get("oversized")
    )


MULTIPART_LEFTOVER = ".mpus-"
"""How S3Proxy's file system backend names the parts of a multipart upload
(`.mpus-<uploadId>-<key>-<part>`, at the bucket's root). Parts sent to a part
URL after the upload was completed or aborted stay there, known to no upload."""

UPLOAD_ID_LENGTH = 36  # S3Proxy's upload ids are UUIDs


def _bucket_uploads(bucket):
    """Upload id → {key, bytes} of every unfinished multipart upload in BUCKET."""
    client = s3_client()
    uploads = {}
    for page in client.get_paginator("list_multipart_uploads").paginate(Bucket=bucket):
        for item in page.get("Uploads", []):
            parts = client.get_paginator("list_parts").paginate(
                Bucket=bucket, Key=item["Key"], UploadId=item["UploadId"])
            uploads[item["UploadId"]] = {
                "key": item["Key"],
                "bytes": sum(p["Size"] for page in parts for p in page.get("Parts", [])),
            }
    return uploads


def _reserved():
    """Bytes declared by draft files whose multipart upload is not committed yet."""
    started = cleanup.multipart_started()
    if not started:
        return {"files": 0, "bytes": 0}
    sizes = db.session.execute(
        select(FileInstance.size).where(FileInstance.uri.in_(list(started)))).scalars().all()
    return {"files": len(sizes), "bytes": sum(size or 0 for size in sizes)}


def _platform_files(bucket):
    """Keys of the file instances in BUCKET outside the libraries' prefixes."""
    prefix = current_app.config["CONSORTIUM_STORAGE_PREFIX"]
    uris = db.session.execute(select(FileInstance.uri).where(
        FileInstance.uri.like(f"s3://{bucket}/%"),
        ~FileInstance.uri.like(f"s3://{bucket}/{prefix}/%"),
    )).scalars()
    return {split_uri(uri)[1] for uri in uris}


def survey_bucket(repair=False):
    """Every object of the consortium bucket, by what its bytes are.

    - `libraries`: under a library's prefix (its files, checked per library);
    - `upload_parts`: parts of unfinished multipart uploads that S3 lists as
      objects (S3Proxy), space the uploads' reservations cover;
    - `stray_multipart`: such parts of no unfinished upload (sent after the
      upload was completed or aborted): counted nowhere, never backed up;
    - `platform`: outside every library prefix, a file the database knows
      (e.g. a community's logo in the default location);
    - `unknown`: anything else outside every library prefix.

    `uploads` are the unfinished multipart uploads (their parts' bytes),
    `reserved` what draft files declared for them, `counted` the libraries'
    usage counters. With REPAIR, stray parts older than
    CONSORTIUM_STORAGE_ORPHAN_GRACE are removed.
    """
    bucket = current_app.config["CONSORTIUM_S3_BUCKET"]
    libraries = {}
    for account in accounts.all_accounts():
        where = split_uri(account.location.uri)
        if where is not None and where[0] == bucket:
            libraries[where[1].rstrip("/") + "/"] = account
    uploads = _bucket_uploads(bucket)
    grace = current_app.config["CONSORTIUM_STORAGE_ORPHAN_GRACE"]
    cutoff = datetime.now(timezone.utc) - timedelta(seconds=grace)
    kinds = {kind: {"objects": 0, "bytes": 0, "keys": []} for kind in (
        "libraries", "upload_parts", "stray_multipart", "platform", "unknown")}
    known = _platform_files(bucket)
    per_library = {account.tenant.slug: {"objects": 0, "bytes": 0, "counted": account.bytes}
                   for account in libraries.values()}
    removed = {"objects": 0, "bytes": 0}
    for key, item in sorted(_bucket_objects(bucket).items()):
        prefix = next((p for p in libraries if key.startswith(p)), None)
        if prefix is not None:
            kind = "libraries"
            slot = per_library[libraries[prefix].tenant.slug]
            slot["objects"] += 1
            slot["bytes"] += item["size"]
        elif key.startswith(MULTIPART_LEFTOVER):
            upload_id = key[len(MULTIPART_LEFTOVER):][:UPLOAD_ID_LENGTH]
            kind = "upload_parts" if upload_id in uploads else "stray_multipart"
            if kind == "stray_multipart" and repair and item["modified"] <= cutoff:
                s3_client().delete_object(Bucket=bucket, Key=key)
                removed["objects"] += 1
                removed["bytes"] += item["size"]
                continue
        else:
            kind = "platform" if key in known else "unknown"
        kinds[kind]["objects"] += 1
        kinds[kind]["bytes"] += item["size"]
        if kind not in ("libraries", "platform"):
            kinds[kind]["keys"].append(key)
    return {
        "bucket": bucket,
        "objects": sum(k["objects"] for k in kinds.values()),
        "bytes": sum(k["bytes"] for k in kinds.values()),
        **kinds,
        "per_library": per_library,
        "counted": sum(a.bytes for a in libraries.values()),
        "reserved": _reserved(),
        "uploads": {"count": len(uploads), "bytes": sum(u["bytes"] for u in uploads.values())},
        "removed": removed,
        "grace": grace,
    }


def bucket_unresolved(report):
    """Whether the bucket holds bytes nothing accounts for (stray parts, unknown objects)."""
    return bool(report["stray_multipart"]["objects"] or report["unknown"]["objects"])
