"""Pages of imports: the library's import page for its managers (runs with their
progress, a run's items by state, an item with its reason, the start form, Stop, Run
again: all through ImportService, as the REST API) and the old addresses of an imported
repository, on a library's host (the old host pointed at the platform, or redirected to
the library's host with the path kept), each answering 301 with the library's work:
- `/handle/<prefix>/<suffix>` (DSpace's and Handle.net's form, as cited in papers): the
  work carrying that Handle among its identifiers;
- EPrints' `/id/eprint/<n>` and `/<n>/` and legacy Invenio's `/record/<n>`: the work
  whose identifiers keep that record's page (EPrints' oai_dc gives it as dc:relation,
  Invenio's marcxml in 856 $u) on the host of one of the library's import sources.
No such work: the site's 404 page, in the request's language."""

import json
import re
from urllib.parse import urlencode, urlsplit

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request
from flask_babel import format_decimal
from flask_login import login_required
from invenio_access.permissions import system_identity
from invenio_i18n import gettext
from invenio_rdm_records.proxies import current_rdm_records_service as records
from marshmallow import ValidationError

from ..origin import primary_origin
from ..page_helpers import CsrfForm, flat_errors, or_abort
from ..proxies import current_consortium, current_tenants_service
from ..tenants.resource import translated
from .service import DOI_POLICIES, STATES

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


OLD_NUMBER_MAX = 10**12
"""Record numbers above this are no old repository's (nothing is looked up)."""
OLD_PAGES = {  # the shape of an old record page's path (its number filled in)
    "eprints": ("/{n}", "/id/eprint/{n}"),
    "invenio": ("/record/{n}",),
}


def work_at_old_page(tenant, number, shape):
    """The id of TENANT's published work whose identifiers keep the old record page
    NUMBER of SHAPE (`OLD_PAGES`) on one of its import sources' hosts, or None."""
    hosts = _service().source_hosts(tenant)
    if not hosts:
        return None
    paths = {path.format(n=number) for path in OLD_PAGES[shape]}
    query = (f'metadata.identifiers.scheme:"url" AND metadata.identifiers.identifier:'
             f'"{number}" AND parent.communities.ids:"{tenant.community_id}"')
    for hit in records.search(system_identity, params={"q": query, "size": 100}).hits:
        for entry in hit["metadata"].get("identifiers", []):
            if entry.get("scheme") != "url":
                continue
            address = urlsplit(entry.get("identifier", ""))
            if (address.hostname or "").lower() in hosts and \
                    (address.path.rstrip("/") or "/") in paths:
                return hit["id"]
    return None


def old_page_redirect(number, shape):
    tenant = g.get("tenant")
    if tenant is None or not 0 < number <= OLD_NUMBER_MAX:
        abort(404)
    recid = work_at_old_page(tenant, number, shape)
    if recid is None:
        abort(404)
    return redirect(f"{primary_origin(tenant)}/records/{recid}", code=301)


def eprint_redirect(number):
    """EPrints' `/id/eprint/<n>` and `/<n>/`."""
    return old_page_redirect(number, "eprints")


def invenio_record_redirect(number):
    """Legacy Invenio's `/record/<n>`."""
    return old_page_redirect(number, "invenio")


# --- the library's import page (its managers) ---------------------------------------
FORMAT_CHOICES = ("oai_dc", "ore", "marcxml")
FLAGS = ("dry_run", "bypass_review", "full")
ITEMS_PER_PAGE = 100
"""Items on each page of a run's page (`CONSORTIUM_IMPORT_ITEMS_PER_PAGE`; the CSV has
them all)."""
MAX_PAGE = 10**6


def _service():
    return current_consortium.imports_service


def _number(value):
    return format_decimal(value, format="#,##0.##") if value is not None else None


def _progress(run):
    """What the page shows of a run's progress, in the page's numbers."""
    return {"percent": int(100 * run["done"] / run["total"]) if run["total"] else
            (100 if run["status"] == "finished" else 0),
            "rate": _number(run["rate"]), "eta": run["eta_seconds"]}


@login_required
def library_imports(slug):
    """The library's import runs (newest first, with their progress) and the form that
    starts one (the service's `submit`, as POST /api/tenants/<slug>/imports: a refused
    field says why beside it, 400, nothing started)."""
    tenant = or_abort(current_tenants_service.get, slug)
    runs = or_abort(_service().runs, g.identity, slug)["runs"]
    form, errors, status = CsrfForm(), {}, 200
    doi_prefix = current_tenants_service.doi_prefix(tenant)
    values = {"url": "", "set": "", "metadata_prefix": "oai_dc", "dry_run": True,
              "doi_policy": "new" if doi_prefix else "none"}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        values = {"url": request.form.get("url", ""), "set": request.form.get("set", ""),
                  "metadata_prefix": request.form.get("metadata_prefix", "oai_dc"),
                  "doi_policy": request.form.get("doi_policy", ""),
                  **{flag: request.form.get(flag) == "on" for flag in FLAGS}}
        data = {key: value for key, value in values.items() if value != ""}
        try:
            run = _service().submit(g.identity, slug, data)
        except ValidationError as error:
            status = 400
            for field, message in flat_errors(translated(error.messages)):
                errors.setdefault(field if field in values else "", []).append(message)
        else:
            flash(gettext("The import was started.") if not run["options"]["dry_run"]
                  else gettext("The dry run was started: it writes nothing but its report."),
                  "success")
            return redirect(f"/libraries/{slug}/imports/{run['id']}")
    return render_template("consortium_tenants/imports/runs.html", tenant=tenant,
                           runs=runs, progress=_progress, form=form, errors=errors,
                           values=values, formats=FORMAT_CHOICES,
                           doi_policies=DOI_POLICIES, doi_prefix=doi_prefix), status


