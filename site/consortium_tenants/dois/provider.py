"""A DataCite PID provider that calls the account of the record's library.

InvenioRDM's provider holds one client configured by `DATACITE_*`. This one
chooses the account at call time:

- a new DOI is minted with the account of the record's library
  (`tenants.library`), else the consortium's; a concept DOI gets the prefix of
  its first version's DOI (RDM passes it), so it comes from the same account;
- an existing DOI is always sent to the account that owns its prefix, so a new
  version, an edit or a deletion goes where the DOI was minted, even after the
  record moved to another library.

DataCite refusing or unreachable never fails the operation: the DOI keeps its
status (`new`/`reserved`), the failure is recorded with the operation that failed
(`failures.py`) and the beat task `retry_failed_registrations` replays that
operation later (`retry.py`): a failed hide is retried as a hide.
"""

import json

import idutils
import requests
from datacite import DataCiteRESTClient
from datacite.errors import (
    DataCiteError,
    DataCiteForbiddenError,
    DataCiteUnauthorizedError,
    HttpError,
)
from flask import current_app, g
from invenio_access.permissions import system_identity
from invenio_i18n import lazy_gettext as _
from invenio_pidstore.models import PIDStatus
from invenio_rdm_records.services.pids.providers import DataCitePIDProvider
from invenio_rdm_records.services.pids.providers.base import PIDProvider
from invenio_rdm_records.services.pids.providers.external import BlockedPrefixes
from invenio_rdm_records.utils import ChainObject
from marshmallow import ValidationError

from ..origin import primary_origin
from ..tenants.library import library_of_deposit
from . import failures
from .accounts import account_of_prefix, account_of_record, consortium_account, record_error
from .components import concept_prefix
from .models import DataCiteAccountModel


class LibraryDataCiteClient:
    """The provider's client: only its name is stored on records (`client`)."""

    def __init__(self, name="datacite"):
        self.name = name


def rest_client(account):
    """A DataCite REST client of ACCOUNT, on CONSORTIUM_DATACITE_URLS of its mode."""
    urls = current_app.config["CONSORTIUM_DATACITE_URLS"]
    return DataCiteRESTClient(
        account.repository_id, account.password, account.prefix, test_mode=False,
        url=urls["test" if account.test_mode else "production"],
        timeout=current_app.config["CONSORTIUM_DATACITE_TIMEOUT"],
    )


def _restricted(record):
    access = record._child["access"] if isinstance(record, ChainObject) else record["access"]
    return access["record"] == "restricted"


def library_of(record):
    """The library RECORD (a version, or a parent ChainObject) belongs to now, or None."""
    version = record._child if isinstance(record, ChainObject) else record
    return library_of_deposit(system_identity, record=version) if version is not None else None


def landing_url(record, url):
    """The page DataCite sends readers of RECORD's DOI to: `/records/<id>` on its
    library's own host (a concept DOI: the parent's id, which shows the latest
    version); URL (RDM's, on SITE_UI_URL) for a work of no library."""
    library = library_of(record)
    if library is None:
        return url
    target = record._parent if isinstance(record, ChainObject) else record
    return f"{primary_origin(library)}/records/{target.pid.pid_value}"


