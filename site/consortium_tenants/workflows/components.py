"""The library's workflow in the records service (REST API and deposit form alike).

- `closed` libraries accept drafts and submissions only from their managers and
  curators (403 otherwise);
- a new draft without a licence gets the library's default licence;
- before a submission or a publication the library's rules are checked afresh
  (the check run is what invenio-checks' own component then enforces: 400 with
  field errors). Runs before `DefaultRecordsComponents`.
"""

from flask import current_app
from invenio_checks.api import ChecksAPI
from invenio_checks.components import ChecksComponent as BaseChecksComponent
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_rest.errors import RESTException
from marshmallow import ValidationError

from ..deposits.library import tenant_for_deposit
from ..i18n import text
from ..tenants.components import library_of
from ..tenants.models import TenantModel
from ..tenants.permissions import curator_permission
from . import checks
from .rules import preset_of, rules_of


class DepositClosedError(RESTException):
    """403: the library takes deposits from its managers and curators only."""

    code = 403

    def __init__(self, tenant):
        name = text(tenant.names["cs"], tenant.names["en"])
        super().__init__(description=text(
            f"Do knihovny {name} vkládají jen její správci a kurátoři.",
            f"{name} accepts deposits from its managers and curators only."))


def may_deposit(identity, tenant):
    """Whether IDENTITY may deposit into TENANT under its preset."""
    return preset_of(tenant) != "closed" or curator_permission(tenant.slug).allows(identity)


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
        tenant = library_of(draft.parent.communities.default)
        return (tenant is not None and preset_of(tenant) == "mediated"
                and not curator_permission(tenant.slug).allows(identity))


class ChecksComponent(BaseChecksComponent):
    """invenio-checks' component, reporting check errors when a draft is read.

    Its `read_draft` replaces the service's empty error list by a new one
    (`errors = errors or []`), so the deposit form never saw the results.
    """

    def read_draft(self, identity, draft=None, errors=None, **kwargs):
        if current_app.config.get("CHECKS_ENABLED", False) and errors is not None:
            errors.extend(self._extract_run_errors(ChecksAPI.get_runs(draft)))


def records_components(defaults):
    """DEFAULTS with invenio-checks' component replaced by ours."""
    return [ChecksComponent if c is BaseChecksComponent else c for c in defaults]


class WorkflowComponent(ServiceComponent):
    """Enforce the preset and keep the rules check current."""

    def create(self, identity, data=None, record=None, **kwargs):
        try:
            tenant = tenant_for_deposit(identity, record, data)
        except ValidationError:  # several libraries: the storage component explains
            return
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
        tenant = TenantModel.of_community(community_id)
        if tenant is not None and not may_deposit(identity, tenant):
            raise DepositClosedError(tenant)
        checks.rerun(record, {community_id} if community_id is not None else set(), self.uow)

    def publish(self, identity, draft=None, record=None, **kwargs):
        community_ids = {str(c) for c in (draft.parent.communities.ids or [])}
        receiver = _receiver_community(draft)
        if receiver is not None:
            community_ids.add(str(receiver))
        checks.rerun(draft, community_ids, self.uow)
