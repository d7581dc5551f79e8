"""Blueprints: the REST API and the UI side (host routing, branding)."""

from datetime import date

from flask import Blueprint, abort, current_app, flash, g, redirect, render_template, request
from flask_login import current_user, login_required
from marshmallow import ValidationError
from invenio_i18n import gettext
from invenio_i18n import lazy_gettext as _

from . import library_pages, pages, preferences
from .administration.dashboard import DASHBOARD_COLUMNS, csv_response, dashboard_row, sorted_rows
from .billing.formats import statement_html
from .oa.rules import version_labels
from .oa.schema import SEVERITIES, VERSIONS, preset_titles
from .page_helpers import CsrfForm, flat_errors, or_abort
from .proxies import (
    current_billing_service,
    current_datacite_service,
    current_oa_service,
    current_storage_service,
    current_tenants_service,
    current_workflows_service,
)
from .dois.accounts import UnreadableAccount, account_of_library
from .dois.form import apply_doi_choice
from .iiif.resource import IIIFV3Resource, IIIFV3ResourceConfig
from .routing import resolve_tenant
from .tenants.resource import translated
from .storage.accounts import usage as storage_usage
from .storage.warnings import banner_for
from .units import format_size
from .workflows import views as workflow_views
from .workflows.form import deposit_library, rule_labels
from .workflows.requests import changes_requested_on, draft_awaiting_changes


def create_api_blueprint(app):
    """`/api/tenants`."""
    ext = app.extensions["consortium-tenants"]
    blueprint = ext.tenants_resource.as_blueprint()
    blueprint.before_app_request(resolve_tenant)
    return blueprint


def create_workflows_blueprint(app):
    """`/api/tenants/<slug>/workflow` and `/api/tenants/<slug>/submissions`."""
    return app.extensions["consortium-tenants"].workflows_resource.as_blueprint()


def create_billing_blueprint(app):
    """`/api/tenants/<slug>/statements`, `/api/billing/summary|tariffs`."""
    return app.extensions["consortium-tenants"].billing_resource.as_blueprint()


def create_sso_api_blueprint(app):
    """`/api/tenants/<slug>/sso`, `/api/tenants/<slug>/sso/audit`, `/api/sso/idps`."""
    return app.extensions["consortium-tenants"].sso_resource.as_blueprint()


def create_imports_blueprint(app):
    """`/api/tenants/<slug>/imports`."""
    return app.extensions["consortium-tenants"].imports_resource.as_blueprint()


def create_oa_blueprint(app):
    """`/api/tenants/<slug>/oa-policy`."""
    return app.extensions["consortium-tenants"].oa_resource.as_blueprint()


def create_iiif_blueprint(app):
    """`/api/iiif/3/<record|draft>:<id>/manifest`: IIIF Presentation 3.0 manifests."""
    service = app.extensions["invenio-rdm-records"].iiif_service
    return IIIFV3Resource(IIIFV3ResourceConfig, service).as_blueprint()


def create_kramerius_blueprint(app):
    """`/api/tenants/<slug>/kramerius` and `…/kramerius/broken-links`."""
    return app.extensions["consortium-tenants"].kramerius_resource.as_blueprint()


def create_datacite_blueprint(app):
    """`/api/tenants/<slug>/datacite` and `/api/tenants/<slug>/dois/failed`."""
    return app.extensions["consortium-tenants"].datacite_resource.as_blueprint()


DEPOSIT_ENDPOINTS = {
    "invenio_app_rdm_records.deposit_create",
    "invenio_app_rdm_records.deposit_edit",
}


def _deposit_form_library():
    """On a deposit form page: the library deposited into, else None."""
    if request.endpoint not in DEPOSIT_ENDPOINTS or not current_user.is_authenticated:
        return None
    return deposit_library()


def deposit_storage_warning():
    """On the deposit form: usage of the library it deposits to, when nearly full."""
    return banner_for(_deposit_form_library())