class LibraryDataCitePIDProvider(DataCitePIDProvider):
    """DOIs of each library under its own DataCite account."""

    def __init__(self, id_, serializer=None, **kwargs):
        super().__init__(id_, client=LibraryDataCiteClient(id_), serializer=serializer, **kwargs)

    # --- minting -------------------------------------------------------------
    def generate_id(self, record, prefix=None, **kwargs):
        """PREFIX's account (a concept DOI: its version's), else the record's concept's
        or library's."""
        prefix = prefix or concept_prefix(record) or _minted_for_parent(record)
        account = account_of_prefix(prefix) if prefix else account_of_record(record)
        if account is None:
            raise ValidationError(
                message=_("This library has no DataCite account: its works get no DOI."),
                field_name="pids.doi")
        parent = getattr(record, "parent", None)
        if parent is not None:  # its concept DOI, minted next, comes from the same account
            g.setdefault("consortium_doi_prefixes", {})[str(parent.id)] = account.prefix
        doi_format = current_app.config.get("DATACITE_FORMAT", "{prefix}/{id}")
        if callable(doi_format):
            return doi_format(account.prefix, record)
        return doi_format.format(prefix=account.prefix, id=record.pid.pid_value)

    # --- DataCite calls --------------------------------------------------------
    def _call(self, pid, record, action, operation):
        """Run ACTION(api) with the account of PID's prefix; True when DataCite took it.

        A refusal or an outage is recorded (with OPERATION, what the retry task replays)
        and reported, never raised.
        """
        prefix = pid.pid_value.split("/", 1)[0]
        account = account_of_prefix(prefix)
        if account is None:
            message = ("The DataCite account of this prefix cannot be used: its password "
                       "cannot be decrypted (CONSORTIUM_DATACITE_KEYS)."
                       if DataCiteAccountModel.query.filter_by(prefix=prefix).count()
                       else "No DataCite account owns this prefix.")
            failures.record(pid, record, message, library_of(record), operation)
            return False
        try:
            action(rest_client(account))
        except (DataCiteError, HttpError, requests.RequestException) as error:
            message = _describe(error)
            current_app.logger.warning("DataCite (%s) refused %s: %s",
                                       account.label, pid.pid_value, message)
            if isinstance(error, (DataCiteUnauthorizedError, DataCiteForbiddenError)):
                record_error(account, message)
            # under the consortium's account: shown to the library whose work failed
            failures.record(pid, record, message, account.tenant or library_of(record),
                            operation)
            return False
        record_error(account, None)
        failures.clear(pid)
        return True

    def register(self, pid, record, url=None, **kwargs):
        """Make the DOI findable, then mark it registered (not before: a refused DOI
        stays reserved and is retried). A retry whose DOI DataCite already took (its
        answer was lost) updates it instead."""
        if _restricted(record):
            return False
        doc = self.serializer.dump_obj(record)
        url = landing_url(record, url)

        def publish(api):
            try:
                api.public_doi(metadata=dict(doc), url=url, doi=pid.pid_value)
            except DataCiteError as error:
                if "already been taken" not in str(error.args[0] if error.args else ""):
                    raise
                api.update_doi(metadata={**doc, "event": "publish"}, doi=pid.pid_value, url=url)

        if not self._call(pid, record, publish, "register"):
            return False
        return PIDProvider.register(self, pid)

    def update(self, pid, record, url=None, **kwargs):
        """Send edited metadata (or hide the DOI of a record now restricted)."""
        if _restricted(record):
            operation, action = "hide", lambda api: api.hide_doi(doi=pid.pid_value)  # noqa: E731
        else:
            doc = {**self.serializer.dump_obj(record), "event": "publish"}
            url = landing_url(record, url)
            operation = "update"
            action = lambda api: api.update_doi(metadata=doc, doi=pid.pid_value, url=url)  # noqa: E731
        if not self._call(pid, record, action, operation):
            return False
        if pid.is_deleted():
            return pid.sync_status(PIDStatus.REGISTERED)
        return True

    def restore(self, pid, record=None, **kwargs):
        """Make a DOI findable again when its record is restored."""
        self._call(pid, record, lambda api: api.show_doi(pid.pid_value), "show")

    def delete(self, pid, record=None, **kwargs):
        """Hide a registered DOI (tombstone); a reserved one was never sent to DataCite."""
        if pid.is_registered():
            if not self._call(pid, record, lambda api: api.hide_doi(pid.pid_value), "hide"):
                return False
        failures.clear(pid)
        return PIDProvider.delete(self, pid, **kwargs)

    def replay_visibility(self, pid, operation):
        """Hide or show PID's DOI again (dois.retry): a failed hide stays a hide."""
        action = {"hide": lambda api: api.hide_doi(pid.pid_value),
                  "show": lambda api: api.show_doi(pid.pid_value)}[operation]
        return self._call(pid, None, action, operation)

    def validate(self, record, identifier=None, provider=None, **kwargs):
        """A DOI of a known account's prefix, and a publisher (publishers.py fills it)."""
        success, errors = PIDProvider.validate(self, record, identifier, provider, **kwargs)
        if identifier is not None and (not idutils.is_doi(identifier)
                                       or account_of_prefix(identifier.split("/", 1)[0]) is None):
            self._insert_pid_type_error_msg(
                errors, _("No DataCite account of this platform owns the prefix of %(doi)s.",
                          doi=identifier))
        if not record.get("metadata", {}).get("publisher"):
            errors.append({"field": "metadata.publisher", "messages": [
                _("Missing publisher field required for DOI registration.")]})
        return not errors, errors


def _minted_for_parent(record):
    """The prefix of the version DOI just minted in this publication, when RECORD is
    its parent (RDM passes the prefix only when the version's DOI is on the draft)."""
    return g.get("consortium_doi_prefixes", {}).get(str(getattr(record, "id", "")))


def _describe(error):
    """One line about ERROR for people: DataCite's status and first message."""
    if isinstance(error, (HttpError, requests.RequestException)):  # the client wraps them
        return f"DataCite unreachable: {error.__class__.__name__}"
    text = error.args[0] if error.args else ""
    try:
        first = json.loads(text)["errors"][0]
        return f"{first.get('status', '?')}: {first.get('title', '')}"
    except (ValueError, KeyError, IndexError, TypeError):
        return f"{error.__class__.__name__}: {str(text)[:200]}"


class LibraryPrefixes(BlockedPrefixes):
    """Validator of the external DOI provider: no library's prefix can be typed in
    as an external DOI (those DOIs are minted here)."""

    def __init__(self):
        super().__init__(config_names=[])

    @property
    def prefixes(self):
        fallback = consortium_account()
        prefixes = {row.prefix for row in DataCiteAccountModel.query.all()}
        return sorted(prefixes | ({fallback.prefix} if fallback else set()))
