"""How a draft is judged against its library's open-access policy.

`problems(draft, policy, library)` lists the breaches as service field errors
(`{"field", "messages"}`) in the request's language. The deposited version is the
deposit form's version field (`coar.VERSION_FIELD`), asked of publications only. Data
availability (`data_within_months`) limits datasets' embargoes: RDM records no project
end, and a dataset is deposited when its project ends.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from invenio_i18n import gettext as _

from ..coar import VERSION_FIELD

REASON_FIELD = "consortium:oa_exception"
"""Custom field in which a depositor states why the work departs from the policy."""


DATA_TYPE = "dataset"
"""The resource type (with its subtypes) `data_within_months` speaks of."""

PUBLICATION_TYPE = "publication"
"""The resource type (with its subtypes) whose deposited version a policy may ask."""


def embargo_limits(policy):
    """The longest embargo in months by resource type under POLICY: its
    `embargo_by_resource_type`, and for research data its `data_within_months` (data open
    at the latest that long after the project ends; a dataset is deposited when its
    project ends) unless the policy sets datasets' own limit. The deposit check and the
    reports read this one definition."""
    by_type = dict(policy.get("embargo_by_resource_type") or {})
    if policy.get("data_within_months") is not None:
        by_type.setdefault(DATA_TYPE, policy["data_within_months"])
    return by_type


def allowed_embargo(policy, type_id):
    """The longest embargo in months POLICY allows for resource type TYPE_ID (None: any).

    The most specific entry of `embargo_limits` wins (`publication-article` before
    `publication`), else `max_embargo_months`."""
    by_type = embargo_limits(policy)
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


def version_labels():
    """The versions' names in the current language (the policy editor and the form)."""
    return {"submitted": _("Submitted manuscript"), "accepted": _("Accepted manuscript"),
            "published": _("Published version")}


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

    versions = policy.get("versions") or []
    if versions and (type_id or "").startswith(PUBLICATION_TYPE):
        version = (draft.get("custom_fields") or {}).get(VERSION_FIELD)
        labels = version_labels()
        allowed_names = ", ".join(labels[v] for v in versions if v in labels)
        if not version:
            errors.append(_field_error(f"custom_fields.{VERSION_FIELD}", _(
                "The open-access policy of %(library)s asks which version of the work you "
                "deposit (allowed: %(allowed)s).", library=library, allowed=allowed_names)))
        elif version not in versions:
            errors.append(_field_error(f"custom_fields.{VERSION_FIELD}", _(
                "The open-access policy of %(library)s does not allow depositing the "
                "%(version)s; allowed: %(allowed)s.", library=library,
                version=labels.get(version, version).lower(), allowed=allowed_names)))

    if policy.get("funding_required") and not metadata.get("funding"):
        errors.append(_field_error("metadata.funding", _(
            "The open-access policy of %(library)s asks for the funding of funded works; "
            "if the work was not funded, say so in the reason for an exception.",
            library=library)))
    return errors
