"""A record (the IIIF service's read, with its files) → IIIF Presentation 3.0 manifest.

One canvas per image file whose dimensions InvenioRDM extracted at upload (pyvips), in the
files' order (`files.order`, else by name: page scans are named in page order); its
painting annotation is the full image from the Image API, with the Image API service
(InvenioRDM's, level 1) for deep zoom. PDFs are offered as `rendering`; once a PDF's pages
have tiles (`tiles.py`), each of its pages follows the images as a canvas too, its Image
API service the page's (`record:<id>:<file>.page-<n>`)."""

from flask_babel import force_locale
from invenio_i18n import lazy_gettext as _

from ..i18n import language

CONTEXT = "http://iiif.io/api/presentation/3/context.json"
LANGUAGES = ("cs", "en")
IMAGE_SERVICE = "http://iiif.io/api/image/2/level1.json"
# Presentation 3 takes Creative Commons and RightsStatements.org URIs, in http form
RIGHTS_HOSTS = ("creativecommons.org/licenses/", "creativecommons.org/publicdomain/",
                "rightsstatements.org/vocab/")


def languages():
    """cs and en, the request's language first. Every language map of the manifest keeps
    both, in this order: Mirador 3.4.3 passes its language to manifesto for metadata
    rows, but reads other labels without a locale (`PropertyValue.getValue()`: the
    canvases', the required statement's, the provider's, the renderings') and so shows
    them in a map's first language whatever its own (an English reader saw "Poskytuje"
    for "Provided by"). JSON objects are unordered: the order changes nothing for a
    client that picks its language."""
    current = language()
    return sorted(LANGUAGES, key=lambda lang: lang != current)


def both(text):
    """TEXT (lazy) in Czech and English, as a IIIF language map."""
    out = {}
    for lang in languages():
        with force_locale(lang):
            out[lang] = [str(text)]
    return out


def per_language(values):
    """{"cs": …, "en": …} (strings) as a language map, the request's language first."""
    return {lang: [values[lang]] for lang in languages()}


def vocabulary_title(entry):
    """A vocabulary entry's title as a language map (cs falls back to en)."""
    title = (entry or {}).get("title") or {}
    en = title.get("en") or (entry or {}).get("id", "")
    return per_language({"cs": title.get("cs") or en, "en": en})


def rights_uri(rights):
    """The first licence that Presentation 3 accepts as `rights`, as its canonical
    http URI (RDM's vocabulary gives https legal-code pages), else None."""
    for licence in rights or []:
        url = ((licence.get("props") or {}).get("url") or licence.get("link") or "").strip()
        rest = url.split("://", 1)[-1]
        if rest.startswith(RIGHTS_HOSTS):
            rest = rest.removesuffix("legalcode").removesuffix("legalcode.cs")
            return "http://" + (rest if rest.endswith("/") else rest + "/")
    return None


def page_label(key, number):
    """"<file> — page N" in Czech and English."""
    out = {}
    for lang in languages():
        with force_locale(lang):
            out[lang] = [str(_("%(file)s — page %(number)s", file=key, number=number))]
    return out


def ordered_entries(record):
    files = record.get("files") or {}
    entries = files.get("entries") or {}
    return [entries[key] for key in files.get("order") or sorted(entries) if entries.get(key)]


def image_files(record, formats):
    """The record's image files with dimensions, in page order."""
    files = record.get("files") or {}
    entries = files.get("entries") or {}
    order = files.get("order") or sorted(entries)
    out = []
    for key in order:
        entry = entries.get(key)
        if not entry:
            continue
        meta = entry.get("metadata") or {}
        ext = key.rsplit(".", 1)[-1].lower() if "." in key else ""
        if ext in formats and meta.get("width", 0) > 0 and meta.get("height", 0) > 0:
            out.append(entry)
    return out


