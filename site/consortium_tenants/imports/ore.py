"""DSpace's `ore` (an OAI-ORE resource map as an Atom entry) → InvenioRDM metadata and files.

What DSpace 7 puts in it (its XOAI crosswalk `ore.xsl`): `atom:title`, one `atom:author`
per `dc.contributor.author` ("Family, Given"), `atom:published` (`dc.date.available`),
`atom:link rel="alternate"` (the Handle URI), and one
`atom:link rel="http://www.openarchives.org/ore/terms/aggregates"` per bitstream of the
ORIGINAL bundle with `href` (the bitstream's URL), `title` (file name), `type` and
`length` (bytes). `oreatom:triples` describes each bitstream (`rdf:Description
rdf:about=<its URL>`) with its bundle (`dcterms:description`). DSpace's stock map states no
checksum; where a site adds the bitstream's MD5 to its description (XOAI's `checksum` and
`checksumAlgorithm` fields, or PREMIS' `messageDigest`), it is compared with what arrives.

`read(element, source_id, licences)` → (metadata, files, problems), as every format module.
"""

from urllib.parse import unquote, urlsplit

from lxml import etree

from .dublincore import creator, identifier, publication_date, unique_keys

ATOM = "http://www.w3.org/2005/Atom"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
DCTERMS = "http://purl.org/dc/terms/"
AGGREGATES = "http://www.openarchives.org/ore/terms/aggregates"
HEX = set("0123456789abcdef")


def _text(node):
    return " ".join((node.text or "").split()) if node is not None else ""


def md5_of(description):
    """The MD5 ("md5:<hex>") a bitstream's rdf:Description states, or None."""
    for node in description.iter():
        name = etree.QName(node).localname.lower() if isinstance(node.tag, str) else ""
        if name not in ("checksum", "messagedigest"):
            continue
        algorithm = (node.get("algorithm") or node.get("type") or "").upper()
        if not algorithm:
            for sibling in node.getparent():
                sibling_name = etree.QName(sibling).localname.lower()
                if sibling_name in ("checksumalgorithm", "messagedigestalgorithm"):
                    algorithm = _text(sibling).upper()
        value = _text(node).lower()
        if algorithm in ("", "MD5") and len(value) == 32 and set(value) <= HEX:
            return f"md5:{value}"
    return None


def file_name(url, title):
    """The work's file name of a bitstream: its title, else its URL's last segment."""
    name = (title or "").strip() or unquote(urlsplit(url).path.rsplit("/", 1)[-1])
    return name.replace("/", "_") or "file"


def read_files(entry):
    """The ORIGINAL bitstreams of an ORE atom:entry as file entries."""
    described = {node.get(f"{{{RDF}}}about"): node
                 for node in entry.iter(f"{{{RDF}}}Description")}
    files = []
    for link in entry.findall(f"{{{ATOM}}}link"):
        if link.get("rel") != AGGREGATES or not link.get("href"):
            continue
        url, description = link.get("href").strip(), described.get(link.get("href"))
        checksum = None
        if description is not None:
            bundle = _text(description.find(f"{{{DCTERMS}}}description"))
            if bundle and bundle != "ORIGINAL":  # thumbnails, extracted text, licences
                continue
            checksum = md5_of(description)
        length = (link.get("length") or "").strip()
        files.append({"key": file_name(url, link.get("title")), "url": url,
                      "size": int(length) if length.isdigit() else None,
                      "checksum": checksum, "mimetype": link.get("type") or None})
    return unique_keys(files)


def read(element, source_id, licences=None):
    """(metadata, files, problems) of a harvested record's ELEMENT (its XML)."""
    entry = next(element.iter(f"{{{ATOM}}}entry"), None)
    if entry is None:
        return None, [], ["no ORE resource map (atom:entry) in the record"]
    titles = [_text(t) for t in entry.findall(f"{{{ATOM}}}title") if _text(t)]
    authors = [_text(a.find(f"{{{ATOM}}}name")) for a in entry.findall(f"{{{ATOM}}}author")]
    authors = [a for a in authors if a]
    date = publication_date([_text(entry.find(f"{{{ATOM}}}published"))])
    problems = []
    if not titles:
        problems.append("no atom:title")
    if not authors:
        problems.append("no atom:author")
    if not date:
        problems.append("no atom:published date in the form YYYY[-MM[-DD]]")
    if problems:
        return None, [], problems
    metadata = {"title": titles[0], "creators": [creator(a) for a in authors],
                "publication_date": date, "resource_type": {"id": "publication-other"}}
    identifiers = [{"identifier": source_id, "scheme": "other"}]
    for link in entry.findall(f"{{{ATOM}}}link"):
        if link.get("rel") == "alternate" and link.get("href"):
            found = identifier(link.get("href"))
            if found and {"identifier": found[1], "scheme": found[0]} not in identifiers:
                identifiers.append({"identifier": found[1], "scheme": found[0]})
    metadata["identifiers"] = identifiers
    return metadata, read_files(entry), []
