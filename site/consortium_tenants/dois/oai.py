"""OAI-PMH `oai_datacite`: the datacentre symbol of the account holding the DOI.

RDM's serializer writes the one DATACITE_DATACENTER_SYMBOL; here each record names
the repository (DataCite's client id) its DOI was registered with.
"""

from invenio_rdm_records.oai import oai_datacite_etree as rdm_oai_datacite_etree
from lxml import etree

from .accounts import repository_of_prefix


def oai_datacite_etree(pid, record):
    """RDM's `oai_datacite` of a search hit, with its DOI's repository as datacentreSymbol."""
    element = rdm_oai_datacite_etree(pid, record)
    doi = ((record["_source"].get("pids") or {}).get("doi") or {}).get("identifier")
    repository = repository_of_prefix(doi.split("/", 1)[0]) if doi else None
    if repository:
        symbol = next(child for child in element
                      if etree.QName(child).localname == "datacentreSymbol")
        symbol.text = repository
    return element
