"""Old addresses of an imported repository keep working: on a library's host,
`/handle/<prefix>/<suffix>` (DSpace's and Handle.net's form, as cited in papers) answers
301 with the work that carries that Handle among its identifiers; no such work: 404."""

import re

from flask import Blueprint, abort, g, redirect
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service as records

from ..origin import primary_origin

HANDLE = re.compile(r"^\d[\w.]*/[\w.\-]+$")
"""A Handle as repositories mint them (`11222.digilib/123`, `10195/4567`); anything else
cannot be one of ours and is not looked up."""


def work_with_handle(tenant, handle):
    """The id of the library's published work carrying HANDLE, or None."""
    query = (f'metadata.identifiers.scheme:"handle" AND metadata.identifiers.identifier:'
             f'"{handle}" AND parent.communities.ids:"{tenant.community_id}"')
    hits = list(records.search(system_identity, params={"q": query, "size": 1}).hits)
    return hits[0]["id"] if hits else None


def handle_redirect(handle):
    tenant = g.get("tenant")
    handle = handle.rstrip("/")
    if tenant is None or not HANDLE.match(handle):
        abort(404)
    recid = work_with_handle(tenant, handle)
    if recid is None:
        abort(404)
    return redirect(f"{primary_origin(tenant)}/records/{recid}", code=301)


def create_blueprint(app):
    """The old-address redirects of imported works."""
    blueprint = Blueprint("consortium_imports_redirects", __name__)
    blueprint.add_url_rule("/handle/<path:handle>", "handle", handle_redirect)
    return blueprint
