"""A library's deposit rules and how a draft is checked against them.

Rules are stored in `TenantModel.workflow["rules"]` (validated by
`schema.RulesSchema`); `problems(draft, rules)` lists what a draft lacks, as
service field errors (`{"field", "messages"}`), in the request's language.
"""

from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from flask import current_app
from flask_babel import lazy_pgettext
from invenio_i18n import gettext as _
from invenio_i18n import lazy_gettext as _l

REQUIRED_FIELDS = {
    # key: (path in the draft, label); labels that upstream catalogues translate
    # otherwise carry the message context "consortium"
    "description": ("metadata.description", _l("Description")),
    "subjects": ("metadata.subjects", _l("Keywords")),
    "languages": ("metadata.languages", _l("Languages")),
    "funding": ("metadata.funding", _l("Funding")),
    "related_identifiers": ("metadata.related_identifiers",
                            lazy_pgettext("consortium", "Related works")),
    "contributors": ("metadata.contributors", _l("Contributors")),
    "dates": ("metadata.dates", lazy_pgettext("consortium", "Dates")),
    "references": ("metadata.references", lazy_pgettext("consortium", "References")),
    "version": ("metadata.version", _l("Version")),
    "files": ("files.entries", _l("Files")),
}
"""Metadata a library may require beyond InvenioRDM's own."""


def required_field_labels():
    """Key → label of the metadata a library may require, in the current language."""
    return {key: str(label) for key, (_path, label) in REQUIRED_FIELDS.items()}

AGREEMENT_FIELD = "consortium:deposit_agreement"
"""Custom field in which the depositor accepts the library's deposit agreement."""

DEFAULT_RULES = {
    "required_fields": [],
    "resource_types": [],
    "licenses": [],
    "default_license": None,
    "default_access": {"record": "public", "files": "public"},
    "allow_restricted": True,
    "max_embargo_months": None,
    "agreement": None,
}
"""Rules of a library that has set none: InvenioRDM's own requirements only."""


def rules_of(tenant):
    """The library's rules, defaults filled in."""
    return {**DEFAULT_RULES, **((tenant.workflow or {}).get("rules") or {})}


def preset_of(tenant):
    """The library's workflow preset."""
    return (tenant.workflow or {}).get("preset") or current_app.config[
        "CONSORTIUM_WORKFLOW_DEFAULT_PRESET"]


def community_access(preset):
    """The community access settings implementing PRESET."""
    return dict(current_app.config["CONSORTIUM_WORKFLOW_PRESETS"][preset])


def type_allowed(type_id, allowed):
    """A resource type is allowed when it or its parent type is listed."""
    return not allowed or any(type_id == a or type_id.startswith(a + "-") for a in allowed)


def _filled(draft, key):
    if key == "files":
        return len(draft.files.entries) > 0
    path = REQUIRED_FIELDS[key][0]
    value = draft
    for part in path.split("."):
        value = (value or {}).get(part)
    return bool(value.strip() if isinstance(value, str) else value)


def _error(field, message):
    return {"field": field, "messages": [message], "severity": "error"}


def problems(draft, rules, library):
    """Field errors of DRAFT under RULES of LIBRARY (its name in the current language)."""
    errors = []
    metadata = draft.get("metadata") or {}
    for key in rules["required_fields"]:
        if key == "files" and draft.files.enabled is False:
            errors.append(_error("files.enabled", _(
                "%(library)s does not accept metadata-only records.", library=library)))
        elif not _filled(draft, key):
            path, label = REQUIRED_FIELDS[key]
            errors.append(_error(path, _("%(library)s requires this field: %(field)s.",
                                         library=library, field=label)))

    type_id = (metadata.get("resource_type") or {}).get("id")
    if type_id and not type_allowed(type_id, rules["resource_types"]):
        allowed = ", ".join(rules["resource_types"])
        errors.append(_error("metadata.resource_type", _(
            "%(library)s accepts only these resource types: %(allowed)s.",
            library=library, allowed=allowed)))

    if rules["licenses"]:
        allowed = ", ".join(rules["licenses"])
        rights = metadata.get("rights") or []
        if not rights or any(r.get("id") not in rules["licenses"] for r in rights):
            errors.append(_error("metadata.rights", _(
                "%(library)s requires one of these licences: %(allowed)s.",
                library=library, allowed=allowed)))

    errors.extend(_access_problems(draft, rules, library))

    if rules["agreement"] and (draft.get("custom_fields") or {}).get(AGREEMENT_FIELD) is not True:
        errors.append(_error(f"custom_fields.{AGREEMENT_FIELD}", _(
            "Accept the deposit agreement of %(library)s first.", library=library)))
    return errors


def _access_problems(draft, rules, library):
    access = draft.access
    embargo = access.embargo
    restricted = access.protection.record == "restricted" or access.protection.files == "restricted"
    errors = []
    if restricted and not embargo.active and not rules["allow_restricted"]:
        field = "access.record" if access.protection.record == "restricted" else "access.files"
        errors.append(_error(field, _(
            "%(library)s publishes open access only; restricted access is allowed only "
            "under an embargo.", library=library)))
    months = rules["max_embargo_months"]
    if embargo.active and months is not None:
        until = embargo.until
        until = until.date() if isinstance(until, datetime) else until
        if months == 0:
            errors.append(_error("access.embargo", _(
                "%(library)s does not allow embargoes.", library=library)))
        elif until > date.today() + relativedelta(months=months):
            errors.append(_error("access.embargo.until", _(
                "%(library)s allows embargoes of at most %(months)s months.",
                library=library, months=months)))
    return errors
