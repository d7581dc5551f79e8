"""The deposit form and the library's workflow: defaults, agreement field, rules panel."""

from flask import g, request
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_records_resources.services.custom_fields import BooleanCF
from sqlalchemy.orm.exc import NoResultFound

from ..i18n import lazy_text
from .rules import AGREEMENT_FIELD, DEFAULT_RULES, rules_of

NAMESPACES = {"consortium": "https://repository.consortium.example/terms/"}

CUSTOM_FIELDS = [BooleanCF(name=AGREEMENT_FIELD)]

CUSTOM_FIELDS_UI = {
    "section": lazy_text("Podmínky vkladu", "Deposit agreement"),
    "fields": [{
        "field": AGREEMENT_FIELD,
        "ui_widget": "BooleanCheckbox",
        "props": {
            "label": lazy_text("Podmínky vkladu knihovny", "Library's deposit agreement"),
            "description": lazy_text(
                "Jen pokud knihovna podmínky má; jejich znění je uvedeno nad formulářem.",
                "Only where your library has an agreement; its text is shown above the form."),
            "trueLabel": lazy_text("Souhlasím s podmínkami vkladu", "I accept the agreement"),
            "falseLabel": lazy_text("Nesouhlasím", "I do not accept"),
            "icon": "handshake",
        },
    }],
}


def deposit_library():
    """The library a deposit form deposits into, or None (found once per request).

    The library an edited draft is submitted to; `?community=<slug>`
    (InvenioRDM's preselection) when it is a library; else the library of the
    host, else the user's only library.
    """
    if "consortium_deposit_library" not in g:
        g.consortium_deposit_library = _find_deposit_library()
    return g.consortium_deposit_library


def _find_deposit_library():
    from ..deposits.library import home_library, tenants_of_record
    from ..tenants.models import TenantModel

    pid_value = (request.view_args or {}).get("pid_value") if request else None
    if pid_value:
        from invenio_rdm_records.records.api import RDMDraft

        try:
            draft = RDMDraft.pid.resolve(pid_value, registered_only=False)
        except (PIDDoesNotExistError, NoResultFound):  # the page itself answers
            draft = None
        libraries = tenants_of_record(draft) if draft is not None else []
        if len(libraries) == 1:
            return libraries[0]

    slug = request.args.get("community") if request else None
    if slug:
        tenant = TenantModel.query.filter_by(slug=slug).one_or_none()
        if tenant is not None:
            return tenant
    return home_library(g.identity)


def _rules():
    tenant = deposit_library()
    return rules_of(tenant) if tenant is not None else DEFAULT_RULES


def default_rights():
    """The library's default licence (APP_RDM_DEPOSIT_FORM_DEFAULTS["rights"])."""
    license_id = _rules()["default_license"] or "cc-by-4.0"
    return [{"id": license_id}]


def default_access(part):
    """The library's default access of PART ("record" or "files")."""
    return _rules()["default_access"][part]
