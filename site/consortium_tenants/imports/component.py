"""The import feature in the tenant service (CONSORTIUM_TENANT_SERVICE_COMPONENTS): the
choices of the run that imported a deposit, for the features acting at its publication
(the DOI policy: `doi_policy` of the run's options, read as the choice "doi").

While a run publishes a work itself (`PUBLISHING`, set around each item), its options
answer; a work published later (its curators accepted it) is found by its id among the
runs' items."""

from contextvars import ContextVar

from invenio_db import db

from ..tenants.components import TenantServiceComponent
from .models import ImportItemModel, ImportRunModel

PUBLISHING = ContextVar("consortium_import_publishing", default=None)
"""The options of the import run working on an item in this context, or None."""

DOI_CHOICE = {"keep": "none", "none": "none"}
"""The choice "doi" of a run's DOI policy: no DOI minted here (`keep`: a work keeps the
source's DOI, set at its creation, or has none); `new`: the library's usual (None)."""


def run_options_of(record):
    """The options of the last run that created or updated RECORD (a draft or record of
    an imported item), or None."""
    recid = record.get("id") if record is not None else None
    sources = [entry.get("identifier") for entry in
               (record.get("metadata") or {}).get("identifiers", []) or []
               if entry.get("scheme") == "other"] if recid else []
    if not sources:  # an imported work keeps its source's identifier as `other`
        return None
    found = (db.session.query(ImportRunModel.options)
             .join(ImportItemModel, ImportItemModel.run_id == ImportRunModel.id)
             .filter(ImportItemModel.recid == recid, ImportItemModel.source_id.in_(sources))
             .order_by(ImportItemModel.id.desc()).first())
    return found[0] if found else None


class ImportTenantComponent(TenantServiceComponent):
    """What the import run chose for the works it brings."""

    def publication_choice(self, record, name):
        if name != "doi":
            return None
        options = PUBLISHING.get()
        if options is None:
            options = run_options_of(record)
        return DOI_CHOICE.get((options or {}).get("doi_policy"))
