"""The deposit form's DOI field, per library.

RDM reads one `RDM_PERSISTENT_IDENTIFIERS["doi"]` for every form. Here the form of a
deposit whose publication mints a DOI of ours (`components.account_for_deposit`)
starts at "No, I need one" and treats the DOI as required, so it publishes without
asking for a reservation first; elsewhere it keeps the configured choice
("I don't need one") and the page says no DOI will be minted.
"""

from invenio_i18n import lazy_gettext as _

from .accounts import UnreadableAccount
from .components import account_for_deposit


def _concept_doi(record):
    return (((record.get("parent") or {}).get("pids") or {}).get("doi") or {}).get("identifier")


def publication_mints_doi(library, record):
    """True when publishing RECORD (the form's dump of its draft) into LIBRARY mints a
    DOI: it has none yet and its concept's or library's account exists."""
    if ((record or {}).get("pids") or {}).get("doi"):
        return False
    index = ((record or {}).get("versions") or {}).get("index") or 1
    try:
        return account_for_deposit(library, _concept_doi(record or {}), index) is not None
    except UnreadableAccount:  # it should: publishing says why it cannot
        return True


RESTRICTED_WORKS_NOTE = _(
    "The DOI is registered when the work is published. A restricted work gets no DOI: "
    "if you publish it restricted, a DOI reserved here is released and the work is "
    "published without one. Make the work public to get a DOI.")
"""Under the DOI field wherever publication mints one: RDM drops a reserved DOI of a
work published restricted (DataCitePIDProvider.validate_restriction_level), and the
library's component mints none for it."""


def apply_doi_choice(forms_config, library, record):
    """Make FORMS_CONFIG's DOI field start at minting one when publication mints it,
    say there what happens to a restricted work's DOI, and require none for a draft
    that is restricted already."""
    if not forms_config or not publication_mints_doi(library, record):
        return ""
    restricted = (((record or {}).get("access") or {}).get("record")) == "restricted"
    forms_config["is_doi_required"] = not restricted
    for pid_config in forms_config.get("pids", []):
        if pid_config.get("scheme") == "doi":
            pid_config["default_selected"] = "not_needed" if restricted else "no"
            pid_config["managed_help_text"] = str(RESTRICTED_WORKS_NOTE)
    return ""