@login_required
def library_import_run(slug, run_id):
    """One run: its progress (kept fresh by the page's script while it runs), its items
    filtered by state, the CSV, Stop and, for each failed item, Run again."""
    tenant = or_abort(current_tenants_service.get, slug)
    run = or_abort(_service().read, g.identity, slug, run_id)
    state = request.args.get("state") or None
    if state is not None and state not in STATES:
        abort(400, gettext("Must be one of: created, updated, unchanged, deleted, failed."))
    number = request.args.get("page") or "1"
    number = int(number) if number.isascii() and number.isdigit() else 0
    if not 1 <= number <= MAX_PAGE:
        abort(400, gettext("The page must be a whole number, 1 or more."))
    size = current_app.config.get("CONSORTIUM_IMPORT_ITEMS_PER_PAGE") or ITEMS_PER_PAGE
    items, total = _service().items_page(g.identity, slug, run_id, state, number, size)
    pages = max(1, -(-total // size))
    if number > pages:
        abort(404)
    return render_template("consortium_tenants/imports/run.html", tenant=tenant, run=run,
                           progress=_progress(run), items=items, total_items=total,
                           page=number, pages=pages, first=(number - 1) * size + 1,
                           state=state, states=STATES, form=CsrfForm())


@login_required
def library_import_item(slug, run_id):
    """One item of a run (`?id=<source id>`): its state, reason, original and mapping."""
    tenant = or_abort(current_tenants_service.get, slug)
    run = or_abort(_service().read, g.identity, slug, run_id)
    item = or_abort(_service().item, g.identity, slug, run_id, request.args.get("id", ""))
    mapped = json.dumps(item["mapped"], ensure_ascii=False, indent=2) \
        if item["mapped"] else None
    return render_template("consortium_tenants/imports/item.html", tenant=tenant, run=run,
                           item=item, mapped=mapped, form=CsrfForm())


def _action(slug, run_id, call, done_message, back):
    if not CsrfForm().validate_on_submit():
        abort(400)
    try:
        or_abort(call)
    except ValidationError as error:
        for _, message in flat_errors(translated(error.messages)):
            flash(message, "error")
        return redirect(back, code=303)
    flash(done_message, "success")
    return redirect(back, code=303)


@login_required
def library_import_stop(slug, run_id):
    """Stop the run after its current item (the service's `stop`)."""
    return _action(slug, run_id, lambda: _service().stop(g.identity, slug, run_id),
                   gettext("The run stops after its current item."),
                   f"/libraries/{slug}/imports/{run_id}")


@login_required
def library_import_retry(slug, run_id):
    """Run one failed item again (the service's `retry`); back to the item's page."""
    source_id = request.form.get("id", "")
    return _action(slug, run_id,
                   lambda: _service().retry(g.identity, slug, run_id, source_id),
                   gettext("The item was run again."),
                   f"/libraries/{slug}/imports/{run_id}/item?{urlencode({'id': source_id})}")


def create_blueprint(app):
    """The old-address redirects of imported works and the library's import pages."""
    blueprint = Blueprint("consortium_imports_redirects", __name__)
    blueprint.add_url_rule("/handle/<path:handle>", "handle", handle_redirect)
    blueprint.add_url_rule("/id/eprint/<int:number>", "eprint", eprint_redirect)
    blueprint.add_url_rule("/id/eprint/<int:number>/", "eprint_slash", eprint_redirect)
    blueprint.add_url_rule("/<int:number>/", "eprint_page", eprint_redirect)
    blueprint.add_url_rule("/record/<int:number>", "invenio_record", invenio_record_redirect)
    blueprint.add_url_rule("/record/<int:number>/", "invenio_record_slash",
                           invenio_record_redirect)
    base = "/libraries/<slug>/imports"
    blueprint.add_url_rule(base, "runs", library_imports, methods=["GET", "POST"])
    blueprint.add_url_rule(f"{base}/<run_id>", "run", library_import_run)
    blueprint.add_url_rule(f"{base}/<run_id>/item", "item", library_import_item)
    blueprint.add_url_rule(f"{base}/<run_id>/stop", "stop", library_import_stop,
                           methods=["POST"])
    blueprint.add_url_rule(f"{base}/<run_id>/retry", "retry", library_import_retry,
                           methods=["POST"])
    return blueprint
