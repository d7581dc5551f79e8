"""The deposit form and the library's workflow: defaults, agreement field, rules panel."""

from flask import g, has_request_context, request
from flask_babel import LazyString
from invenio_access.permissions import system_identity
from invenio_i18n import lazy_gettext as _
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_rdm_records.records.api import RDMDraft
from invenio_records_resources.services.custom_fields import BooleanCF
from invenio_vocabularies.proxies import current_service as vocabularies
from sqlalchemy.orm.exc import NoResultFound

from ..i18n import language
from ..tenants.library import library_of_deposit
from ..tenants.models import TenantModel
from .rules import AGREEMENT_FIELD, DEFAULT_RULES, required_field_labels, rules_of

NAMESPACES = {"consortium": "https://repository.consortium.example/terms/"}

CUSTOM_FIELDS = [BooleanCF(name=AGREEMENT_FIELD)]


def agreement_text():
    """The deposit agreement of the form's library in the current language, or ""."""
    tenant = deposit_library() if has_request_context() else None
    agreement = rules_of(tenant)["agreement"] if tenant is not None else None
    return (agreement or {}).get(language(), "")


CUSTOM_FIELDS_UI = {
    "section": _("Deposit agreement"),
    # the depositor's consent is for the library, not metadata for visitors
    "hide_from_landing_page": True,
    "fields": [{
        "field": AGREEMENT_FIELD,
        # a checkbox under the agreement's text, first in the form, where the
        # library has an agreement (assets/templates/custom_fields, mapping.js)
        "ui_widget": "AgreementCheckbox",
        "props": {
            "label": _("I accept the library's deposit agreement"),
            "description": _(
                "The library accepts a deposit for publication only with this consent."),
            "agreement": LazyString(agreement_text),
        },
    }],
}


def deposit_library():
    """The library a deposit form deposits into, or None (found once per request).

    `tenants.library.library_of_deposit` for the edited draft, or for a new one
    headed to `?community=<slug>` (InvenioRDM's preselection) when that is a
    library's community.
    """
    if "consortium_deposit_library" not in g:
        draft = _edited_draft()
        slug = request.args.get("community") if draft is None else None
        tenant = TenantModel.query.filter_by(slug=slug).one_or_none() if slug else None
        data = {"parent": {"review": {"receiver": {"community": str(tenant.community_id)}}}} \
            if tenant is not None else None
        g.consortium_deposit_library = library_of_deposit(g.identity, draft, data)
    return g.consortium_deposit_library


def _edited_draft():
    """The draft the deposit form edits, or None (a new deposit, or no such draft)."""
    pid_value = (request.view_args or {}).get("pid_value")
    if not pid_value:
        return None
    try:
        return RDMDraft.pid.resolve(pid_value, registered_only=False)
    except (PIDDoesNotExistError, NoResultFound):  # the page itself answers
        return None


def _rules():
    tenant = deposit_library()
    return rules_of(tenant) if tenant is not None else DEFAULT_RULES


def terms(vocabulary, ids):
    """The terms IDS of VOCABULARY: id, title, description, link, in the current language.

    English where the vocabulary has no other language; an id the vocabulary
    lacks stands for itself.
    """
    found = {hit["id"]: hit for hit in vocabularies.read_many(
        system_identity, vocabulary, list(ids)).hits} if ids else {}
    lang = language()

    def localised(value):
        return (value or {}).get(lang) or (value or {}).get("en") or ""

    return [{"id": id_, "title": localised(found.get(id_, {}).get("title")) or id_,
             "description": localised(found.get(id_, {}).get("description")),
             "link": (found.get(id_, {}).get("props") or {}).get("url", "")}
            for id_ in ids]


def rule_labels(rules):
    """What the rules panel shows for the keys and ids in RULES: field labels, term titles."""
    labels = required_field_labels()
    for vocabulary, ids in (("licenses", rules["licenses"]),
                            ("resourcetypes", rules["resource_types"])):
        labels.update((term["id"], term["title"]) for term in terms(vocabulary, ids))
    return labels


def default_rights():
    """The library's default licence (APP_RDM_DEPOSIT_FORM_DEFAULTS["rights"]).

    With its title and description, which the form shows for a new draft.
    """
    return terms("licenses", [_rules()["default_license"] or "cc-by-4.0"])


def default_access(part):
    """The library's default access of PART ("record" or "files")."""
    return _rules()["default_access"][part]
