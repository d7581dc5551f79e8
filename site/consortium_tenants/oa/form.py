"""The deposit form's field for a reason to depart from the library's open-access policy."""

from invenio_i18n import lazy_gettext as _
from invenio_records_resources.services.custom_fields import TextCF

from .rules import REASON_FIELD

CUSTOM_FIELDS = [TextCF(name=REASON_FIELD)]

CUSTOM_FIELDS_UI = {
    "section": _("Open-access policy"),
    # a note for the library's curators (shown on the submission's page), not for readers
    "hide_from_landing_page": True,
    "fields": [{
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
