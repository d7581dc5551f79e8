"""The library's workflow in the records service (REST API and deposit form alike).

- `closed` libraries accept drafts and submissions only from their managers and
  curators (403 otherwise);
- a new draft without a licence gets the library's default licence;
- before a submission or a publication the library's rules are checked afresh
  (the check run is what invenio-checks' own component then enforces: 400 with
  field errors). Runs before `DefaultRecordsComponents`.
"""

from flask import current_app
from flask_principal import RoleNeed
from invenio_checks.api import ChecksAPI
from invenio_checks.components import ChecksComponent as BaseChecksComponent
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_rest.errors import RESTException
from marshmallow import ValidationError

from ..deposits.library import tenant_for_deposit, tenants_of_record
from ..i18n import text
from ..tenants.models import TenantModel
from ..tenants.permissions import admin_permission, role_name
from . import checks
from .rules import preset_of, rules_of
from .service import is_curator


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
    if preset_of(tenant) != "closed":
        return True
    groups = current_app.config["CONSORTIUM_WORKFLOW_CLOSED_GROUPS"]
    provided = identity.provides
    return (any(RoleNeed(role_name(tenant.slug, g)) in provided for g in groups)
            or admin_permission().allows(identity))


def _receiver_community(draft):
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
        if community is None:
            return False
        tenant = TenantModel.query.filter_by(community_id=str(community.id)).one_or_none()
        return (tenant is not None and preset_of(tenant) == "mediated"
                and not is_curator(identity, tenant))


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
        for tenant in tenants_of_record(record):
            if str(tenant.community_id) == str(community_id) and not may_deposit(identity, tenant):
                raise DepositClosedError(tenant)
        checks.rerun(record, {community_id} - {None}, self.uow)

    def publish(self, identity, draft=None, record=None, **kwargs):
        community_ids = {str(c) for c in (draft.parent.communities.ids or [])}
        community_ids |= {str(_receiver_community(draft))} - {"None"}
        checks.rerun(draft, community_ids, self.uow)
