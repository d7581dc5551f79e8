"""`oai_openaire`: OpenAIRE Guidelines for Literature Repositories v4.

InvenioRDM v14 has no OpenAIRE format. This one is built from the public
record's index document: DataCite-style titles, creators, identifiers, dates
and rights, COAR resource types and access rights, licences, and `oaire:file`
only for files the public may download (never restricted or embargoed ones).
"""

from flask import current_app
from lxml import etree

from ..coar import COAR_VERSION, VERSION_FIELD, VERSION_TYPES
from ..text import plain_text

NS = {
    "oaire": "http://namespace.openaire.eu/schema/oaire/",
    "datacite": "http://datacite.org/schema/kernel-4",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
SCHEMA_LOCATION = ("http://namespace.openaire.eu/schema/oaire/ "
                   "https://www.openaire.eu/schema/repo-lit/4.0/openaire.xsd")
COAR_TYPE = "http://purl.org/coar/resource_type/"
COAR_ACCESS = "http://purl.org/coar/access_right/"

RESOURCE_TYPES = {  # RDM v14 resource type id → (COAR code, label, resourceTypeGeneral)
    "publication-article": ("c_6501", "journal article", "literature"),
    "publication-book": ("c_2f33", "book", "literature"),
    "publication-section": ("c_3248", "book part", "literature"),
    "publication-conferencepaper": ("c_5794", "conference paper", "literature"),
    "publication-report": ("c_93fc", "report", "literature"),
    "publication-conferenceproceeding": ("c_f744", "conference proceedings", "literature"),
    "publication-dissertation": ("c_46ec", "thesis", "literature"),
    "publication-preprint": ("c_816b", "preprint", "literature"),
    "publication": ("c_18cf", "text", "literature"),
    "dataset": ("c_ddb1", "dataset", "dataset"),
    "software": ("c_5ce6", "software", "software"),
    "image": ("c_c513", "image", "other research product"),
    "presentation": ("c_c94f", "conference object", "literature"),
    "lesson": ("c_e059", "learning object", "other research product"),
    "oer": ("c_e059", "learning object", "other research product"),
}
OTHER_TYPE = ("c_1843", "other", "other research product")
ACCESS_RIGHTS = {  # RDM access.status → COAR access right
    "open": ("c_abf2", "open access"),
    "embargoed": ("c_f1cf", "embargoed access"),
    "restricted": ("c_16ec", "restricted access"),
    "metadata-only": ("c_14cb", "metadata only access"),
}


CONTRIBUTOR_TYPES = {  # DataCite contributorType (required by OpenAIRE) by RDM role id
    kind.lower(): kind for kind in (
        "ContactPerson", "DataCollector", "DataCurator", "DataManager", "Distributor",
        "Editor", "HostingInstitution", "Other", "Producer", "ProjectLeader",
        "ProjectManager", "ProjectMember", "RegistrationAgency", "RegistrationAuthority",
        "RelatedPerson", "ResearchGroup", "RightsHolder", "Researcher", "Sponsor",
        "Supervisor", "WorkPackageLeader")
}


def _el(parent, prefix, tag, text=None, **attrs):
    element = etree.SubElement(parent, f"{{{NS[prefix]}}}{tag}",
                               {k: str(v) for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = str(text)
    return element


def _person(parent, prefix_tag, entry):
    person = entry.get("person_or_org", {})
    node = _el(parent, "datacite", prefix_tag)
    if prefix_tag == "contributor":  # a role outside DataCite's list is "Other"
        role = ((entry.get("role") or {}).get("id") or "").lower()
        node.set("contributorType", CONTRIBUTOR_TYPES.get(role, "Other"))
    name_type = "Personal" if person.get("type") == "personal" else "Organizational"
    _el(node, "datacite", f"{prefix_tag}Name", person.get("name"), nameType=name_type)
    if person.get("given_name"):
        _el(node, "datacite", "givenName", person["given_name"])
    if person.get("family_name"):
        _el(node, "datacite", "familyName", person["family_name"])
    for identifier in person.get("identifiers", []):
        scheme = identifier.get("scheme", "").upper()
        _el(node, "datacite", "nameIdentifier", identifier.get("identifier"),
            nameIdentifierScheme=scheme)
    for affiliation in entry.get("affiliations", []):
        if affiliation.get("name"):
            _el(node, "datacite", "affiliation", affiliation["name"])


def openaire_etree(pid, record, **kwargs):
    """The oaire:resource of a search hit of a public record."""
    source = record["_source"]
    metadata, access = source.get("metadata", {}), source.get("access", {})
    root = etree.Element(f"{{{NS['oaire']}}}resource", nsmap=NS)
    root.set(f"{{{NS['xsi']}}}schemaLocation", SCHEMA_LOCATION)

    titles = _el(root, "datacite", "titles")
    _el(titles, "datacite", "title", metadata.get("title"))
    for extra in metadata.get("additional_titles", []):
        _el(titles, "datacite", "title", extra.get("title"),
            titleType=(extra.get("type") or {}).get("id", "").replace("-", " ").title()
            .replace(" ", "") or None)

    creators = _el(root, "datacite", "creators")
    for entry in metadata.get("creators", []):
        _person(creators, "creator", entry)
    if metadata.get("contributors"):
        contributors = _el(root, "datacite", "contributors")
        for entry in metadata["contributors"]:
            _person(contributors, "contributor", entry)

    if metadata.get("funding"):
        funding = _el(root, "oaire", "fundingReferences")
        for item in metadata["funding"]:
            ref = _el(funding, "oaire", "fundingReference")
            _el(ref, "oaire", "funderName", (item.get("funder") or {}).get("name"))
            award = item.get("award") or {}
            if award.get("number"):
                _el(ref, "oaire", "awardNumber", award["number"])
            if (award.get("title") or {}).get("en"):
                _el(ref, "oaire", "awardTitle", award["title"]["en"])

    site = current_app.config["SITE_UI_URL"]
    doi = (source.get("pids") or {}).get("doi", {}).get("identifier")
    if doi:
        _el(root, "datacite", "identifier", doi, identifierType="DOI")
    else:
        _el(root, "datacite", "identifier", f"{site}/records/{source['id']}",
            identifierType="URL")
    if metadata.get("related_identifiers"):
        related = _el(root, "datacite", "relatedIdentifiers")
        for item in metadata["related_identifiers"]:
            _el(related, "datacite", "relatedIdentifier", item.get("identifier"),
                relatedIdentifierType=item.get("scheme", "").upper(),
                relationType="".join(
                    word.capitalize()
                    for word in ((item.get("relation_type") or {}).get("title") or {})
                    .get("en", "").split()) or None)

    status = access.get("status", "metadata-only")
    dates = _el(root, "datacite", "dates")
    embargo = access.get("embargo") or {}
    if status == "embargoed" and embargo.get("until"):
        _el(dates, "datacite", "date", metadata.get("publication_date"), dateType="Accepted")
        _el(dates, "datacite", "date", embargo["until"], dateType="Available")
    else:
        _el(dates, "datacite", "date", metadata.get("publication_date"), dateType="Issued")

    for language in metadata.get("languages", []):
        _el(root, "dc", "language", language.get("id"))
    if metadata.get("publisher"):
        _el(root, "dc", "publisher", metadata["publisher"])

    code, label, general = RESOURCE_TYPES.get(
        (metadata.get("resource_type") or {}).get("id"), OTHER_TYPE)
    _el(root, "oaire", "resourceType", label, resourceTypeGeneral=general,
        uri=COAR_TYPE + code)
    if metadata.get("description"):
        _el(root, "dc", "description", plain_text(metadata["description"]))

    access_code, access_label = ACCESS_RIGHTS.get(status, ACCESS_RIGHTS["metadata-only"])
    _el(root, "datacite", "rights", access_label, rightsURI=COAR_ACCESS + access_code)
    for right in metadata.get("rights", []):
        _el(root, "oaire", "licenseCondition", (right.get("title") or {}).get("en")
            or right.get("id"), uri=(right.get("props") or {}).get("url") or right.get("link"),
            startDate=metadata.get("publication_date"))

    if metadata.get("subjects"):
        subjects = _el(root, "datacite", "subjects")
        for subject in metadata["subjects"]:
            _el(subjects, "datacite", "subject", subject.get("subject"))

    version = VERSION_TYPES.get((source.get("custom_fields") or {}).get(VERSION_FIELD))
    if version:
        _el(root, "oaire", "version", version[1], uri=COAR_VERSION + version[0])

    files_public = access.get("files") == "public" and status == "open"
    entries = (source.get("files") or {}).get("entries") or []
    if files_public:
        for entry in sorted(entries, key=lambda e: e["key"]):
            _el(root, "oaire", "file",
                f"{site}/records/{source['id']}/files/{entry['key']}?download=1",
                accessRightsURI=COAR_ACCESS + "c_abf2", mimeType=entry.get("mimetype"),
                objectType="fulltext")
    return root