class Manifest:
    """Builds the manifest of a record (its service dump) in a context: the manifest's
    URL, the library (names, home URL, logo URL), the work's landing page, the summary
    as text and the image formats shown."""

    def build(self, record, context):
        manifest_id = context["manifest_id"]
        meta = record.get("metadata") or {}
        canvases = [self.canvas(manifest_id, n, entry["key"], entry["metadata"]["width"],
                                entry["metadata"]["height"], entry["links"]["iiif_base"])
                    for n, entry in enumerate(image_files(record, context["formats"]), 1)]
        pages = context.get("pdf_pages")
        for entry in ordered_entries(record) if pages else ():
            if not entry["key"].lower().endswith(".pdf"):
                continue
            for number, (width, height) in enumerate(pages(entry["key"]), 1):
                canvases.append(self.canvas(
                    manifest_id, len(canvases) + 1, page_label(entry["key"], number), width,
                    height, context["page_service"](entry["key"], number)))
        out = {
            "@context": CONTEXT,
            "id": manifest_id,
            "type": "Manifest",
            "label": {"none": [meta.get("title") or record.get("id", "")]},
            "metadata": self.metadata(record),
            "homepage": [{"id": context["landing_page"], "type": "Text",
                          "label": {"none": [meta.get("title") or ""]},
                          "format": "text/html"}],
            "items": canvases,
        }
        description = context.get("summary")
        if description:
            out["summary"] = {"none": [description]}
        rights = rights_uri(meta.get("rights"))
        if rights:
            out["rights"] = rights
        library = context.get("library")
        if library:
            out["provider"] = [self.provider(library)]
            out["requiredStatement"] = {"label": both(_("Provided by")),
                                        "value": Manifest.names(library)}
        pdfs = [e for e in (record.get("files") or {}).get("entries", {}).values()
                if e.get("mimetype") == "application/pdf" and (e.get("links") or {}).get("content")]
        if pdfs:
            out["rendering"] = [{"id": e["links"]["content"], "type": "Text",
                                 "label": {"none": [e["key"]]}, "format": "application/pdf"}
                                for e in pdfs]
        return out

    @staticmethod
    def names(library):
        return per_language({lang: library["names"].get(lang) or library["names"]["en"]
                             for lang in LANGUAGES})

    @staticmethod
    def provider(library):
        names = Manifest.names(library)
        agent = {"id": library["url"], "type": "Agent", "label": names,
                 "homepage": [{"id": library["url"], "type": "Text", "label": names,
                               "format": "text/html"}]}
        if library.get("logo"):
            agent["logo"] = [{"id": library["logo"], "type": "Image"}]
        return agent

    @staticmethod
    def metadata(record):
        meta = record.get("metadata") or {}
        rows = []

        def add(label, value):
            if value:
                rows.append({"label": both(label), "value": value})

        creators = [c.get("person_or_org", {}).get("name") for c in meta.get("creators") or []]
        add(_("Creators"), {"none": ["; ".join(c for c in creators if c)]} if creators else None)
        add(_("Publication date"), {"none": [meta["publication_date"]]}
            if meta.get("publication_date") else None)
        add(_("Resource type"), vocabulary_title(meta.get("resource_type"))
            if meta.get("resource_type") else None)
        add(_("Publisher"), {"none": [meta["publisher"]]} if meta.get("publisher") else None)
        spoken = [vocabulary_title(lang) for lang in meta.get("languages") or []]
        add(_("Languages"), per_language({lang: "; ".join(v[lang][0] for v in spoken)
                                          for lang in LANGUAGES}) if spoken else None)
        licences = [vocabulary_title(r) for r in meta.get("rights") or [] if r.get("id")]
        add(_("Licence"), per_language({lang: "; ".join(v[lang][0] for v in licences)
                                        for lang in LANGUAGES}) if licences else None)
        doi = ((record.get("pids") or {}).get("doi") or {}).get("identifier")
        add(_("DOI"), {"none": [f"https://doi.org/{doi}"]} if doi else None)
        for ident in meta.get("identifiers") or []:
            if ident.get("scheme") in ("urn", "urnnbn") and ident.get("identifier"):
                add(_("URN:NBN"), {"none": [ident["identifier"]]})
        return rows

    @staticmethod
    def canvas(manifest_id, number, label, width, height, service_id):
        """Canvas NUMBER: an image (its label a file name, or a language map) of WIDTH ×
        HEIGHT served by the Image API service SERVICE_ID."""
        base = manifest_id.rsplit("/manifest", 1)[0]
        canvas_id = f"{base}/canvas/p{number}"
        return {
            "id": canvas_id,
            "type": "Canvas",
            "label": label if isinstance(label, dict) else {"none": [label]},
            "width": width,
            "height": height,
            "thumbnail": [{"id": f"{service_id}/full/!200,200/0/default.jpg", "type": "Image",
                           "format": "image/jpeg"}],
            "items": [{
                "id": f"{canvas_id}/page",
                "type": "AnnotationPage",
                "items": [{
                    "id": f"{canvas_id}/page/image",
                    "type": "Annotation",
                    "motivation": "painting",
                    "target": canvas_id,
                    "body": {
                        "id": f"{service_id}/full/full/0/default.jpg",
                        "type": "Image",
                        "format": "image/jpeg",
                        "width": width,
                        "height": height,
                        "service": [{"@id": service_id, "@type": "ImageService2",
                                     "profile": IMAGE_SERVICE}],
                    },
                }],
            }],
        }
