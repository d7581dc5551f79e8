"""Dublin Core (`oai_dc`, as DSpace, EPrints and Invenio serve it) → InvenioRDM metadata.

`map_oai_dc(fields, source_id)` takes the element name → values of one record and gives
(metadata, problems): the RDM `metadata` of the work, or the reasons it cannot become one
(no title, no creator, no date). Choices, each what the three repositories put there:
- creators: `dc:creator` "Family, Given" (DSpace's and EPrints' form), else the whole text
  as the family name; `dc:contributor` only when there is no creator is NOT used (a
  supervisor is not an author): no creator is a mapping error.
- publication date: the earliest `dc:date` (DSpace lists accessioned, available and
  issued; issued is the earliest), cut to YYYY[-MM[-DD]].
- resource type: `dc:type` words (also `info:eu-repo/semantics/…`) → the RDM vocabulary;
  unknown → `publication-other` (the original kept in the item's report).
- rights: a Creative Commons / licence URL becomes the vocabulary's licence when one has
  that URL; other texts stay free-text rights.
- identifiers: Handles (`hdl.handle.net/…`), DOIs, URNs (URN:NBN) and other URLs kept as
  the work's alternate identifiers, with the source's OAI identifier (scheme `other`).
- files (EPrints): a `dc:identifier`/`dc:relation` URL whose last path segment is a file
  name with an extension (EPrints lists each document as
  `https://<host>/<eprint id>/<pos>/<file name>`) is a file of the work, not an identifier;
  the landing page (`https://<host>/<eprint id>/`, `/id/eprint/<id>`) and web pages
  (.html, .php, …) stay identifiers. DSpace's oai_dc names no files (its `ore` does).

`read(element, source_id, licences)` → (metadata, files, problems), as every format module.
"""

import html
import re
import unicodedata
from urllib.parse import unquote, urlsplit

from lxml import etree

DC = "http://purl.org/dc/elements/1.1/"

TYPES = [  # (words in dc:type, lower case, without diacritics) → RDM resource type
    (("doctoral", "dissertation", "phd", "disertac"), "publication-dissertation"),
    (("thesis", "bachelor", "master", "diplom", "bakalar", "prace"),
     "publication-dissertation"),
    (("conferenceobject", "conference", "proceedings", "konferen"),
     "publication-conferencepaper"),
    (("bookpart", "book part", "chapter", "section", "kapitola"), "publication-section"),
    (("book", "monograph", "kniha", "monografie"), "publication-book"),
    (("article", "journal", "clanek", "contribution"), "publication-article"),
    (("preprint", "submittedversion"), "publication-preprint"),
    (("report", "zprava", "technical"), "publication-report"),
    (("workingpaper", "working paper"), "publication-workingpaper"),
    (("patent",), "publication-patent"),
    (("dataset", "data set", "data"), "dataset"),
    (("software", "code"), "software"),
    (("image", "photograph", "map", "mapa", "still image"), "image"),
    (("video", "moving image", "film"), "video"),
    (("sound", "audio"), "audio"),
    (("lecture", "presentation", "slides"), "presentation"),
    (("poster",), "poster"),
]
OTHER_TYPE = "publication-other"

LANGUAGES = {  # ISO 639-1 / 639-2/B forms and names (without diacritics) → ISO 639-3 ids
    "cs": "ces", "cz": "ces", "cze": "ces", "ces": "ces", "czech": "ces", "cestina": "ces",
    "en": "eng", "eng": "eng", "english": "eng", "anglictina": "eng",
    "sk": "slk", "slo": "slk", "slk": "slk", "de": "deu", "ger": "deu", "deu": "deu",
    "fr": "fra", "fre": "fra", "fra": "fra", "pl": "pol", "pol": "pol", "ru": "rus",
    "rus": "rus", "es": "spa", "spa": "spa", "it": "ita", "ita": "ita", "la": "lat",
    "lat": "lat", "hu": "hun", "hun": "hun",
}
DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")
HANDLE = re.compile(r"^(?:https?://hdl\.handle\.net/|hdl:|info:hdl/)(\d[\w.]*/\S+)$", re.I)
DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)?(10\.\d{4,9}/\S+)$", re.I)
URN = re.compile(r"^(?:https?://\S+/)?(urn:[a-z0-9][a-z0-9-]{0,31}:\S+)$", re.I)
FILE_NAME = re.compile(r"^[^/]+\.([A-Za-z0-9]{1,5})$")
PAGES = {"html", "htm", "xhtml", "php", "asp", "aspx", "jsp", "cgi", "shtml"}


def plain(text):
    """TEXT in lower case without diacritics ("Článek" → "clanek"): what the tables match."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def creator(text):
    """An RDM creator of a `dc:creator` text."""
    family, _, given = (part.strip() for part in text.partition(","))
    person = {"type": "personal", "family_name": family or text.strip()}
    if given:
        person["given_name"] = given
    return {"person_or_org": person}


def publication_date(values):
    """The earliest date of VALUES as YYYY[-MM[-DD]], or None."""
    dates = []
    for value in values:
        match = DATE.match(value.strip())
        if match:
            year, month, day = match.groups()
            if month and not 1 <= int(month) <= 12:
                month = day = None
            if day and not 1 <= int(day) <= 31:
                day = None
            dates.append("-".join(part for part in (year, month, day) if part))
    return min(dates, key=lambda d: (d[:4], d)) if dates else None


def resource_type(values):
    """The RDM resource type of the first `dc:type` value that names one."""
    for value in values:
        word = plain(value).rsplit("/", 1)[-1]
        for words, type_id in TYPES:
            if any(w in word for w in words):
                return type_id
    return OTHER_TYPE


def identifier(value):
    """(scheme, identifier) of a `dc:identifier`/`dc:relation` value, or None."""
    value = value.strip()
    for pattern, scheme in ((HANDLE, "handle"), (DOI, "doi"), (URN, "urn")):
        match = pattern.match(value)
        if match:
            return scheme, match.group(1)
    if re.match(r"^https?://\S+$", value):
        return "url", value
    return None


def description(text):
    """RDM's description (HTML) of a plain-text `dc:description`: paragraphs escaped."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text.strip())]
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


