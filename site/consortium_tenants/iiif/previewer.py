"""The preview of an image file on a work's page: the whole work in Mirador.

An InvenioRDM previewer (`invenio_previewer.previewers` entry point, first in
PREVIEWER_PREFERENCE): the landing page's preview frame opens Mirador on the work's
Presentation 3.0 manifest, at the page of the file chosen, so a scanned book is turned
page by page and zoomed instead of downloaded file by file. A PDF whose pages have tiles
(a published work's, `tiles.py`) opens there too, at its first page, with a link to the
PDF itself in pdf.js (the same preview with `?viewer=pdfjs`, which this previewer leaves
to pdf.js); a PDF without pages (a draft's, one not rendered yet) stays with pdf.js.

Why Mirador: a maintained IIIF viewer (Project Mirador, Apache-2.0) that reads
Presentation 3 natively, ships one self-contained build (its own React, beside
InvenioRDM's), is driven by keyboard and takes translations in its configuration (the
Czech ones are the instance's, in translations/mirador-cs.json, i18next v19 plural keys
_0/_1/_2); Universal Viewer would bring a second PDF viewer where pdf.js already previews
PDFs. Mirador 3.4.3, not 4.0.0: 4.0.0's dist/mirador.min.js carries React's development
build, which logs "Accessing element.ref was removed in React 19" to every reader's
console (measured in the browser test)."""

import json
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from flask import current_app, render_template, request

from ..i18n import language
from .tiles import area_of, is_pdf, pdf_pages

TRANSLATIONS = Path(__file__).parent / "translations"


@cache
def _json(name):
    return json.loads((TRANSLATIONS / name).read_text(encoding="utf-8"))


def _extensions():
    return {ext.lower() for ext in current_app.config["RDM_IIIF_MANIFEST_FORMATS"]}


def _record(file):
    data = getattr(file.record, "data", None) or {}
    return data if isinstance(data, dict) else {}


def _pdf_with_pages(file):
    """A published work's PDF whose pages have tiles (so canvases in its manifest)."""
    record = _record(file)
    if not is_pdf(file.filename) or record.get("is_draft") or not record.get("id"):
        return False
    return bool(pdf_pages(record["id"], file.filename, area_of(record.get("access"))))


def can_preview(file):
    """Image files of the IIIF manifest's formats; a PDF with tiled pages, unless pdf.js
    is asked for."""
    if file.has_extensions(*(f".{ext}" for ext in _extensions())):
        return True
    return request.args.get("viewer") != "pdfjs" and _pdf_with_pages(file)


def preview(file):
    """Mirador on the work's manifest, at this file's page (a PDF's first page)."""
    pdf = None
    if is_pdf(file.filename):
        record_uuid = f"record:{_record(file)['id']}"
        api = file.data["links"]["content"].rpartition("/records/")[0]  # …/api
        pdf = f"{request.path}?{urlencode({**request.args.to_dict(), 'viewer': 'pdfjs'})}"
    else:
        base = file.data["links"]["iiif_base"]  # …/api/iiif/<record|draft>:<id>:<key>
        api, _, uuid = base.rpartition("/iiif/")
        record_uuid = uuid.rsplit(":", 1)[0]
    manifest = f"{api}/iiif/3/{record_uuid}/manifest"
    return render_template(
        "consortium_tenants/iiif/viewer.html",
        file=file,
        pdfjs_url=pdf,
        viewer={"manifest": manifest, "key": file.filename, "language": language(),
                "translations": {"cs": _json("mirador-cs.json")},
                "languages": _json("mirador-languages.json")},
    )
