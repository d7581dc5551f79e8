"""Records service component: the library's name as publisher, a DOI when its
library (or the consortium) has a DataCite account, unless whoever publishes the deposit
on someone's behalf chose none (the core's `publication_choice`: an import run's DOI
policy); the tenant service's component: the library's DOI prefix for the core."""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_i18n import lazy_gettext as _
from marshmallow import ValidationError

from ..proxies import current_tenants_service
from ..tenants.components import TenantServiceComponent
from ..tenants.library import library_of_deposit
from .accounts import UnreadableAccount, account_of_library, account_of_prefix
from .models import DataCiteAccountModel


def publisher_of(tenant):
    """The publisher a library's works name: its name in CONSORTIUM_DATACITE_PUBLISHER_LANGUAGE."""
    if tenant is None:
        return current_app.config["CONSORTIUM_DATACITE_DEFAULT_PUBLISHER"]
    names = tenant.names or {}
    return names.get(current_app.config["CONSORTIUM_DATACITE_PUBLISHER_LANGUAGE"]) \
        or names.get("en") or tenant.short_name


def concept_prefix(record):
    """The prefix of RECORD's concept DOI (earlier versions), or None."""
    parent = getattr(record, "parent", None)
    doi = ((parent.get("pids") or {}).get("doi") or {}).get("identifier") if parent else None
    return doi.split("/", 1)[0] if doi else None


def account_for_deposit(library, concept_doi, version_index):
    """The account publishing a deposit mints its DOI with, or None: its concept's
    (CONCEPT_DOI), else for a first version its LIBRARY's (or the consortium's).
    Later versions of a work without our concept DOI get none (RDM's optional DOI)."""
    if concept_doi:
        return account_of_prefix(concept_doi.split("/", 1)[0])
    if version_index > 1:
        return None
    return account_of_library(library)


def account_for(draft):
    """The account a DOI of DRAFT comes from (`account_for_deposit`)."""
    parent = getattr(draft, "parent", None)
    concept = ((parent.get("pids") or {}).get("doi") or {}).get("identifier") if parent else None
    return account_for_deposit(library_of_deposit(system_identity, record=draft), concept,
                               draft.versions.index or 1)


class LibraryDOIComponent(ServiceComponent):
    """Runs before RDM's PIDs component on publish (the DOI is required only where an
    account exists: RDM_PERSISTENT_IDENTIFIERS["doi"]["required"] is False)."""

    def publish(self, identity, draft=None, record=None):
        library = library_of_deposit(system_identity, record=draft)
        if not draft.metadata.get("publisher"):
            draft.metadata["publisher"] = publisher_of(library)
        if "doi" in (draft.get("pids") or {}) or "doi" in (record.get("pids") or {}):
            return
        if draft["access"]["record"] == "restricted":
            return
        if current_tenants_service.publication_choice(draft, "doi") == "none":
            return
        try:
            account = account_for(draft)
        except UnreadableAccount:
            raise ValidationError(message=_(
                "The DataCite account of this library cannot be used: its password cannot "
                "be decrypted. The work is not published, so that it does not go without "
                "its DOI; the consortium administrators must set the account's password "
                "again."), field_name="pids.doi")
        if account is not None:
            draft.pids = {**(draft.pids or {}), "doi": {"provider": "datacite"}}


class DOITenantComponent(TenantServiceComponent):
    """The tenant service's view of DOIs: the prefix a library's new works get."""

    def doi_prefix(self, tenant):
        try:
            account = account_of_library(tenant)
        except UnreadableAccount:  # it has its prefix; publishing says what is wrong
            return db.session.get(DataCiteAccountModel, tenant.id).prefix
        return account.prefix if account is not None else None
