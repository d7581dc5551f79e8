"""The preview of an image file on a work's page: the whole work in Mirador.

An InvenioRDM previewer (`invenio_previewer.previewers` entry point, first in
PREVIEWER_PREFERENCE for images): the landing page's preview frame opens Mirador on the
work's Presentation 3.0 manifest, at the page of the file chosen, so a scanned book is
turned page by page and zoomed instead of downloaded file by file.

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

from flask import current_app, render_template

from ..i18n import language

TRANSLATIONS = Path(__file__).parent / "translations"


@cache
def _json(name):
    return json.loads((TRANSLATIONS / name).read_text(encoding="utf-8"))


def _extensions():
    return {ext.lower() for ext in current_app.config["RDM_IIIF_MANIFEST_FORMATS"]}


def can_preview(file):
    """Image files of the IIIF manifest's formats."""
    return file.has_extensions(*(f".{ext}" for ext in _extensions()))


def preview(file):
    """Mirador on the work's manifest, at this file's page."""
    base = file.data["links"]["iiif_base"]  # …/api/iiif/<record|draft>:<id>:<key>
    api, _, uuid = base.rpartition("/iiif/")
    record_uuid = uuid.rsplit(":", 1)[0]
    manifest = f"{api}/iiif/3/{record_uuid}/manifest"
    return render_template(
        "consortium_tenants/iiif/viewer.html",
        file=file,
        viewer={"manifest": manifest, "key": file.filename, "language": language(),
                "translations": {"cs": _json("mirador-cs.json")},
                "languages": _json("mirador-languages.json")},
    )
