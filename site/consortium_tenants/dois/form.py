"""The deposit form's DOI field, per library.

RDM reads one `RDM_PERSISTENT_IDENTIFIERS["doi"]` for every form. Here the form of a
deposit whose publication mints a DOI of ours (`components.account_for_deposit`)
starts at "No, I need one" and treats the DOI as required, so it publishes without
asking for a reservation first; elsewhere it keeps the configured choice
("I don't need one") and the page says no DOI will be minted.
"""

from .components import account_for_deposit


def _concept_doi(record):
    return (((record.get("parent") or {}).get("pids") or {}).get("doi") or {}).get("identifier")


def publication_mints_doi(library, record):
    """True when publishing RECORD (the form's dump of its draft) into LIBRARY mints a
    DOI: it has none yet and its concept's or library's account exists."""
    if ((record or {}).get("pids") or {}).get("doi"):
        return False
    index = ((record or {}).get("versions") or {}).get("index") or 1
    return account_for_deposit(library, _concept_doi(record or {}), index) is not None


def apply_doi_choice(forms_config, library, record):
    """Make FORMS_CONFIG's DOI field start at minting one when publication mints it."""
    if not forms_config or not publication_mints_doi(library, record):
        return ""
    forms_config["is_doi_required"] = True
    for pid_config in forms_config.get("pids", []):
        if pid_config.get("scheme") == "doi":
            pid_config["default_selected"] = "no"
    return ""
