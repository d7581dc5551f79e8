"""Pages of a library's workflow: settings (managers) and submission queue (curators)."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import login_required
from invenio_access.permissions import system_identity
from invenio_records_resources.services.errors import PermissionDeniedError
from invenio_requests.errors import CannotExecuteActionError
from sqlalchemy.orm.exc import NoResultFound
from invenio_vocabularies.proxies import current_service as vocabularies
from invenio_i18n import gettext as _
from marshmallow import ValidationError

from ..page_helpers import CsrfForm, flat_errors, or_abort
from ..proxies import current_tenants_service as tenants
from ..proxies import current_workflows_service as service
from .requests import CHANGES_REQUESTED, ask_for_changes
from .rules import required_field_labels
from .service import QUEUE_STATUSES


def terms(vocabulary):
    """(id, title by language) of every term of VOCABULARY, ordered by id."""
    found = vocabularies.search(system_identity, type=vocabulary, params={"size": 500})
    return sorted((hit["id"], hit.get("title", {})) for hit in found.hits)


def form_to_workflow(form):
    """The settings form as the workflow API's JSON."""
    embargo = form.get("max_embargo_months", "").strip()
    agreement = {"cs": form.get("agreement_cs", "").strip(),
                 "en": form.get("agreement_en", "").strip()}
    return {
        "preset": form.get("preset", ""),
        "rules": {
            "required_fields": form.getlist("required_fields"),
            "resource_types": form.getlist("resource_types"),
            "licenses": form.getlist("licenses"),
            "default_license": form.get("default_license") or None,
            "default_access": {"record": form.get("default_access_record", "public"),
                               "files": form.get("default_access_files", "public")},
            "allow_restricted": form.get("allow_restricted") == "on",
            "max_embargo_months": embargo or None,
            "agreement": agreement if any(agreement.values()) else None,
        },
    }


@login_required
def workflow_settings(slug):
    """Preset and rules of a library, edited by its managers."""
    tenant = or_abort(tenants.get, slug)
    or_abort(tenants.require, g.identity, "update_workflow", tenant)
    form, errors, status = CsrfForm(), [], 200
    workflow = service.read(g.identity, slug)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        submitted = form_to_workflow(request.form)
        try:
            workflow = service.update(g.identity, slug, submitted)
            flash(_("Workflow saved."), "success")
            return redirect(url_for(".workflow", slug=slug))
        except ValidationError as error:
            errors, status = list(flat_errors(error.messages)), 400
            workflow = {**workflow, **submitted, "rules": {**workflow["rules"],
                                                           **submitted["rules"]}}
    return render_template(
        "consortium_tenants/workflow.html", tenant=tenant, workflow=workflow, form=form,
        errors=errors, required_fields=required_field_labels(),
        # top-level types, and any subtype the rules name (set through the API)
        resource_types=[t for t in terms("resourcetypes")
                        if "-" not in t[0] or t[0] in workflow["rules"]["resource_types"]],
        licenses=terms("licenses"),
    ), status


@login_required
def submissions(slug):
    """The library's submissions by status, newest first (curators, managers)."""
    status = request.args.get("status", "submitted")
    if status not in QUEUE_STATUSES:
        abort(400)
    page = request.args.get("page", 1, type=int)
    queue = or_abort(service.queue, g.identity, slug, status=status, page=max(page, 1))
    return render_template(
        "consortium_tenants/submissions.html", tenant=tenants.get(slug),
        queue=queue, statuses=QUEUE_STATUSES, form=CsrfForm(), page=page)


@login_required
def request_changes(slug, request_id):
    """A curator sends a submission back with a comment (missing from RDM's request page)."""
    form = CsrfForm()
    if not form.validate_on_submit():
        abort(400)
    tenant = or_abort(tenants.get, slug)
    or_abort(tenants.require, g.identity, "read_submissions", tenant)  # its curators only
    comment = {"content": request.form.get("comment", "").strip(), "format": "html"}
    try:
        ask_for_changes(g.identity, request_id, comment)
    except PermissionDeniedError:
        abort(403)
    except NoResultFound:
        abort(404)
    except ValidationError as error:
        for _field, message in flat_errors(error.messages):
            flash(message, "error")
        return redirect(url_for(".submissions", slug=slug))
    except CannotExecuteActionError:
        flash(_("This submission no longer waits for review."), "error")
        return redirect(url_for(".submissions", slug=slug))
    flash(_("The depositor was asked for changes."), "success")
    return redirect(url_for(".submissions", slug=slug, status=CHANGES_REQUESTED))


def register(blueprint):
    """Add the workflow pages to the UI blueprint."""
    blueprint.add_url_rule("/libraries/<slug>/workflow", "workflow", workflow_settings,
                           methods=["GET", "POST"])
    blueprint.add_url_rule("/libraries/<slug>/submissions", "submissions", submissions)
    blueprint.add_url_rule("/libraries/<slug>/submissions/<uuid:request_id>/request-changes",
                           "request_changes", request_changes, methods=["POST"])
