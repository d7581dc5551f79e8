"""The library's workflow in the records service (REST API and deposit form alike).

- `closed` libraries accept drafts and submissions only from their managers and
  curators (403 otherwise);
- a new draft without a licence gets the library's default licence;
- before a submission or a publication the library's rules are checked afresh
  (the check run is what invenio-checks' own component then enforces: 400 with
  field errors). Runs before `DefaultRecordsComponents`.
"""

from contextlib import contextmanager

from flask import current_app
from invenio_checks.api import ChecksAPI
from invenio_checks.components import ChecksComponent as BaseChecksComponent
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.errors import ValidationErrorGroup
from invenio_i18n import gettext as _
from invenio_rest.errors import RESTException

from ..i18n import localized
from ..proxies import current_tenants_service
from ..tenants.library import library_of_community, library_of_deposit
from . import checks
from .rules import preset_of, rules_of


class DepositClosedError(RESTException):
    """403: the library takes deposits from its managers and curators only."""

    code = 403

    def __init__(self, tenant):
        super().__init__(description=_(
            "%(library)s accepts deposits from its managers and curators only.",
            library=localized(tenant.names)))


def may_deposit(identity, tenant):
    """Whether IDENTITY may deposit into TENANT under its preset."""
    return preset_of(tenant) != "closed" or _is_curator(identity, tenant)


def _is_curator(identity, tenant):
    """Whether IDENTITY curates TENANT's submissions (its curators, managers, staff)."""
    return current_tenants_service.check_permission(identity, "read_submissions", record=tenant)


def _receiver_community(draft):
    """Id of the community the draft's review request goes to, or None."""
    review = draft.get_review() if draft is not None else None
    if review is None:
        return None
    return review.receiver.reference_dict.get("community")


class VersionReviewPolicy:
    """New versions in a mediated library go to its curators, as first versions do.

    `RDM_NEW_RECORD_VERSION_REVIEW_POLICY`: RDM then opens a review request on
    the version's draft, to the record's library, which blocks direct publishing.
    """

    @classmethod
    def requires_review(cls, identity, draft):
        community = draft.parent.communities.default
        tenant = library_of_community(community.id) if community is not None else None
        return (tenant is not None and preset_of(tenant) == "mediated"
                and not _is_curator(identity, tenant))


def _destinations(draft):
    """Ids of the communities DRAFT goes to: its review's receiver and its communities."""
    community_ids = {str(c) for c in (draft.parent.communities.ids or [])}
    receiver = _receiver_community(draft)
    if receiver is not None:
        community_ids.add(str(receiver))
    return community_ids


def _deposit_tenant(identity, record, data):
    """The library a new deposit goes to, or None (also for a member of several, whom
    the storage component asks to choose)."""
    return library_of_deposit(identity, record, data)


def _checks_enabled():
    return current_app.config.get("CHECKS_ENABLED", False)


class ChecksComponent(BaseChecksComponent):
    """invenio-checks' component, as the deposit form needs it.

    - A new draft is checked at once against the rules of its library: the
      form saves a new draft before it creates the review request (which
      starts upstream's checks), and warns only about the save's own errors.
    - Runs of libraries the draft no longer goes to do not count; a read
      judges the draft by the rules afresh, in the reader's language.
    - Errors leave in the form's shape (`checks.form_errors`). Upstream's
      `read_draft` also replaced the service's error list by a new one, so the
      form never saw them.
    """

    def create(self, identity, data=None, record=None, errors=None, **kwargs):
        tenant = _deposit_tenant(identity, record, data) if _checks_enabled() else None
        if tenant is not None and errors is not None:
            runs = checks.rerun(record, {tenant.community_id}, self.uow)
            errors.extend(checks.form_errors(self._extract_run_errors(runs)))

    def read_draft(self, identity, draft=None, errors=None, **kwargs):
        if _checks_enabled() and errors is not None:
            destinations = _destinations(draft)
            runs = [run for run in ChecksAPI.get_runs(draft)
                    if not (destinations and checks.is_stale(run, destinations))]
            errors.extend(checks.form_errors(checks.current_errors(draft, runs)))

    def update_draft(self, identity, data=None, record=None, errors=None, **kwargs):
        destinations = _destinations(record)
        if destinations and _checks_enabled():
            checks.drop_stale_runs(record, destinations, self.uow)
        found = []
        super().update_draft(identity, data=data, record=record, errors=found, **kwargs)
        errors.extend(checks.form_errors(found))

    def submit_record(self, identity, **kwargs):
        with _form_shaped_errors():
            super().submit_record(identity, **kwargs)

    def publish(self, identity, **kwargs):
        with _form_shaped_errors():
            super().publish(identity, **kwargs)


@contextmanager
def _form_shaped_errors():
    """Re-raise invenio-checks' refusal with its errors in the form's shape."""
    try:
        yield
    except ValidationErrorGroup as error:
        raise ValidationErrorGroup(errors=checks.form_errors(error.errors)) from error


def records_components(defaults):
    """DEFAULTS with invenio-checks' component replaced by ours."""
    return [ChecksComponent if c is BaseChecksComponent else c for c in defaults]


class WorkflowComponent(ServiceComponent):
    """Enforce the preset and keep the rules check current."""

    def create(self, identity, data=None, record=None, **kwargs):
        tenant = _deposit_tenant(identity, record, data)
        if tenant is None:
            return
        if not may_deposit(identity, tenant):
            raise DepositClosedError(tenant)
        metadata = data.setdefault("metadata", {})
        default_license = rules_of(tenant)["default_license"]
        if default_license and not metadata.get("rights"):
            metadata["rights"] = [{"id": default_license}]

    def submit_record(self, identity, data=None, record=None, **kwargs):
        community_id = _receiver_community(record)
        tenant = library_of_community(community_id)
        if tenant is not None and not may_deposit(identity, tenant):
            raise DepositClosedError(tenant)
        checks.rerun(record, {community_id} if community_id is not None else set(), self.uow)

    def publish(self, identity, draft=None, record=None, **kwargs):
        checks.rerun(draft, _destinations(draft), self.uow)
