"""Importing a library's existing repository over OAI-PMH, idempotently.

A run harvests the source in one format (`FORMATS`: oai_dc, DSpace's ore, Invenio's
marcxml; incremental
from the start of the last finished run over the same source), maps each item (one module
per format) and gives it exactly one state with its reason, kept with the original XML and
the mapped payload (metadata and files):
- created: a new work with its files, submitted to the library (published at once when
  the library's workflow publishes directly or the run bypasses the curators' queue);
- updated: the source item changed since it was imported. Only its metadata changed: the
  work is EDITED (a new revision of the same version, the DOI and the address stay: the
  source corrected its record, not the work). A file changed, came or went: the work gets
  a NEW VERSION (InvenioRDM's way for published works whose files change; the unchanged
  files are linked from the previous version, not downloaded again), and the source item
  leads to the new version from then on;
- unchanged: its mapped payload is the one imported before;
- deleted: withdrawn at the source (a deleted header): the work becomes a tombstone;
- failed: not mappable or refused by InvenioRDM, with the message.
A dry run maps and decides the same way and writes nothing but its report. Each item is
committed on its own: a stopped run keeps what it did, and a new run resumes without
duplicates (the source item → record table).

Files (files.py): every file of an item is opened before anything is written (a file that
cannot be fetched fails the item: never a work without its files), the item's bytes are
checked against the library's quota as the core counts it (`TenantService.counters`;
an item that does not fit stops the run: nothing of it is stored, the items before it
stay), then streamed in chunks into the draft through InvenioRDM's draft files service
(whose storage components place them in the library's S3 prefix and check the quota
again). A size or MD5 the source states and the bytes do not match fails the item and
its draft is discarded.
"""

import hashlib
import json
import uuid
from datetime import datetime, timezone
from urllib.parse import urlsplit

from flask import current_app
from invenio_access.permissions import authenticated_user, system_identity
from invenio_access.utils import get_identity
from invenio_accounts.models import User
from invenio_communities.generators import CommunityRoleNeed
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_files_rest.errors import InvalidOperationError
from invenio_i18n import gettext as _
from invenio_pidstore.errors import PIDDoesNotExistError, PIDUnregistered
from invenio_rdm_records.proxies import current_rdm_records_service as records
from invenio_requests.proxies import current_requests_service as requests
from invenio_vocabularies.proxies import current_service as vocabularies
from marshmallow import ValidationError
from sickle import Sickle
from sickle.oaiexceptions import NoRecordsMatch

from ..i18n import localized
from ..tenants.errors import TenantNotFound
from ..tenants.models import TenantModel
from ..units import format_size
from . import bag, dublincore, marcxml, ore
from .component import PUBLISHING
from .dublincore import licence_key
from .files import FileProblem, changed, close_all, open_files
from .models import ImportedItemModel, ImportItemModel, ImportRunModel
from .schema import StartSchema
from .tasks import run_import

FORMATS = {  # OAI-PMH metadataPrefix → read(element, source_id, licences)
    "oai_dc": dublincore.read,  # everywhere; EPrints' with file links
    "ore": ore.read,  # DSpace: OAI-ORE resource map with the bitstreams
    "marcxml": marcxml.read,  # Invenio (NUŠL): MARC21 slim, files in 856 $u
    "csv": bag.read,  # a CSV of items with their files in a BagIt bag (no OAI-PMH)
}
OAI_FORMATS = ("oai_dc", "ore", "marcxml")

STATES = ("created", "updated", "unchanged", "deleted", "failed")
DOI_POLICIES = ("keep", "new", "none")
"""What an import run does about the works' DOIs: `keep` the source's DOI as the work's
(an external DOI; a work without one gets none), register a `new` one under the library's
prefix (the old one stays among the alternate identifiers), or `none`."""
AGREEMENT_FIELD = "consortium:deposit_agreement"  # the workflows feature's field


