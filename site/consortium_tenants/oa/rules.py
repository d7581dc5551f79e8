"""How a draft is judged against its library's open-access policy.

`problems(draft, policy, library)` lists the breaches as service field errors
(`{"field", "messages"}`) in the request's language. Versions and data availability
are stated in a policy but not tested: RDM records no version type nor project end.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from invenio_i18n import gettext as _

REASON_FIELD = "consortium:oa_exception"
"""Custom field in which a depositor states why the work departs from the policy."""


def allowed_embargo(policy, type_id):
    """The longest embargo in months POLICY allows for resource type TYPE_ID (None: any).

    The most specific entry of `embargo_by_resource_type` wins (`publication-article`
    before `publication`), else `max_embargo_months`."""
    by_type = policy.get("embargo_by_resource_type") or {}
    matches = [key for key in by_type
               if type_id and (type_id == key or type_id.startswith(key + "-"))]
    if matches:
        return by_type[max(matches, key=len)]
    return policy.get("max_embargo_months")


def embargo_months(until, today=None):
    """Whole months from TODAY to UNTIL, a started month counted as one."""
    today = today or date.today()
    until = until.date() if isinstance(until, datetime) else until
    months = 0
    while today + relativedelta(months=months) < until:
        months += 1
    return months


def _field_error(field, message):
    return {"field": field, "messages": [message]}


def problems(draft, policy, library):
    """What DRAFT does against POLICY of LIBRARY (its name in the current language)."""
    errors = []
    metadata = draft.get("metadata") or {}
    allowed = policy.get("licenses") or []
    rights = [r.get("id") for r in metadata.get("rights") or []]
    if allowed and (not rights or any(r not in allowed for r in rights)):
        errors.append(_field_error("metadata.rights", _(
            "The open-access policy of %(library)s allows only these licences: "
            "%(allowed)s.", library=library, allowed=", ".join(allowed))))

    embargo = draft.access.embargo
    type_id = (metadata.get("resource_type") or {}).get("id")
    longest = allowed_embargo(policy, type_id)
    if embargo.active and embargo.until and longest is not None:
        months = embargo_months(embargo.until)
        if longest == 0:
            errors.append(_field_error("access.embargo.until", _(
                "The open-access policy of %(library)s allows no embargo.", library=library)))
        elif months > longest:
            errors.append(_field_error("access.embargo.until", _(
                "An embargo of %(months)s months breaks the open-access policy of "
                "%(library)s: at most %(allowed)s months for this resource type.",
                months=months, library=library, allowed=longest)))

    if policy.get("funding_required") and not metadata.get("funding"):
        errors.append(_field_error("metadata.funding", _(
            "The open-access policy of %(library)s asks for the funding of funded works; "
            "if the work was not funded, say so in the reason for an exception.",
            library=library)))
    return errors
