"""Administration → Member libraries: list, create, edit, suspend/resume.

A server-rendered panel over TenantService: the same validation, permissions
and provisioning as the CLI and the REST API.
"""

from flask import current_app, flash, g, redirect, request
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms.validators import ValidationError as WTFormsValidationError
from invenio_administration.views.base import AdminView
from invenio_records_resources.services.errors import PermissionDeniedError
from marshmallow import ValidationError

from invenio_i18n import gettext as _
from invenio_i18n import lazy_gettext as _l

from ..proxies import current_billing_service, current_storage_service
from ..proxies import current_tenants_service as service
from ..units import form_size, format_size
from ..tenants.errors import TenantError
from ..page_helpers import flat_errors
from .dashboard import DASHBOARD_COLUMNS, csv_response, dashboard_row, sorted_rows


def form_to_tenant(form):
    """Tenant JSON from the panel's form fields."""
    lines = lambda key: [v.strip() for v in form.get(key, "").splitlines() if v.strip()]
    data = {
        "names": {"cs": form.get("name_cs", ""), "en": form.get("name_en", "")},
        "short_name": form.get("short_name", ""),
        "contact_email": form.get("contact_email", ""),
        "ror": form.get("ror") or None,
        "hosts": lines("hosts"),
        "email_domains": lines("email_domains"),
        "branding": {
            k: form[k] for k in ("primary_color", "secondary_color", "footer_text") if form.get(k)
        },
    }
    if any(key in form for key in STORAGE_FIELDS):
        data["storage"] = {key: form.get(key) or None for key in STORAGE_FIELDS}
        if data["storage"]["max_files"]:
            data["storage"]["max_files"] = _whole_number(data["storage"]["max_files"])
    if form.get("slug"):
        data["slug"] = form["slug"]
    return data


STORAGE_FIELDS = ("quota", "max_file_size", "max_files")


def _whole_number(text):
    """The form's text as an int when it is one (else left for validation)."""
    return int(text) if text.strip().isdigit() else text


FIELDS = {
    # form input: (path in the tenant JSON, label)
    "slug": ("slug", _l("Slug (address name)")),
    "name_cs": ("names.cs", _l("Name (Czech)")),
    "name_en": ("names.en", _l("Name (English)")),
    "short_name": ("short_name", _l("Short name")),
    "contact_email": ("contact_email", _l("Contact e-mail")),
    "ror": ("ror", _l("ROR")),
    "hosts": ("hosts", _l("Host names (one per line)")),
    "email_domains": ("email_domains", _l("E-mail domains (one per line)")),
    "primary_color": ("branding.primary_color", _l("Primary colour")),
    "secondary_color": ("branding.secondary_color", _l("Secondary colour")),
    "footer_text": ("branding.footer_text", _l("Footer text")),
    "quota": ("storage.quota", _l("Storage quota")),
    "max_file_size": ("storage.max_file_size", _l("Largest file")),
    "max_files": ("storage.max_files", _l("Files per record")),
}
"""The panel's form fields: where their values go, and their labels."""


def form_fields():
    """Form input → its path in the tenant JSON and its label in the current language."""
    return {name: {"path": path, "label": str(label)} for name, (path, label) in FIELDS.items()}


def field_errors(messages):
    """Marshmallow's MESSAGES as {form input: [message]}; "" holds the rest.

    A message about an item of a list (`hosts.1`) belongs to the list's field.
    """
    inputs = {path: name for name, (path, _label) in FIELDS.items()}
    errors = {}
    for path, message in flat_errors(messages):
        parts = path.split(".")
        while parts and parts[-1].isdigit():
            parts.pop()
        errors.setdefault(inputs.get(".".join(parts), ""), []).append(message)
    return errors


def csrf_problem():
    """The message when the posted form's CSRF token is missing or invalid, else None."""
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (CSRFError, WTFormsValidationError) as e:
            return _("The form expired or is invalid (%(error)s); reload the page.", error=e)
    return None