def digest(metadata):
    """The hash of a mapped payload (stable key order)."""
    text = json.dumps(metadata, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class QuotaStop(Exception):
    """An item's files would take the library over its storage quota: the run stops."""

    def __init__(self, tenant, source_id, requested, usage, quota):
        super().__init__(source_id)
        self.details = {"code": "quota", "library": tenant.slug, "item": source_id,
                        "requested": requested, "usage": usage, "quota": quota}

    @property
    def reason(self):
        return (f"the item's files ({self.details['requested']} bytes) would exceed the "
                f"library's storage quota ({self.details['usage']} of "
                f"{self.details['quota']} bytes used); nothing of it was stored")


def run_error(run):
    """RUN's error as the reader reads it: a quota stop in the request's language."""
    if not run.error or not run.error.startswith("{"):
        return run.error
    details = json.loads(run.error)
    tenant = db.session.get(TenantModel, run.tenant_id)
    return _("The import stopped at item %(item)s: its files (%(requested)s) would exceed "
             "the storage quota of '%(library)s': %(usage)s of %(quota)s used. Nothing of "
             "that item was stored. Raise the quota or free space, then run the import "
             "again: it continues with that item.",
             item=details["item"], requested=format_size(details["requested"]),
             library=localized(tenant.names) if tenant else details["library"],
             usage=format_size(details["usage"]), quota=format_size(details["quota"]))


def licences():
    """Normalised licence URL → licence id, from the licences vocabulary."""
    found = {}
    result = vocabularies.search(system_identity, type="licenses", params={"size": 1000})
    for hit in result.hits:
        url = (hit.get("props") or {}).get("url")
        if url:
            found[licence_key(url)] = hit["id"]
    return found


def person_identity(user_id):
    """The identity of the person works are deposited as (their library roles too); the
    system's when None."""
    user = db.session.get(User, user_id) if user_id else None
    if user is None:
        return system_identity
    identity = get_identity(user)
    identity.provides.add(authenticated_user)
    members = current_communities.service.members.config.record_cls
    for community_id, role in members.get_memberships(identity):
        identity.provides.add(CommunityRoleNeed(community_id, role))
    return identity


class ImportService:
    """Import runs of the member libraries."""

    def __init__(self, tenants):
        self.tenants = tenants

    # --- reading ---------------------------------------------------------------
    def _run(self, identity, slug, run_id):
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_imports", tenant)
        try:
            run = db.session.get(ImportRunModel, uuid.UUID(str(run_id)))
        except ValueError:
            run = None
        if run is None or run.tenant_id != tenant.id:
            raise TenantNotFound(_("The library has no import run %(run)s.", run=run_id))
        return tenant, run

    @staticmethod
    def dump_run(run, slug):
        return {
            "id": str(run.id), "library": slug, "source": run.source, "options": run.options,
            "status": run.status, "harvest_from": run.harvest_from,
            "total": run.total, "done": run.done,
            "counts": {state: run.counts.get(state, 0) for state in STATES},
            "error": run_error(run), "created": run.created.isoformat(),
            "finished": run.finished.isoformat() if run.finished else None,
            **ImportService.pace(run),
        }

    @staticmethod
    def pace(run):
        """Items a second so far and the seconds left at that pace (None when unknown)."""
        end = run.finished or datetime.now(timezone.utc).replace(tzinfo=None)
        seconds = (end - run.created).total_seconds()
        rate = run.done / seconds if run.done and seconds > 0 else None
        left = (run.total - run.done) / rate if rate and run.status == "running" else None
        return {"rate": round(rate, 2) if rate else None,
                "eta_seconds": round(left) if left is not None else None}

    @staticmethod
    def dump_item(item, with_payload=False):
        dumped = {"source_id": item.source_id, "datestamp": item.datestamp,
                  "state": item.state, "reason": item.reason, "record": item.recid}
        if with_payload:
            dumped.update(original=item.original, mapped=item.mapped)
        return dumped

    def runs(self, identity, slug):
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_imports", tenant)
        rows = (ImportRunModel.query.filter_by(tenant_id=tenant.id)
                .order_by(ImportRunModel.created.desc()).limit(100).all())
        return {"library": slug, "runs": [self.dump_run(run, slug) for run in rows]}

    def read(self, identity, slug, run_id):
        _, run = self._run(identity, slug, run_id)
        return self.dump_run(run, slug)

    @staticmethod
    def source_hosts(tenant):
        """Host names of the repositories TENANT imported from (its runs' sources): where
        its works' old addresses were."""
        urls = (db.session.query(ImportRunModel.source["url"].as_string())
                .filter(ImportRunModel.tenant_id == tenant.id).distinct())
        return {(urlsplit(url).hostname or "").lower() for (url,) in urls if url}

    def items(self, identity, slug, run_id, state=None, with_payload=False):
        _, run = self._run(identity, slug, run_id)
        query = ImportItemModel.query.filter_by(run_id=run.id)
        if state:
            query = query.filter_by(state=state)
        return [self.dump_item(item, with_payload) for item in
                query.order_by(ImportItemModel.id)]

    def items_page(self, identity, slug, run_id, state=None, page=1, size=100):
        """Page PAGE (SIZE items, in the order they were processed) of a run's items, and
        how many items there are (of STATE)."""
        _, run = self._run(identity, slug, run_id)
        query = ImportItemModel.query.filter_by(run_id=run.id)
        if state:
            query = query.filter_by(state=state)
        rows = query.order_by(ImportItemModel.id).offset((page - 1) * size).limit(size)
        return [self.dump_item(item) for item in rows], query.count()

    def item(self, identity, slug, run_id, source_id):
        """One item of a run with its original and mapped payload (the item's page)."""
        run = self._run(identity, slug, run_id)[1]
        return self.dump_item(self._item(run, source_id), with_payload=True)

    @staticmethod
    def _item(run, source_id):
        found = ImportItemModel.query.filter_by(run_id=run.id, source_id=source_id).first()
        if found is None:
            raise TenantNotFound(_("The import run has no item %(item)s.", item=source_id))
        return found

    # --- running ---------------------------------------------------------------
    def start(self, identity, slug, url, set_spec=None, dry_run=False, bypass_review=False,
              full=False, metadata_prefix="oai_dc", trusted=False, doi_policy=None):
        """A new run over the OAI-PMH source URL (SET) in METADATA_PREFIX, incremental
        unless FULL. TRUSTED (an operator's command): the source's files may be on the
        platform's own network, as the source itself. DOI_POLICY (`DOI_POLICIES`; None:
        `new` where the library has a DOI prefix, else `none`) is kept with the run."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_imports", tenant)
        if metadata_prefix not in FORMATS:
            raise ValidationError({"metadata_prefix": [
                _("Must be one of: {choices}.").format(choices=", ".join(FORMATS))]})
        prefix = self.tenants.doi_prefix(tenant)
        if doi_policy is None:
            doi_policy = "new" if prefix else "none"
        if doi_policy not in DOI_POLICIES:
            raise ValidationError({"doi_policy": [
                _("Must be one of: {choices}.").format(choices=", ".join(DOI_POLICIES))]})
        if doi_policy == "new" and not prefix:
            raise ValidationError({"doi_policy": [_(
                "The library has no DOI prefix, so its works cannot get new DOIs: keep the "
                "old DOIs or import without DOIs.")]})
        source = {"kind": "oai", "url": url, "set": set_spec or None,
                  "prefix": metadata_prefix}
        if metadata_prefix == "csv":  # URL: the bag's folder on the server (read whole)
            source, full = {"kind": "bag", "path": url, "prefix": "csv"}, True
        last = None if full or dry_run else (
            ImportRunModel.query.filter_by(tenant_id=tenant.id, status="finished")
            .filter(ImportRunModel.source == source)
            .filter(ImportRunModel.options["dry_run"].as_boolean().is_(False))
            .order_by(ImportRunModel.created.desc()).first())
        run = ImportRunModel(
            tenant_id=tenant.id, source=source, status="running",
            options={"dry_run": bool(dry_run), "bypass_review": bool(bypass_review),
                     "trusted": bool(trusted), "doi_policy": doi_policy},
            harvest_from=last.created.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            counts={}, started_by=identity.id if isinstance(identity.id, int) else None)
        db.session.add(run)
        db.session.commit()
        return run

    def follow_sources(self, log=None):
        """One incremental run (from= its last finished run) of every source a library has
        imported from for real, processed here; a source with a run still going is left to
        it. One source failing does not stop the others. LOG(text) after each source;
        returns the sources that failed (the scheduled job fails naming them)."""
        log = log or (lambda text: None)
        latest = {}
        for run in (ImportRunModel.query.filter_by(status="finished")
                    .filter(ImportRunModel.options["dry_run"].as_boolean().is_(False))
                    .order_by(ImportRunModel.created)):
            latest[(run.tenant_id, json.dumps(run.source, sort_keys=True))] = run
        failed = []
        for (tenant_id, _source), last in sorted(latest.items(), key=lambda kv: kv[0][1]):
            if last.source.get("kind", "oai") != "oai":
                continue  # a bag is imported when an operator brings one
            tenant = db.session.get(TenantModel, tenant_id)
            label = f"{tenant.slug}: {last.source['url']} ({last.source['prefix']})"
            going = (ImportRunModel.query.filter_by(tenant_id=tenant_id)
                     .filter(ImportRunModel.source == last.source)
                     .filter(ImportRunModel.status.in_(("running", "stopping"))).count())
            if going:
                log(f"{label}: a run is still going, left to it")
                continue
            try:
                run = self.start(system_identity, tenant.slug, last.source["url"],
                                 last.source.get("set"), False,
                                 last.options.get("bypass_review", False), False,
                                 last.source["prefix"], last.options.get("trusted", False),
                                 last.options.get("doi_policy"))
                run.started_by = last.started_by
                db.session.commit()
                run = self.resume(run.id)
            except Exception as error:  # noqa: BLE001 — the next source still runs
                db.session.rollback()
                current_app.logger.exception("import of %s failed", label)
                failed.append(f"{label}: {type(error).__name__}: {error}")
                log(failed[-1])
                continue
            counts = ", ".join(f"{state} {run.counts.get(state, 0)}" for state in STATES)
            log(f"{label}: {run.status} from {run.harvest_from or 'the start'}: {counts}"
                + (f" ({run.error})" if run.error else ""))
            if run.status == "failed":
                failed.append(f"{label}: {run.error}")
        return failed

    def submit(self, identity, slug, data):
        """Start a run (REST, the page): checked, recorded, processed by a worker."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_imports", tenant)
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        data = StartSchema().load(data)
        run = self.start(identity, slug, data["url"], data["set"], data["dry_run"],
                         data["bypass_review"], data["full"], data["metadata_prefix"],
                         doi_policy=data["doi_policy"])
        run_import.delay(str(run.id))
        db.session.refresh(run)
        return self.dump_run(run, slug)

    def resume(self, run_id):
        """Process what is left of run RUN_ID (a worker's task; again after a restart)."""
        run = db.session.get(ImportRunModel, uuid.UUID(str(run_id)))
        if run is None or run.status not in ("running", "stopping"):
            return run
        if run.status == "stopping":
            return self._end(run, "stopped")
        harvested = self.harvest_checked(run)
        if harvested is not None:
            self.process(person_identity(run.started_by), run, harvested)
        return run

    def retry(self, identity, slug, run_id, source_id):
        """Run a failed item of a finished (stopped, failed) run again, alone, after a fix
        at the source or in the library: the source gives the item anew (GetRecord) and it
        gets its state as in a run, in the same report (the run's counts follow). A dry
        run's item is mapped again, nothing written."""
        run = self._run(identity, slug, run_id)[1]
        item = self._item(run, source_id)
        if run.status in ("running", "stopping"):
            raise ValidationError({"source_id": [
                _("The run is still going: run its failed items again when it has ended.")]})
        if item.state != "failed":
            raise ValidationError({"source_id": [
                _("Only a failed item can be run again.")]})
        try:
            record = self.harvest_one(run, source_id)
        except Exception as error:  # the source: unreachable, no such item any more
            current_app.logger.warning("import %s: %s not harvested: %s", run.id,
                                       source_id, error)
            state, reason = "failed", f"{type(error).__name__}: {error}"
            mapped, recid, original, datestamp = item.mapped, item.recid, item.original, \
                item.datestamp
        else:
            try:
                state, reason, mapped, recid = self._one(
                    person_identity(run.started_by), run, self._community_id(run), record,
                    licences())
            except QuotaStop as stop:
                db.session.rollback()
                state, reason, mapped, recid = "failed", stop.reason, None, None
            original, datestamp = record.raw, record.header.datestamp
        counts = {**run.counts, "failed": run.counts.get("failed", 1) - 1}
        counts[state] = counts.get(state, 0) + 1
        item.state, item.reason, item.mapped, item.recid = state, reason, mapped, recid
        item.original, item.datestamp, run.counts = original, datestamp, counts
        db.session.commit()
        return self.dump_item(item)

    @staticmethod
    def harvest_one(run, source_id):
        """The source's record SOURCE_ID (GetRecord) in RUN's format."""
        if run.source.get("kind") == "bag":
            for row in bag.rows(run.source["path"]):
                if row.header.identifier == source_id:
                    return row
            raise LookupError(f"{source_id} is no longer in the bag's {bag.CSV_NAME}")
        client = Sickle(run.source["url"], max_retries=3, timeout=60)
        return client.GetRecord(identifier=source_id, metadataPrefix=run.source["prefix"])

    def stop(self, identity, slug, run_id):
        """Ask a running run to stop after its current item (what it did stays)."""
        tenant, run = self._run(identity, slug, run_id)
        if run.status == "running":
            run.status = "stopping"
            db.session.commit()
        return self.dump_run(run, tenant.slug)

    @staticmethod
    def _end(run, status):
        run.status = status
        run.finished = datetime.now(timezone.utc).replace(tzinfo=None)
        db.session.commit()
        return run

    def harvest(self, run):
        """The source's records (headers and metadata) of RUN, all pages; a bag's rows
        (the bag validated first)."""
        if run.source.get("kind") == "bag":
            return bag.rows(run.source["path"])
        client = Sickle(run.source["url"], max_retries=3, timeout=60)
        params = {"metadataPrefix": run.source["prefix"], "ignore_deleted": False}
        if run.source.get("set"):
            params["set"] = run.source["set"]
        if run.harvest_from:
            params["from"] = run.harvest_from
        try:
            return list(client.ListRecords(**params))
        except NoRecordsMatch:
            return []

    def harvest_checked(self, run):
        """RUN's harvested records, or None when the source could not be harvested (the
        run then failed with the reason)."""
        try:
            return self.harvest(run)
        except Exception as error:  # the source: unreachable, not OAI-PMH, bad XML
            current_app.logger.warning("import %s: harvest failed: %s", run.id, error)
            run.error = f"{type(error).__name__}: {error}"
            self._end(run, "failed")
            return None

    def process(self, identity, run, harvested, progress=None):
        """Give every harvested record of RUN its state; PROGRESS(1) after each."""
        run.total = len(harvested)
        db.session.commit()
        vocabulary = licences()
        community_id = self._community_id(run)
        done = {source_id for (source_id,) in db.session.query(ImportItemModel.source_id)
                .filter_by(run_id=run.id)}  # a resumed run: those had their turn
        for record in harvested:
            if record.header.identifier in done:
                continue
            db.session.refresh(run, ["status"])
            if run.status == "stopping":
                return self._end(run, "stopped")
            try:
                state, reason, mapped, recid = self._one(identity, run, community_id,
                                                         record, vocabulary)
            except QuotaStop as stop:
                db.session.rollback()
                state, reason, mapped, recid = "failed", stop.reason, None, None
                run.error = json.dumps(stop.details)
            db.session.add(ImportItemModel(
                run_id=run.id, source_id=record.header.identifier,
                datestamp=record.header.datestamp, state=state, reason=reason,
                original=record.raw, mapped=mapped, recid=recid))
            run.done += 1
            run.counts = {**run.counts, state: run.counts.get(state, 0) + 1}
            db.session.commit()
            if progress:
                progress(1)
            if run.error:  # the quota: nothing more fits
                return self._end(run, "failed")
        return self._end(run, "finished")

    def _community_id(self, run):
        return str(db.session.get(TenantModel, run.tenant_id).community_id)

    def _one(self, identity, run, community_id, record, vocabulary):
        """(state, reason, mapped, recid) of one harvested RECORD; writes unless a dry run."""
        source_id, dry = record.header.identifier, run.options.get("dry_run")
        known = db.session.get(ImportedItemModel, (run.tenant_id, source_id))
        if record.header.deleted:
            if known is None or known.deleted:
                return "unchanged", "deleted at the source; not imported here", None, \
                    known.recid if known else None
            if not dry:
                try:
                    self._tombstone(known.recid, source_id)
                except Exception as error:
                    db.session.rollback()
                    return "failed", f"{type(error).__name__}: {error}", None, known.recid
                known.deleted = True
            return "deleted", "deleted at the source", None, known.recid
        read = FORMATS[run.source.get("prefix", "oai_dc")]
        metadata, files, problems = read(record.xml, source_id, vocabulary)
        if problems:
            return "failed", "; ".join(problems), None, known.recid if known else None
        mapped = {"metadata": metadata, "files": files}
        # items without files keep the digest of their metadata alone (imports before files)
        payload_digest = digest(mapped) if files else digest(metadata)
        if known is not None and not known.deleted and known.digest == payload_digest:
            return "unchanged", None, mapped, known.recid
        if dry:
            state = "updated" if known is not None and not known.deleted else "created"
            return state, "dry run", mapped, known.recid if known else None
        publishing = PUBLISHING.set(run.options)
        try:
            if known is not None and not known.deleted:
                recid, how = self._change(run, source_id, known.recid, metadata, files)
                known.recid, known.digest = recid, payload_digest
                return "updated", how, mapped, recid
            recid = self._create(identity, run, community_id, source_id, metadata, files)
        except QuotaStop:
            raise
        except FileProblem as error:
            db.session.rollback()
            return "failed", str(error), mapped, known.recid if known else None
        except ValidationError as error:
            db.session.rollback()
            return "failed", json.dumps(error.normalized_messages(), ensure_ascii=False), \
                mapped, None
        except Exception as error:  # InvenioRDM refused it: the item fails, the run goes on
            db.session.rollback()
            current_app.logger.warning("import %s: %s failed: %r", run.id, source_id, error,
                                       exc_info=True)
            return "failed", f"{type(error).__name__}: {error}", mapped, None
        finally:
            PUBLISHING.reset(publishing)
        if known is None:
            db.session.add(ImportedItemModel(tenant_id=run.tenant_id, source_id=source_id,
                                             recid=recid, digest=payload_digest))
        else:  # imported, deleted at the source, and back
            known.recid, known.digest, known.deleted = recid, payload_digest, False
        return "created", None, mapped, recid

    @staticmethod
    def _data(metadata, files=(), doi_policy=None):
        """A new work's draft; with the `keep` policy the source's DOI is its DOI."""
        data = {"access": {"record": "public", "files": "public"},
                "files": {"enabled": bool(files)},
                "metadata": metadata,
                "custom_fields": {AGREEMENT_FIELD: True}}
        data.update(ImportService._kept_doi(metadata, doi_policy))
        return data

    @staticmethod
    def _kept_doi(metadata, doi_policy):
        """{"pids": …} with the source's DOI as the work's under the `keep` policy, else {}."""
        old = next((entry["identifier"] for entry in metadata.get("identifiers", [])
                    if entry["scheme"] == "doi"), None)
        if doi_policy != "keep" or not old:
            return {}
        return {"pids": {"doi": {"identifier": old, "provider": "external"}}}

    # --- files -----------------------------------------------------------------
    @staticmethod
    def _open(run, files):
        private = run.options.get("trusted") or current_app.config.get(
            "CONSORTIUM_IMPORT_PRIVATE_SOURCES")
        return open_files(files, private=bool(private), folder=run.source.get("path"))

    def _storage(self, run):
        tenant = db.session.get(TenantModel, run.tenant_id)
        return tenant, self.tenants.counters(tenant).get("storage") or {}

    def _fits(self, run, source_id, sizes):
        """QuotaStop unless the library's quota has room for SIZES (bytes, None: unknown)."""
        requested = sum(size or 0 for size in sizes)
        tenant, storage = self._storage(run)
        quota, used = storage.get("quota"), storage.get("bytes") or 0
        if requested and quota and used + requested > quota:
            raise QuotaStop(tenant, source_id, requested, used, quota)

    def _store(self, identity, run, source_id, draft_id, downloads):
        """Stream DOWNLOADS into draft DRAFT_ID's files; compare the source's checksums."""
        files = records.draft_files
        if not downloads:
            return
        try:
            files.init_files(identity, draft_id, [
                {"key": d.entry["key"], **({"size": d.size} if d.size else {})}
                for d in downloads])
            for download in downloads:
                key = download.entry["key"]
                result = files.set_file_content(identity, draft_id, key, download,
                                                content_length=download.size)
                if result.errors:
                    raise FileProblem(f"{key}: the transfer failed ({result.errors})")
                result = files.commit_file(identity, draft_id, key)
                expected, got = download.entry.get("checksum"), result.data.get("checksum")
                if expected and got != expected:
                    raise FileProblem(f"{key}: checksum {got} of the bytes received differs "
                                      f"from the source's {expected}")
        except Exception as error:
            if getattr(error, "code", None) == 413 and "quota" in getattr(error, "details",
                                                                            {}):
                db.session.rollback()
                tenant, storage = self._storage(run)
                raise QuotaStop(tenant, source_id, sum(d.size or 0 for d in downloads),
                                storage.get("bytes") or 0, storage.get("quota")) from error
            if isinstance(error, OSError):
                raise FileProblem(f"the download was interrupted: {error}") from error
            raise

    @staticmethod
    def _discard(draft_id):
        """Remove a draft the import could not complete (its files go with it)."""
        db.session.rollback()
        try:
            records.delete_draft(system_identity, draft_id)
        except Exception:  # pragma: no cover - logged, the item fails anyway
            db.session.rollback()
            current_app.logger.exception("import: the draft %s could not be discarded",
                                         draft_id)

    @staticmethod
    def _stored(recid, published):
        """{key: {"size", "checksum"}} of the work's files."""
        service = records.files if published else records.draft_files
        try:
            return {e["key"]: {"size": e.get("size"), "checksum": e.get("checksum")}
                    for e in service.list_files(system_identity, recid).entries}
        except InvalidOperationError:  # the work has its files disabled: none
            return {}

    def _create(self, identity, run, community_id, source_id, metadata, files):
        self._fits(run, source_id, [entry.get("size") for entry in files])  # before any GET
        downloads = self._open(run, files)
        try:
            self._fits(run, source_id, [download.size for download in downloads])
            draft = records.create(identity, self._data(metadata, files,
                                                         run.options.get("doi_policy")))
            try:
                self._store(identity, run, source_id, draft.id, downloads)
            except Exception:
                self._discard(draft.id)
                raise
        finally:
            close_all(downloads)
        records.review.update(identity, draft.id, {
            "receiver": {"community": community_id}, "type": "community-submission"})
        request = records.review.submit(identity, draft.id)
        if request.data["status"] == "submitted" and run.options.get("bypass_review"):
            requests.execute_action(system_identity, request.id, "accept")
        return draft.id

    def _change(self, run, source_id, recid, metadata, files):
        """The source item changed: (the work's id, how). Its metadata alone: the work is
        edited; its files: a new version of the work."""
        try:
            records.read(system_identity, recid)
            published = True
        except (PIDDoesNotExistError, PIDUnregistered):  # submitted, not yet published
            published = False
        stored = self._stored(recid, published)
        different = changed(files, stored)
        gone = set(stored) - {entry["key"] for entry in files}
        if not different and not gone:
            self._edit(recid, metadata, published)
            return recid, None
        if not published:
            raise FileProblem("its files changed at the source while the work waits for "
                              "the curators' decision; run the import again after it")
        self._fits(run, source_id, [entry.get("size") for entry in different])
        downloads = self._open(run, different)
        try:
            self._fits(run, source_id, [download.size for download in downloads])
            draft = records.new_version(system_identity, recid)
            try:
                data = {**draft.to_dict(), "metadata": metadata,
                        "files": {"enabled": bool(files)},
                        **self._kept_doi(metadata, run.options.get("doi_policy"))}
                records.update_draft(system_identity, draft.id, data)
                if files and stored:
                    records.import_files(system_identity, draft.id)
                    for key in gone | ({d.entry["key"] for d in downloads} & set(stored)):
                        records.draft_files.delete_file(system_identity, draft.id, key)
                self._store(system_identity, run, source_id, draft.id, downloads)
                records.publish(system_identity, draft.id)
            except Exception:
                self._discard(draft.id)
                raise
        finally:
            close_all(downloads)
        keys = ", ".join(sorted({d.entry["key"] for d in downloads} | gone))
        return draft.id, f"new version (files changed: {keys})"

    @staticmethod
    def _edit(recid, metadata, published):
        """Edit the work's metadata (or its draft's, still under review)."""
        if not published:
            draft = records.read_draft(system_identity, recid)
            records.update_draft(system_identity, recid, {**draft.to_dict(),
                                                          "metadata": metadata})
            return
        draft = records.edit(system_identity, recid)
        data = {**draft.to_dict(), "metadata": metadata}
        records.update_draft(system_identity, recid, data)
        records.publish(system_identity, recid)

    @staticmethod
    def _tombstone(recid, source_id):
        reason = current_app.config.get("CONSORTIUM_IMPORT_REMOVAL_REASON", "take-down-request")
        records.delete_record(system_identity, recid, {
            "removal_reason": {"id": reason},
            "note": f"Withdrawn from the source repository ({source_id}).",
            "is_visible": True})