def deposit_library_suspended():
    """On the deposit form: the library deposited into when it is suspended, else None."""
    tenant = _deposit_form_library()
    return tenant if tenant is not None and tenant.status == "suspended" else None


def deposit_without_doi():
    """On the deposit form: True when the library deposited into has no DataCite
    account (nor the consortium one), so its works get no DOI."""
    tenant = _deposit_form_library()
    try:
        return tenant is not None and account_of_library(tenant) is None
    except UnreadableAccount:  # publishing says why it cannot mint
        return False


def deposit_doi_choice(forms_config, record):
    """On the deposit form: its DOI field starts at minting one where publication mints one."""
    return apply_doi_choice(forms_config, _deposit_form_library(), record)


def deposit_changes_requested():
    """On the deposit form of a draft sent back by curators: what they asked for."""
    if request.endpoint != "invenio_app_rdm_records.deposit_edit" \
            or not current_user.is_authenticated:
        return None
    return changes_requested_on(g.identity, request.view_args.get("pid_value"))


REQUEST_PAGES = {
    "invenio_app_rdm_requests.user_dashboard_request_view",
    "invenio_app_rdm_requests.community_dashboard_request_view",
}


def request_draft_to_change():
    """On a submission's page, for its depositor while changes are asked for: the draft."""
    if request.endpoint not in REQUEST_PAGES or not current_user.is_authenticated:
        return None
    return draft_awaiting_changes(g.identity, request.view_args.get("request_pid_value"))


def deposit_storage_limits(forms_config):
    """On the deposit form: the uploader's limits are the library's (its quota, largest
    file and number of files), not RDM's defaults. The quota is the library's whole
    quota: what is left of it is the server's to say (413 with the reason, cs/en),
    since other drafts of the library fill it too. The storage indicator shows what
    the library uses of it (`quota.library.used`, bytes now; the uploader adds what
    the page uploads)."""
    tenant = _deposit_form_library()
    if not forms_config or tenant is None:
        return ""
    use = storage_usage(tenant)
    quota = forms_config.setdefault("quota", {})
    if use["quota"]:
        quota["maxStorage"] = use["quota"]
        quota["library"] = {"used": use["bytes"]}
    if use["max_file_size"]:
        quota["maxFileSize"] = min(filter(None, (quota.get("maxFileSize"), use["max_file_size"])))
    if use["max_files"]:
        quota["maxFiles"] = use["max_files"]
    return ""


def deposit_rules():
    """On the deposit form: the library and its workflow, for the rules panel."""
    tenant = _deposit_form_library()
    if tenant is None:
        return None
    workflow = current_workflows_service.dump(tenant)
    return {"tenant": tenant, "field_labels": rule_labels(workflow["rules"]), **workflow}


@login_required
def library_storage(slug):
    """A library's storage use and limits, for its managers and consortium staff."""
    usage = or_abort(current_storage_service.usage, g.identity, slug)
    tenant = current_tenants_service.get(slug)
    return render_template(
        "consortium_tenants/storage.html", tenant=tenant, usage=usage,
        format_size=format_size,
        thresholds=current_app.config["CONSORTIUM_STORAGE_WARNING_THRESHOLDS"],
    )


@login_required
def library_oa_report(slug):
    """A library's open-access report (charts, tables, CSV), for its curators and managers."""
    report = or_abort(current_oa_service.report, g.identity, slug)
    tenant = current_tenants_service.get(slug)
    return render_template(
        "consortium_tenants/oa_report.html", tenant=tenant, report=report,
        can_edit_policy=current_tenants_service.check_permission(
            g.identity, "update_oa_policy", record=tenant))


OA_POLICY_FIELDS = ("preset", "licenses", "max_embargo_months", "embargo_by_resource_type",
                    "versions", "funding_required", "data_within_months", "severity")


