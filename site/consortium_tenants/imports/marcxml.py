"""Invenio's `marcxml` (MARC21 slim, as legacy Invenio and NUŠL serve it) → InvenioRDM
metadata and files.

Fields read: title 245 $a (+ $b), other titles 246 $a; authors 100 $a then 700 $a
("Family, Given"); date 260 $c or 264 $c (the earliest year, or YYYY-MM-DD); abstract
520 $a; keywords 650 $a and 653 $a; languages 041 $a (MARC codes: cze, eng, …); DOI 024 $a
when its $2 is `doi` (also `hdl`/`handle` and `urn`); licence or rights 540 $u / $a;
resource type from 980 $a (ARTICLE, THESIS, BOOK, …); files: 856 $u when it names a file
(`…/record/<n>/files/<name>.<ext>`; landing pages and other web links stay identifiers),
its size from $s and its MIME type from $q. MARC states no checksums.

`read(element, source_id, licences)` → (metadata, files, problems), as every format module.
"""

from .dublincore import (
    LANGUAGES,
    creator,
    description,
    file_link,
    identifier,
    licence_key,
    plain,
    publication_date,
    resource_type,
    unique_keys,
)

MARC = "http://www.loc.gov/MARC21/slim"
SCHEMES = {"doi": "doi", "hdl": "handle", "handle": "handle", "urn": "urn"}


def _fields(record, tag, raw=False):
    """The datafields TAG of RECORD, each as {code: [values]} (spaces normalised unless
    RAW: an abstract keeps its paragraphs)."""
    found = []
    for field in record.findall(f"{{{MARC}}}datafield[@tag='{tag}']"):
        codes = {}
        for sub in field.findall(f"{{{MARC}}}subfield"):
            value = (sub.text or "").strip() if raw else " ".join((sub.text or "").split())
            if value:
                codes.setdefault(sub.get("code"), []).append(value)
        found.append(codes)
    return found


def _values(record, tag, code, raw=False):
    return [v for field in _fields(record, tag, raw) for v in field.get(code, [])]


def _title(field):
    title = (field.get("a") or [""])[0].rstrip(" /:;")
    rest = (field.get("b") or [""])[0].rstrip(" /:;")
    return f"{title}: {rest}" if title and rest else title


def read(element, source_id, licences=None):
    """(metadata, files, problems) of a harvested record's ELEMENT (its XML)."""
    licences = licences or {}
    record = next(element.iter(f"{{{MARC}}}record"), None)
    if record is None:
        return None, [], ["no MARC21 record in the harvested record"]
    titles = [_title(field) for field in _fields(record, "245")]
    titles = [t for t in titles if t]
    authors = _values(record, "100", "a") + _values(record, "700", "a")
    dates = _values(record, "260", "c") + _values(record, "264", "c")
    date = publication_date([d.strip("[]©p. ") for d in dates])
    problems = []
    if not titles:
        problems.append("no title (245 $a)")
    if not authors:
        problems.append("no author (100 $a, 700 $a)")
    if not date:
        problems.append("no date (260 $c, 264 $c) in the form YYYY[-MM[-DD]]")
    if problems:
        return None, [], problems

    metadata = {"title": titles[0], "creators": [creator(a) for a in authors],
                "publication_date": date,
                "resource_type": {"id": resource_type(_values(record, "980", "a"))}}
    others = [t for t in _values(record, "246", "a") if t != titles[0]]
    if others:
        metadata["additional_titles"] = [{"title": t, "type": {"id": "alternative-title"}}
                                         for t in others]
    abstracts = _values(record, "520", "a", raw=True)
    if abstracts:
        metadata["description"] = description(abstracts[0])
        if len(abstracts) > 1:
            metadata["additional_descriptions"] = [
                {"description": description(text), "type": {"id": "abstract"}}
                for text in abstracts[1:]]
    subjects = []
    for subject in _values(record, "650", "a") + _values(record, "653", "a"):
        if {"subject": subject} not in subjects:
            subjects.append({"subject": subject})
    if subjects:
        metadata["subjects"] = subjects
    languages = []
    for code in _values(record, "041", "a"):
        found = LANGUAGES.get(plain(code))
        if found and {"id": found} not in languages:
            languages.append({"id": found})
    if languages:
        metadata["languages"] = languages
    publishers = _values(record, "260", "b") + _values(record, "264", "b")
    if publishers:
        metadata["publisher"] = publishers[0].rstrip(" ,:;")
    rights = []
    for field in _fields(record, "540"):
        url = (field.get("u") or [None])[0]
        licence = licences.get(licence_key(url)) if url else None
        text = (field.get("a") or [url or ""])[0]
        right = {"id": licence} if licence else ({"title": {"en": text}} if text else None)
        if right and right not in rights:
            rights.append(right)
    if rights:
        metadata["rights"] = rights

    identifiers = [{"identifier": source_id, "scheme": "other"}]
    for field in _fields(record, "024"):
        scheme = SCHEMES.get(plain((field.get("2") or [""])[0]))
        value = (field.get("a") or [""])[0]
        if scheme and value:
            found = identifier(value)
            value = found[1] if found and found[0] == scheme else value
            if {"identifier": value, "scheme": scheme} not in identifiers:
                identifiers.append({"identifier": value, "scheme": scheme})
    files = []
    for field in _fields(record, "856"):
        for url in field.get("u", []):
            name = file_link(url)
            if name:
                size = (field.get("s") or [""])[0]
                files.append({"key": name, "url": url,
                              "size": int(size) if size.isdigit() else None,
                              "checksum": None, "mimetype": (field.get("q") or [None])[0]})
                continue
            found = identifier(url)
            if found and {"identifier": found[1], "scheme": found[0]} not in identifiers:
                identifiers.append({"identifier": found[1], "scheme": found[0]})
    metadata["identifiers"] = identifiers
    return metadata, unique_keys(files), []
