"""The open-access policy as an invenio-checks check of each library that has a policy.

invenio-checks runs it with the library's other checks when a draft is saved, submitted
and published, shows its findings in the deposit form and on the curators' request page
(tab *Open-access policy*), and refuses submission and publication while an error
remains. Findings are errors when the library chose `error` and the depositor stated no
reason (`custom_fields["consortium:oa_exception"]`), else warnings; the reason is kept
in the run's result for the curators.
"""

from dataclasses import dataclass
from typing import Optional

from invenio_checks.base import Check
from invenio_checks.contrib.metadata.check import CheckResult
from invenio_checks.models import CheckConfig, Severity
from invenio_db import db
from invenio_i18n import lazy_gettext as _

from ..i18n import localized
from ..tenants.models import TenantModel
from .rules import REASON_FIELD, problems
from .policy import policy_of


@dataclass
class OaCheckResult(CheckResult):
    """A check result with the depositor's reason for an exception."""

    reason: Optional[str] = None


def stated_reason(draft):
    """The depositor's reason for departing from the policy, or None."""
    reason = (draft.get("custom_fields") or {}).get(REASON_FIELD)
    return reason.strip() or None if isinstance(reason, str) else None


class OaPolicyCheck(Check):
    """The open-access policy of the member library owning the configuration's community."""

    id = "consortium-oa-policy"
    title = _("Open-access policy of the library")
    description = _("Licences, embargo by resource type, funding.")
    sort_order = 6
    judged_afresh = True
    """Run again when a draft is read (in the reader's language), submitted, published."""

    def validate_config(self, config):
        if config:
            raise ValueError("The policy is edited at /api/tenants/<slug>/oa-policy.")
        return True

    def run(self, record, config):
        result = OaCheckResult(self.id)
        tenant = TenantModel.of_community(config.community_id)
        if tenant is None:
            return result
        policy = policy_of(tenant)
        result.reason = stated_reason(record)
        severity = "error" if policy["severity"] == "error" and not result.reason \
            else "warning"
        found = problems(record, policy, localized(tenant.names))
        result.add_errors([{**error, "severity": severity, "description": ""}
                           for error in found])
        result.success = severity != "error" or not found
        return result


def enable(tenant):
    """Switch the policy check on for the library's community (idempotent)."""
    exists = CheckConfig.query.filter_by(community_id=tenant.community_id,
                                         check_id=OaPolicyCheck.id).one_or_none()
    if exists is None:
        db.session.add(CheckConfig(community_id=tenant.community_id,
                                   check_id=OaPolicyCheck.id, params={},
                                   severity=Severity.FAIL, enabled=True))