def form_to_oa_policy(form):
    """The policy form as the oa-policy API's JSON; a bad line of per-type embargoes is a
    ValidationError of that field."""
    by_type, bad = {}, []
    for line in form.get("embargo_by_resource_type", "").splitlines():
        if not line.strip():
            continue
        type_id, colon, months = line.partition(":")
        if not colon or not type_id.strip():
            bad.append(line.strip())
            continue
        by_type[type_id.strip()] = months.strip()
    if bad:
        raise ValidationError({"embargo_by_resource_type": [gettext(
            "Write one resource type per line as type: months, e.g. dataset: 12 "
            "(not: %(lines)s).", lines="; ".join(bad))]})
    data = {
        "licenses": form.getlist("licenses"),
        "max_embargo_months": form.get("max_embargo_months", "").strip() or None,
        "embargo_by_resource_type": by_type,
        "versions": form.getlist("versions"),
        "funding_required": form.get("funding_required") == "on",
        "data_within_months": form.get("data_within_months", "").strip() or None,
        "severity": form.get("severity", ""),
    }
    if form.get("preset"):  # a preset replaces the fields; they are changed afterwards
        return {"preset": form["preset"]}
    return data


@login_required
def library_oa_policy(slug):
    """A library's open-access policy, edited by its managers (and consortium
    administrators): the same service and checks as PUT /api/tenants/<slug>/oa-policy;
    a refusal shows each message at its field (400) and changes nothing."""
    tenant = or_abort(current_tenants_service.get, slug)
    or_abort(current_tenants_service.require, g.identity, "update_oa_policy", tenant)
    form, errors, status = CsrfForm(), {}, 200
    policy = current_oa_service.read(g.identity, slug)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        try:
            current_oa_service.update(g.identity, slug, form_to_oa_policy(request.form))
            flash(gettext("The open-access policy was saved."), "success")
            return redirect(f"/libraries/{slug}/oa-policy")
        except ValidationError as error:
            status = 400
            for field, message in flat_errors(translated(error.messages)):
                key = field.split(".", 1)[0]
                errors.setdefault(key if key in OA_POLICY_FIELDS else "", []).append(message)
            submitted = request.form
            policy = {**policy, "submitted": submitted}
    return render_template(
        "consortium_tenants/oa_policy.html", tenant=tenant, policy=policy, form=form,
        errors=errors, licenses=workflow_views.terms("licenses"),
        versions=VERSIONS, version_labels=version_labels(), preset_titles=preset_titles(),
        severities=SEVERITIES), status


@login_required
def library_embargoes(slug):
    """A library's works whose embargo ends in the next 90 days, for its curators and
    managers (the same list as GET /api/tenants/<slug>/oa-embargoes)."""
    data = or_abort(current_oa_service.embargoes, g.identity, slug)
    works = [{**work, "until_date": date.fromisoformat(work["until"])} for work in data["works"]]
    return render_template("consortium_tenants/oa_embargoes.html",
                           tenant=current_tenants_service.get(slug), data=data, works=works)


@login_required
def library_statement(slug, period):
    """A library's statement for PERIOD, printable, for its managers and consortium staff."""
    try:
        data = or_abort(current_billing_service.statement, g.identity, slug, period)
    except ValidationError:
        abort(404)
    return statement_html(data)


@login_required
def library_dashboard(slug):
    """A library's own dashboard (its row of the consortium's), for its managers and
    consortium staff; `?format=csv` as CSV."""
    tenant = or_abort(current_tenants_service.read, g.identity, slug)
    rows, sort, descending = sorted_rows([or_abort(dashboard_row, g.identity, tenant)])
    if request.args.get("format") == "csv":
        return csv_response(rows, f"dashboard-{slug}.csv")
    return render_template(
        "consortium_tenants/library_dashboard.html", tenant=current_tenants_service.get(slug),
        rows=rows, sort=sort, descending=descending, columns=DASHBOARD_COLUMNS,
        format_size=format_size)


def libraries_page():
    """/libraries: the member libraries with logos, works and links (cs/en)."""
    return render_template("consortium_tenants/libraries.html",
                           libraries=pages.member_libraries(with_works=True))


