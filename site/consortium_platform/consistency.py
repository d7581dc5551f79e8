"""Whether database, search indices and S3 agree: `invenio platform check`.

The database is the source of truth. Each check returns its *differences*
(an empty list: consistent) and, with `repair`, mends what can be mended
from the database: it reindexes records, drafts and communities, removes
index documents that have no row (ghosts) and recounts libraries' usage
(storage/audit.py). It never deletes an S3 object: a missing or damaged
object is reported for the operator to restore from a backup.
"""

import hashlib
import time
from contextlib import nullcontext

from consortium_tenants.oai.provider import Endpoint
from consortium_tenants.proxies import current_storage_service
from consortium_tenants.storage import accounts
from consortium_tenants.storage.audit import compare_with_s3
from consortium_tenants.storage.s3 import s3_client, split_uri
from consortium_tenants.tenants.models import TenantModel
from invenio_access.permissions import system_identity
from invenio_communities.communities.records.models import CommunityMetadata
from invenio_communities.communities.records.systemfields.deletion_status import (
    CommunityDeletionStatusEnum,
)
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_files_rest.models import FileInstance, ObjectVersion
from invenio_rdm_records.records.models import RDMFileDraftMetadata
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_search.proxies import current_search_client
from invenio_search.utils import build_alias_name
from opensearchpy.exceptions import ConflictError
from opensearchpy.helpers import scan
from sqlalchemy import exists, select


def indexed_kinds():
    """Name → (record class, indexer) of everything kept in a search index."""
    records = current_rdm_records_service
    communities = current_communities.service
    return {
        "records": (records.record_cls, records.indexer),
        "drafts": (records.draft_cls, records.draft_indexer),
        "communities": (communities.record_cls, communities.indexer),
    }


def index_name(record_cls):
    """The concrete index the indexer of RECORD_CLS writes to."""
    return build_alias_name(record_cls.index._name)


def _database_revisions(record_cls):
    """Id → revision of the rows that must be indexed (not deleted)."""
    model = record_cls.model_cls
    rows = db.session.execute(
        select(model.id, model.version_id).where(model.is_deleted.is_(False))).all()
    return {str(row_id): version - 1 for row_id, version in rows}


def _index_versions(index):
    """Id → (version, concrete index) of the documents in INDEX."""
    current_search_client.indices.refresh(index=index)
    hits = scan(current_search_client, index=index, version=True,
                query={"query": {"match_all": {}}, "_source": False})
    return {hit["_id"]: (hit["_version"], hit["_index"]) for hit in hits}


def check_index(kind, repair=False, pause=0):
    """Rows missing from or stale in the index of KIND, and the index's ghosts.

    With REPAIR, PAUSE seconds pass after each record reindexed.
    """
    record_cls, indexer = indexed_kinds()[kind]
    index = index_name(record_cls)
    expected = _database_revisions(record_cls)
    found = _index_versions(index)
    differences = []
    for record_id, revision in sorted(expected.items()):
        if record_id not in found:
            differences.append({"id": record_id, "problem": "not in the index",
                                "revision": revision})
        elif found[record_id][0] != revision:
            differences.append({"id": record_id, "problem": "stale in the index",
                                "revision": revision, "indexed": found[record_id][0]})
    for record_id in sorted(found.keys() - expected.keys()):
        differences.append({"id": record_id, "problem": "ghost: no such row"})
    for difference in differences:
        if difference["problem"].startswith("ghost"):
            if repair:
                current_search_client.delete(index=found[difference["id"]][1],
                                             id=difference["id"], ignore=[404])
            continue
        record = record_cls.get_record(difference["id"])
        difference["pid"] = record.get("id")  # what people quote: the record's PID
        if repair:
            try:
                indexer.index(record)
            except ConflictError:  # deleted from the index < 60 s ago (index.gc_deletes)
                difference["problem"] += " (the index still remembers a recent delete: " \
                    "repair again in a minute)"
            if pause:
                time.sleep(pause)
    if repair:
        current_search_client.indices.refresh(index=index)
    return differences


def _live_files(account):
    """(uri, size, checksum) of the stored files a live draft or record uses in ACCOUNT's
    location. A pending multipart upload (its draft file still of transfer type "M": the
    declared size is set, but S3 holds no object until the commit assembles the parts)
    is not stored yet."""
    pending = exists().where(
        ObjectVersion.file_id == FileInstance.id,
        RDMFileDraftMetadata.object_version_id == ObjectVersion.version_id,
        RDMFileDraftMetadata.json["transfer"]["type"].as_string() == "M",
    )
    return db.session.execute(
        select(FileInstance.uri, FileInstance.size, FileInstance.checksum).where(
            accounts.in_location(account), FileInstance.size.isnot(None),
            accounts.live(FileInstance.id), ~pending)
    ).all()


