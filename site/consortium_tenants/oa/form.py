"""The deposit form's open-access fields: the deposited version, and a reason to depart
from the library's open-access policy."""

from invenio_i18n import lazy_gettext as _
from invenio_records_resources.services.custom_fields import KeywordCF, TextCF

from ..coar import VERSION_FIELD, VERSIONS
from ..validation import OneOf
from .rules import REASON_FIELD

CUSTOM_FIELDS = [TextCF(name=REASON_FIELD),
                 KeywordCF(name=VERSION_FIELD, field_args={"validate": OneOf(VERSIONS)})]

VERSION_OPTIONS = [
    {"id": "submitted", "title_l10n": _("Submitted manuscript")},
    {"id": "accepted", "title_l10n": _("Accepted manuscript")},
    {"id": "published", "title_l10n": _("Published version")},
]

CUSTOM_FIELDS_UI = {
    "section": _("Open-access policy"),
    # a note for the library's curators (shown on the submission's page), not for readers
    "hide_from_landing_page": True,
    "fields": [{
        "field": VERSION_FIELD,
        "ui_widget": "Dropdown",
        "props": {
            "label": _("Deposited version"),
            "description": _(
                "Which version of the work the files are: the manuscript as submitted to "
                "the publisher, as accepted after peer review, or as published."),
            "placeholder": _("Choose the version"),
            "options": VERSION_OPTIONS,
            "icon": "copy outline",
            "clearable": True,
        },
    }, {
        "field": REASON_FIELD,
        "ui_widget": "TextArea",
        "props": {
            "label": _("Reason for an exception from the library's open-access policy"),
            "description": _(
                "Where the work departs from the library's open-access policy (licence, "
                "embargo, funding), say why; the library's curators see it."),
            "icon": "unlock",
        },
    }],
}