DOI_ACCOUNT_STATUSES = {
    "enabled": _("the library's own account"),
    "failing": _("the library's own account, refused by DataCite (check its credentials)"),
    "disabled": _("switched off"),
    "consortium": _("the consortium's account"),
    "none": _("none: works get no DOI"),
}


@login_required
def library_dois(slug):
    """A library's DataCite status and failed registrations, for its managers."""
    account = or_abort(current_datacite_service.read, g.identity, slug)
    return render_template(
        "consortium_tenants/dois.html", tenant=current_tenants_service.get(slug),
        account=account, failed=current_datacite_service.failed(g.identity, slug),
        statuses=DOI_ACCOUNT_STATUSES)


def create_templates_blueprint(app):
    """Templates (e-mail notifications) for the REST app, where Celery tasks run too."""
    return Blueprint("consortium_tenants_templates", __name__, template_folder="templates")


def _instance_page():
    """True when the request goes to one of the instance's own pages (its blueprints
    or its administration views)."""
    if (request.blueprint or "").startswith("consortium_"):
        return True
    view = current_app.view_functions.get(request.endpoint)
    return (getattr(getattr(view, "view_class", view), "__module__", "") or "").startswith(
        "consortium_")


def guard_pages():
    """Before any request to the instance's pages: a NUL character in the path or the
    query string is a 400 (PostgreSQL cannot even compare such a text), and a form is
    posted as a form: Flask-WTF would read a JSON body as the form's data (a list or a
    number as a form: a 500), so JSON is a 415 here."""
    if request.endpoint is None or not _instance_page():
        return
    if "\x00" in request.path or any("\x00" in key or "\x00" in value
                                      for key, value in request.args.items(multi=True)):
        abort(400, description=gettext("The request contains a NUL character."))
    if request.method not in ("GET", "HEAD", "OPTIONS") and request.is_json:
        abort(415, description=gettext("Send this form as a form, not as JSON."))


def create_ui_blueprint(app):
    """Host routing and tenant branding of HTML pages."""
    blueprint = Blueprint(
        "consortium_tenants_ui", __name__, template_folder="templates"
    )
    blueprint.before_app_request(resolve_tenant)
    blueprint.before_app_request(guard_pages)
    blueprint.add_url_rule("/libraries", "libraries", libraries_page)
    blueprint.add_url_rule("/libraries/<slug>/storage", "storage", library_storage)
    blueprint.add_url_rule("/libraries/<slug>/oa", "oa_report", library_oa_report)
    blueprint.add_url_rule("/libraries/<slug>/embargoes", "oa_embargoes", library_embargoes)
    blueprint.add_url_rule("/libraries/<slug>/oa-policy", "oa_policy", library_oa_policy,
                           methods=["GET", "POST"])
    blueprint.add_url_rule("/libraries/<slug>/statements/<period>", "statement",
                           library_statement)
    blueprint.add_url_rule("/libraries/<slug>/dois", "dois", library_dois)
    blueprint.add_url_rule("/libraries/<slug>/dashboard", "dashboard", library_dashboard)
    workflow_views.register(blueprint)
    pages.register(blueprint)  # front page, footers, library names
    preferences.register(blueprint)  # the profile page's preferences form
    library_pages.register(blueprint)  # which of a library's pages a person may open

    @blueprint.app_context_processor
    def tenant_context():
        return {"current_tenant": getattr(g, "tenant", None),
                "deposit_storage_warning": deposit_storage_warning,
                "deposit_rules": deposit_rules,
                "deposit_changes_requested": deposit_changes_requested,
                "request_draft_to_change": request_draft_to_change,
                "deposit_without_doi": deposit_without_doi,
                "deposit_library_suspended": deposit_library_suspended,
                "deposit_doi_choice": deposit_doi_choice,
                "deposit_storage_limits": deposit_storage_limits}

    return blueprint