def object_checksum(uri, algorithm):
    """Hex digest of the S3 object at URI, streamed."""
    bucket, key = split_uri(uri)
    digest = hashlib.new(algorithm)
    body = s3_client().get_object(Bucket=bucket, Key=key)["Body"]
    for chunk in iter(lambda: body.read(1 << 20), b""):
        digest.update(chunk)
    return digest.hexdigest()


def check_storage(tenant, repair=False, deep=False):
    """A library's usage counters against the ledger, its live files against S3.

    Counters are recounted by the storage audit (REPAIR fixes them). Missing
    objects and size or (DEEP) checksum mismatches are only reported.
    """
    differences = []
    report = current_storage_service.audit(system_identity, tenant.slug, repair=repair)
    if not report["consistent"]:
        differences.append({
            "problem": "usage counters differ from the files stored",
            "counted": report["counted"], "actual": report["actual"],
            "repaired": bool(report.get("repaired")),
        })
    account = accounts.account_of(tenant)
    if split_uri(account.location.uri) is None:
        return differences
    s3 = compare_with_s3(account)
    live = {split_uri(uri)[1]: (uri, size, checksum)
            for uri, size, checksum in _live_files(account)}
    differences += [{"key": key, "problem": "object missing in S3"}
                    for key in s3["missing"] if key in live]
    differences += [{"key": key, "problem": "object size differs", "size": live[key][1]}
                    for key in s3["size_mismatch"] if key in live]
    if deep:
        damaged = set(s3["missing"]) | set(s3["size_mismatch"])
        for key, (uri, _, checksum) in sorted(live.items()):
            if key in damaged or not checksum or ":" not in checksum:
                continue
            algorithm, value = checksum.split(":", 1)
            if object_checksum(uri, algorithm) != value:
                differences.append({"key": key, "problem": "object checksum differs",
                                    "checksum": checksum})
    return differences


def check_libraries():
    """Every library has its community (not deleted) and its OAI-PMH set."""
    differences = []
    sets = Endpoint(None, "").sets()
    for tenant in TenantModel.query.order_by(TenantModel.slug):
        community = db.session.get(CommunityMetadata, tenant.community_id)
        if community is None or community.is_deleted \
                or community.deletion_status != CommunityDeletionStatusEnum.PUBLISHED:
            differences.append({"tenant": tenant.slug, "problem": "community missing or deleted",
                                "community": str(tenant.community_id)})
        elif community.slug != tenant.slug:
            differences.append({"tenant": tenant.slug, "problem": "community slug differs",
                                "community": community.slug})
        if tenant.slug not in sets or sets[tenant.slug][2] != str(tenant.community_id):
            differences.append({"tenant": tenant.slug, "problem": "no OAI-PMH set"})
    for spec, (_, _, community_id) in sorted(sets.items()):
        community = db.session.get(CommunityMetadata, community_id)
        if community is None or community.is_deleted:
            differences.append({"set": spec, "problem": "OAI-PMH set of no community",
                                "community": community_id})
    return differences


def steps(repair=False, deep=False):
    """(area, name, callable returning its differences), one per unit of work.

    The CLI runs them under a progress bar; the daily task runs them in turn.
    """
    for kind in indexed_kinds():
        yield "index", kind, lambda kind=kind: check_index(kind, repair=repair)
    for tenant in TenantModel.query.order_by(TenantModel.slug).all():
        yield "storage", tenant.slug, lambda tenant=tenant: check_storage(
            tenant, repair=repair, deep=deep)
    yield "libraries", "communities and OAI-PMH sets", check_libraries


def run_checks(repair=False, deep=False, progress=None):
    """Run every check; the report {area: {name: differences}}.

    PROGRESS wraps the list of steps (click.progressbar). With REPAIR the
    checks run a second time after the repair, so the report shows what is left.
    """
    def run_all(repairing):
        todo = list(steps(repair=repairing, deep=deep))
        report = {}
        with (progress(todo) if progress else nullcontext(todo)) as bar:
            for area, name, check in bar:
                found = check()
                db.session.commit()
                if found:
                    report.setdefault(area, {})[name] = found
        return report

    if not repair:
        return {"differences": run_all(False)}
    found = run_all(True)
    return {"repaired": found, "differences": run_all(False)}


def count(differences):
    """How many differences a report's {area: {name: [...]}} holds."""
    return sum(len(found) for names in differences.values() for found in names.values())