def map_oai_dc(fields, source_id, licences=None):
    """(metadata, problems) of the Dublin Core FIELDS (element → [values]) of SOURCE_ID.

    LICENCES maps a normalised licence URL to a vocabulary id (`licence_key`)."""
    licences = licences or {}
    values = {name: [v for v in fields.get(name, []) if v and v.strip()] for name in (
        "title", "creator", "date", "type", "language", "subject", "description",
        "rights", "identifier", "publisher", "relation")}
    problems = []
    if not values["title"]:
        problems.append("no dc:title")
    if not values["creator"]:
        problems.append("no dc:creator")
    date = publication_date(values["date"])
    if not date:
        problems.append("no dc:date in the form YYYY[-MM[-DD]]")
    if problems:
        return None, problems

    metadata = {
        "title": " ".join(values["title"][0].split()),
        "creators": [creator(text) for text in values["creator"]],
        "publication_date": date,
        "resource_type": {"id": resource_type(values["type"])},
    }
    if len(values["title"]) > 1:
        metadata["additional_titles"] = [
            {"title": " ".join(t.split()), "type": {"id": "alternative-title"}}
            for t in values["title"][1:]]
    languages = []
    for value in values["language"]:
        code = LANGUAGES.get(plain(value))
        if code and {"id": code} not in languages:
            languages.append({"id": code})
    if languages:
        metadata["languages"] = languages
    if values["subject"]:
        seen = []
        for subject in values["subject"]:
            subject = " ".join(subject.split())
            if subject not in seen:
                seen.append(subject)
        metadata["subjects"] = [{"subject": s} for s in seen]
    if values["description"]:
        metadata["description"] = description(values["description"][0])
        if len(values["description"]) > 1:
            metadata["additional_descriptions"] = [
                {"description": description(text), "type": {"id": "other"}}
                for text in values["description"][1:]]
    if values["publisher"]:
        metadata["publisher"] = " ".join(values["publisher"][0].split())
    rights = []
    for text in values["rights"]:
        licence = licences.get(licence_key(text))
        right = {"id": licence} if licence else {"title": {"en": " ".join(text.split())}}
        if right not in rights:
            rights.append(right)
    if rights:
        metadata["rights"] = rights
    identifiers = [{"identifier": source_id, "scheme": "other"}]
    for value in values["identifier"] + values["relation"]:
        if file_link(value):
            continue
        found = identifier(value)
        if found and {"identifier": found[1], "scheme": found[0]} not in identifiers:
            identifiers.append({"identifier": found[1], "scheme": found[0]})
    metadata["identifiers"] = identifiers
    return metadata, []


def licence_key(text):
    """A licence URL without scheme, `www.`, trailing slash and case: the key LICENCES use."""
    text = text.strip().lower()
    text = re.sub(r"^https?://", "", text)
    text = re.sub(r"^www\.", "", text)
    return text.rstrip("/")


def handle_of(metadata):
    """The Handle among METADATA's identifiers (`prefix/suffix`), or None."""
    for entry in metadata.get("identifiers", []):
        if entry["scheme"] == "handle":
            return entry["identifier"]
    return None


def file_link(value):
    """The file name of VALUE when it is a link to a file (see the module), else None."""
    value = value.strip()
    if not re.match(r"^https?://\S+$", value) or identifier(value)[0] != "url":
        return None
    name = unquote(urlsplit(value).path.rsplit("/", 1)[-1])
    match = FILE_NAME.match(name)
    if match is None or match.group(1).lower() in PAGES:
        return None
    return name


def dc_fields(element):
    """element name → [texts] of the Dublin Core elements inside ELEMENT (a harvested record)."""
    fields = {}
    for field in element.iter(f"{{{DC}}}*"):
        fields.setdefault(etree.QName(field).localname, []).append(field.text or "")
    return fields


def read(element, source_id, licences=None):
    """(metadata, files, problems) of a harvested record's ELEMENT (its XML)."""
    fields = dc_fields(element)
    metadata, problems = map_oai_dc(fields, source_id, licences)
    if problems:
        return None, [], problems
    files, seen = [], set()
    for value in fields.get("identifier", []) + fields.get("relation", []):
        name = file_link(value)
        if name and value.strip() not in seen:
            seen.add(value.strip())
            files.append({"key": name, "url": value.strip(), "size": None,
                          "checksum": None, "mimetype": None})
    return metadata, unique_keys(files), []


def unique_keys(files):
    """FILES with keys made unique ("a.pdf", "a (2).pdf") in order."""
    seen = set()
    for entry in files:
        key, number = entry["key"], 1
        while entry["key"] in seen:
            number += 1
            stem, dot, ext = key.rpartition(".")
            entry["key"] = f"{stem} ({number}).{ext}" if dot else f"{key} ({number})"
        seen.add(entry["key"])
    return files