class TenantsAdminView(AdminView):
    """List of member libraries with create, edit and status actions."""

    name = "tenants"
    category = _l("Consortium")
    menu_label = _l("Member libraries")
    url = "/tenants"
    icon = "university"
    order = 1
    template = "consortium_tenants/admin/tenants.html"

    def render(self, **kwargs):
        """Every form of the panel carries a CSRF token; rows show storage use."""
        usage = {t["slug"]: current_storage_service.usage(g.identity, t["slug"])
                 for t in kwargs.get("tenants", [])}
        return super().render(csrf_token=generate_csrf(), usage=usage, fields=form_fields(),
                              form_size=form_size, format_size=format_size, **kwargs)

    def get(self):
        """The list, plus the edit form of `?edit=<slug>`."""
        editing = None
        if request.args.get("edit"):
            editing = service.read(g.identity, request.args["edit"])
        return self._page(editing=editing, q=request.args.get("q"))

    def post(self):
        """Create, update, suspend or resume; errors are shown next to their fields."""
        action, slug = request.form.get("action"), request.form.get("slug")
        expired = csrf_problem()
        if expired:
            return self._error({"": [expired]}, 400)
        try:
            if action == "create":
                service.create(g.identity, form_to_tenant(request.form))
            elif action == "update":
                data = form_to_tenant(request.form)
                service.update(g.identity, slug, data)
            elif action in ("suspend", "resume"):
                status = "suspended" if action == "suspend" else "active"
                service.set_status(g.identity, slug, status)
            else:
                return self._error({"": [_("Unknown action.")]}, 400)
        except ValidationError as e:
            return self._error(field_errors(e.messages), 400)
        except TenantError as e:
            return self._error({"": [e.message]}, 409)
        except PermissionDeniedError:
            return self._error({"": [_("You are not allowed to do this.")]}, 403)
        flash(_("%(slug)s: %(action)s done.", slug=slug, action=action), "success")
        return redirect(request.path)

    def _page(self, editing=None, q=None, errors=None, submitted=None):
        result = service.search(g.identity, q=q, size=100)
        return self.render(tenants=result["hits"]["hits"], total=result["hits"]["total"],
                           editing=editing, errors=errors or {}, submitted=submitted)

    def _error(self, errors, status):
        """The page again: ERRORS ({form input or "": [message]}) on the submitted form."""
        editing = None
        if request.form.get("action") == "update":
            try:
                editing = service.read(g.identity, request.form.get("slug"))
            except TenantError:
                editing = None
        return self._page(editing=editing, errors=errors, submitted=request.form), status


class ConsortiumDashboardView(AdminView):
    """Every library side by side: storage and its trend, quota use, deposits per month,
    submissions waiting, views and downloads this month and this month's estimated bill;
    sortable, as CSV, with charts."""

    name = "consortium-dashboard"
    category = _l("Consortium")
    menu_label = _l("Dashboard")
    url = "/consortium-dashboard"
    icon = "chart bar"
    order = 2
    template = "consortium_tenants/admin/dashboard.html"

    def get(self):
        """The table (`?sort=<column>&order=asc|desc`), or `?format=csv`."""
        tenants = service.search(g.identity, size=100)["hits"]["hits"]
        rows, sort, descending = sorted_rows([dashboard_row(g.identity, t) for t in tenants])
        if request.args.get("format") == "csv":
            return csv_response(rows, "consortium-dashboard.csv")
        return self.render(rows=rows, sort=sort, descending=descending,
                           format_size=format_size, columns=DASHBOARD_COLUMNS)


TARIFF_FIELDS = {
    "effective_from": _l("Effective from"),
    "price_gb_month": _l("Price per GB-month"),
    "price_deposit": _l("Price per published deposit"),
    "member_fee_year": _l("Yearly member fee"),
    "free_gb": _l("Free allowance (GB)"),
    "vat_rate": _l("VAT rate"),
}
"""The tariff form's inputs and labels (prices in CZK)."""


class TariffsAdminView(AdminView):
    """The tariffs in force from each date; consortium administrators add or replace one."""

    name = "consortium-tariffs"
    category = _l("Consortium")
    menu_label = _l("Tariffs")
    url = "/consortium-tariffs"
    icon = "money bill alternate"
    order = 3
    template = "consortium_tenants/admin/tariffs.html"

    def _page(self, errors=None, status=200):
        tariffs = current_billing_service.list_tariffs(g.identity)["hits"]
        return self.render(tariffs=tariffs, errors=errors or {}, submitted=request.form,
                           fields={k: str(v) for k, v in TARIFF_FIELDS.items()},
                           csrf_token=generate_csrf()), status

    def get(self):
        return self._page()

    def post(self):
        """Add the tariff of the form; errors are shown next to their fields."""
        expired = csrf_problem()
        if expired:
            return self._page({"": [expired]}, 400)
        data = {key: request.form.get(key) or None for key in TARIFF_FIELDS}
        data = {key: value for key, value in data.items() if value is not None}
        try:
            current_billing_service.set_tariff(g.identity, data)
        except ValidationError as e:
            errors = {}
            for path, message in flat_errors(e.messages):
                errors.setdefault(path if path in TARIFF_FIELDS else "", []).append(message)
            return self._page(errors, 400)
        except PermissionDeniedError:
            return self._page({"": [_("You are not allowed to do this.")]}, 403)
        flash(_("The tariff from %(day)s is saved.", day=data["effective_from"]), "success")
        return redirect(request.path)
