"""Importing a library's existing repository over OAI-PMH (`oai_dc`), idempotently.

A run harvests the source (incremental from the start of the last finished run over the
same source), maps each item (dublincore.py) and gives it exactly one state with its
reason, kept with the original XML and the mapped payload:
- created: a new work, submitted to the library (published at once when the library's
  workflow publishes directly or the run bypasses the curators' queue);
- updated: the source item changed since it was imported: the work is EDITED (a new
  revision of the same version, the DOI and the address stay; not a new version: the
  source changed its record, not the work);
- unchanged: its mapped payload is the one imported before;
- deleted: withdrawn at the source (a deleted header): the work becomes a tombstone;
- failed: not mappable or refused by InvenioRDM, with the message.
A dry run maps and decides the same way and writes nothing but its report. Each item is
committed on its own: a stopped run keeps what it did, and a new run resumes without
duplicates (the source item → record table).
"""

import hashlib
import json
import uuid
from datetime import datetime, timezone

from flask import current_app
from invenio_i18n import gettext as _
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_pidstore.errors import PIDDoesNotExistError, PIDUnregistered
from invenio_rdm_records.proxies import current_rdm_records_service as records
from invenio_requests.proxies import current_requests_service as requests
from lxml import etree
from marshmallow import ValidationError

from ..tenants.errors import TenantNotFound
from .dublincore import DC, licence_key, map_oai_dc
from .models import ImportedItemModel, ImportItemModel, ImportRunModel

STATES = ("created", "updated", "unchanged", "deleted", "failed")
AGREEMENT_FIELD = "consortium:deposit_agreement"  # the workflows feature's field


def digest(metadata):
    """The hash of a mapped payload (stable key order)."""
    text = json.dumps(metadata, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def dc_fields(element):
    """element name → [texts] of the Dublin Core elements inside ELEMENT (a harvested record)."""
    fields = {}
    for field in element.iter(f"{{{DC}}}*"):
        fields.setdefault(etree.QName(field).localname, []).append(field.text or "")
    return fields


def licences():
    """Normalised licence URL → licence id, from the licences vocabulary."""
    from invenio_vocabularies.proxies import current_service as vocabularies

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
    from invenio_access.permissions import authenticated_user
    from invenio_access.utils import get_identity
    from invenio_accounts.models import User
    from invenio_communities.generators import CommunityRoleNeed
    from invenio_communities.proxies import current_communities

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
            "error": run.error, "created": run.created.isoformat(),
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

    def items(self, identity, slug, run_id, state=None, with_payload=False):
        _, run = self._run(identity, slug, run_id)
        query = ImportItemModel.query.filter_by(run_id=run.id)
        if state:
            query = query.filter_by(state=state)
        return [self.dump_item(item, with_payload) for item in
                query.order_by(ImportItemModel.id)]

    # --- running ---------------------------------------------------------------
    def start(self, identity, slug, url, set_spec=None, dry_run=False, bypass_review=False,
              full=False):
        """A new run over the OAI-PMH source URL (SET), incremental unless FULL."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_imports", tenant)
        source = {"kind": "oai", "url": url, "set": set_spec or None, "prefix": "oai_dc"}
        last = None if full or dry_run else (
            ImportRunModel.query.filter_by(tenant_id=tenant.id, status="finished")
            .filter(ImportRunModel.source == source)
            .filter(ImportRunModel.options["dry_run"].as_boolean().is_(False))
            .order_by(ImportRunModel.created.desc()).first())
        run = ImportRunModel(
            tenant_id=tenant.id, source=source, status="running",
            options={"dry_run": bool(dry_run), "bypass_review": bool(bypass_review)},
            harvest_from=last.created.strftime("%Y-%m-%dT%H:%M:%SZ") if last else None,
            counts={}, started_by=identity.id if isinstance(identity.id, int) else None)
        db.session.add(run)
        db.session.commit()
        return run

    def submit(self, identity, slug, data):
        """Start a run (REST, the page): checked, recorded, processed by a worker."""
        from .schema import StartSchema
        from .tasks import run_import

        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_imports", tenant)
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        data = StartSchema().load(data)
        run = self.start(identity, slug, data["url"], data["set"], data["dry_run"],
                         data["bypass_review"], data["full"])
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
        """The source's records (headers and oai_dc metadata) of RUN, all pages."""
        from sickle import Sickle
        from sickle.oaiexceptions import NoRecordsMatch

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
            state, reason, mapped, recid = self._one(identity, run, community_id, record,
                                                     vocabulary)
            db.session.add(ImportItemModel(
                run_id=run.id, source_id=record.header.identifier,
                datestamp=record.header.datestamp, state=state, reason=reason,
                original=record.raw, mapped=mapped, recid=recid))
            run.done += 1
            run.counts = {**run.counts, state: run.counts.get(state, 0) + 1}
            db.session.commit()
            if progress:
                progress(1)
        return self._end(run, "finished")

    def _community_id(self, run):
        from ..tenants.models import TenantModel

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
        metadata, problems = map_oai_dc(dc_fields(record.xml), source_id, vocabulary)
        if problems:
            return "failed", "; ".join(problems), None, known.recid if known else None
        payload_digest = digest(metadata)
        if known is not None and not known.deleted and known.digest == payload_digest:
            return "unchanged", None, metadata, known.recid
        if dry:
            state = "updated" if known is not None and not known.deleted else "created"
            return state, "dry run", metadata, known.recid if known else None
        try:
            if known is not None and not known.deleted:
                self._edit(identity, known.recid, metadata)
                known.digest = payload_digest
                return "updated", None, metadata, known.recid
            recid = self._create(identity, run, community_id, metadata)
        except ValidationError as error:
            db.session.rollback()
            return "failed", json.dumps(error.normalized_messages(), ensure_ascii=False), \
                metadata, None
        except Exception as error:  # InvenioRDM refused it: the item fails, the run goes on
            db.session.rollback()
            current_app.logger.warning("import %s: %s failed: %r", run.id, source_id, error,
                                       exc_info=True)
            return "failed", f"{type(error).__name__}: {error}", metadata, None
        if known is None:
            db.session.add(ImportedItemModel(tenant_id=run.tenant_id, source_id=source_id,
                                             recid=recid, digest=payload_digest))
        else:  # imported, deleted at the source, and back
            known.recid, known.digest, known.deleted = recid, payload_digest, False
        return "created", None, metadata, recid

    @staticmethod
    def _data(metadata):
        return {"access": {"record": "public", "files": "public"},
                "files": {"enabled": False},
                "metadata": metadata,
                "custom_fields": {AGREEMENT_FIELD: True}}

    def _create(self, identity, run, community_id, metadata):
        draft = records.create(identity, self._data(metadata))
        records.review.update(identity, draft.id, {
            "receiver": {"community": community_id}, "type": "community-submission"})
        request = records.review.submit(identity, draft.id)
        if request.data["status"] == "submitted" and run.options.get("bypass_review"):
            requests.execute_action(system_identity, request.id, "accept")
        return draft.id

    def _edit(self, identity, recid, metadata):
        """The source item changed: edit the work (or its draft still under review)."""
        try:
            records.read(system_identity, recid)
        except (PIDDoesNotExistError, PIDUnregistered):  # submitted, not yet published
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
