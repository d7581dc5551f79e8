"""Administration → Member libraries: list, create, edit, suspend/resume.

A server-rendered panel over TenantService: the same validation, permissions
and provisioning as the CLI and the REST API.
"""

from flask import current_app, flash, g, redirect, request
from flask_babel import format_date
from flask_wtf.csrf import CSRFError, generate_csrf, validate_csrf
from wtforms.validators import ValidationError as WTFormsValidationError
from invenio_administration.views.base import AdminView
from invenio_records_resources.services.errors import PermissionDeniedError
from marshmallow import ValidationError

from invenio_i18n import gettext as _
from invenio_i18n import lazy_gettext as _l

from ..i18n import localized
from ..proxies import (
    current_billing_service,
    current_datacite_service,
    current_storage_service,
)
from ..proxies import current_consortium
from ..proxies import current_tenants_service as service
from ..sso.service import rule_line, rules_from_lines
from ..units import form_size, format_size, parse_day
from ..tenants.errors import TenantError
from ..page_helpers import flat_errors
from .dashboard import DASHBOARD_COLUMNS, csv_response, dashboard_row, open_shares, sorted_rows


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


def field_errors(messages, inputs):
    """Marshmallow's MESSAGES as {form input: [message]}; "" holds the rest.

    INPUTS maps a path in the service's data to its form input; a message about an
    item of a list (`hosts.1`) belongs to the list's field.
    """
    errors = {}
    for path, message in flat_errors(messages):
        parts = path.split(".")
        while parts and parts[-1].isdigit():
            parts.pop()
        errors.setdefault(inputs.get(".".join(parts), ""), []).append(message)
    return errors


TENANT_INPUTS = {path: name for name, (path, _label) in FIELDS.items()}


def csrf_problem():
    """The message when the posted form's CSRF token is missing or invalid, else None."""
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        try:
            validate_csrf(request.form.get("csrf_token"))
        except (CSRFError, WTFormsValidationError) as e:
            return _("The form expired or is invalid (%(error)s); reload the page.", error=e)
    return None


def submitted_form(action, inputs):
    """Run ACTION for a panel's posted form: None when done, else the errors to show
    next to their fields ({input or "": [messages]}, by INPUTS: path -> input) and
    the status: an expired form or invalid fields 400, a refusal 403, a conflict 409."""
    expired = csrf_problem()
    if expired:
        return {"": [expired]}, 400
    try:
        action()
    except ValidationError as e:
        return field_errors(e.messages, inputs), 400
    except TenantError as e:
        return {"": [e.message]}, 409
    except PermissionDeniedError:
        return {"": [_("You are not allowed to do this.")]}, 403
    return None


def format_day(text):
    """A `YYYY-MM-DD` day as the page's language writes it ("1. 1. 2027", "Jan 1, 2027")."""
    return format_date(parse_day(text), format="medium")


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
        actions = {
            "create": lambda: service.create(g.identity, form_to_tenant(request.form)),
            "update": lambda: service.update(g.identity, slug, form_to_tenant(request.form)),
            "suspend": lambda: service.set_status(g.identity, slug, "suspended"),
            "resume": lambda: service.set_status(g.identity, slug, "active"),
        }
        if action not in actions:
            return self._error({"": [_("Unknown action.")]}, 400)
        if action == "suspend" and request.form.get("confirmed") != "yes":
            # One click only asks: suspending stops the library's deposits and uploads.
            try:
                tenant = service.read(g.identity, slug)
            except TenantError:
                return self._error({"": [_("No member library with this slug.")]}, 404)
            return self._page(confirm_suspend=tenant)
        failed = submitted_form(actions[action], TENANT_INPUTS)
        if failed:
            return self._error(*failed)
        done = {
            "create": _("Library %(slug)s created."),
            "update": _("Library %(slug)s saved."),
            "suspend": _("Library %(slug)s suspended: it accepts no new deposits or uploads."),
            "resume": _("Library %(slug)s resumed: it accepts deposits again."),
        }[action]
        flash(done % {"slug": slug}, "success")
        return redirect(request.path)

    def _page(self, editing=None, q=None, errors=None, submitted=None, confirm_suspend=None):
        tenants = service.search_all(g.identity, q=q)
        return self.render(tenants=tenants, total=len(tenants), editing=editing,
                           errors=errors or {}, submitted=submitted,
                           confirm_suspend=confirm_suspend)

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
        tenants = service.search_all(g.identity)
        shares = open_shares()  # every library's, from one search
        rows, sort, descending = sorted_rows([dashboard_row(g.identity, t, shares)
                                              for t in tenants])
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
        data = {key: request.form.get(key) or None for key in TARIFF_FIELDS}
        data = {key: value for key, value in data.items() if value is not None}
        failed = submitted_form(lambda: current_billing_service.set_tariff(g.identity, data),
                                {key: key for key in TARIFF_FIELDS})
        if failed:
            return self._page(*failed)
        flash(_("The tariff valid from %(day)s was saved.",
                day=format_day(data["effective_from"])), "success")
        return redirect(request.path)


DATACITE_FIELDS = {
    "prefix": _l("DataCite prefix"),
    "repository_id": _l("Repository id (DataCite client id)"),
    "password": _l("Repository password"),
    "test_mode": _l("DataCite test system"),
    "enabled": _l("Mint DOIs with this account"),
}
"""The DataCite form's inputs and labels."""

DATACITE_CHECKBOXES = ("test_mode", "enabled")


def form_to_datacite(form):
    """A library's DataCite settings from the form; an empty password keeps the stored one."""
    data = {key: form.get(key, "").strip() for key in ("prefix", "repository_id")}
    if form.get("password"):
        data["password"] = form["password"]
    data.update({key: form.get(key) == "on" for key in DATACITE_CHECKBOXES})
    return data


class DataCiteAdminView(AdminView):
    """Each library's DataCite account: consortium administrators set, change or remove it.

    The password is write-only: the page never shows it, an empty one keeps it."""

    name = "consortium-datacite"
    category = _l("Consortium")
    menu_label = _l("DataCite accounts")
    url = "/consortium-datacite"
    icon = "barcode"
    order = 4
    template = "consortium_tenants/admin/datacite.html"

    def _page(self, errors=None, status=200, editing=None):
        libraries = service.search_all(g.identity)
        accounts = [current_datacite_service.read(g.identity, t["slug"]) for t in libraries]
        names = {t["slug"]: localized(t["names"]) for t in libraries}
        return self.render(accounts=accounts, names=names, editing=editing,
                           errors=errors or {}, submitted=request.form if errors else None,
                           fields={k: str(v) for k, v in DATACITE_FIELDS.items()},
                           checkboxes=DATACITE_CHECKBOXES,
                           csrf_token=generate_csrf()), status

    def _account(self, slug):
        return current_datacite_service.read(g.identity, slug) if slug else None

    def get(self):
        """The libraries' accounts, plus the form of `?edit=<slug>`."""
        try:
            return self._page(editing=self._account(request.args.get("edit")))
        except TenantError:
            return self._page({"": [_("No such library.")]}, 404)

    def post(self):
        """Set (`action=set`) or remove (`action=remove`) a library's account."""
        action, slug = request.form.get("action"), request.form.get("slug", "")
        actions = {
            "set": lambda: current_datacite_service.set(g.identity, slug,
                                                        form_to_datacite(request.form)),
            "remove": lambda: current_datacite_service.remove(g.identity, slug),
        }
        if action not in actions:
            return self._page({"": [_("Unknown action.")]}, 400)
        failed = submitted_form(actions[action], {key: key for key in DATACITE_FIELDS})
        if failed:
            try:
                editing = self._account(slug) if action == "set" else None
            except TenantError:
                editing = None
            return self._page(*failed, editing=editing or {"library": slug})
        if action == "set":
            flash(_("The DataCite account of library %(slug)s was saved.", slug=slug), "success")
        else:
            flash(_("The DataCite account of library %(slug)s was removed.", slug=slug), "success")
        return redirect(request.path)


class SsoAdminView(AdminView):
    """Each library's login through institutions (SAML): the IdPs it allows and its
    attribute → role rules, with its SSO audit log. The same service as the REST API
    `/api/tenants/<slug>/sso` its managers use."""

    name = "consortium-sso"
    category = _l("Consortium")
    menu_label = _l("Institution login (SSO)")
    url = "/consortium-sso"
    icon = "sign in"
    order = 5
    template = "consortium_tenants/admin/sso.html"

    @staticmethod
    def _sso():
        return current_consortium.sso_service

    def _page(self, errors=None, status=200, editing=None):
        sso = self._sso()
        libraries = service.search_all(g.identity)
        settings = [sso.read(g.identity, t["slug"]) for t in libraries]
        names = {t["slug"]: localized(t["names"]) for t in libraries}
        idps = [(row.entity_id, localized(row.names) if row.names else row.entity_id)
                for row in sso.idps()]
        audit = sso.audit(g.identity, editing["library"], size=20)["hits"]["hits"] \
            if editing else []
        return self.render(settings=settings, names=names, idps=idps, editing=editing,
                           audit=audit, errors=errors or {},
                           submitted=request.form if errors else None,
                           rule_line=rule_line, csrf_token=generate_csrf()), status

    def get(self):
        """The libraries' SSO settings, plus the form of `?edit=<slug>`."""
        slug = request.args.get("edit")
        try:
            return self._page(editing=self._sso().read(g.identity, slug) if slug else None)
        except TenantError:
            return self._page({"": [_("No such library.")]}, 404)

    def post(self):
        """Set a library's allowed IdPs and rules."""
        slug = request.form.get("slug", "")
        failed = submitted_form(
            lambda: self._sso().update(g.identity, slug, {
                "idps": request.form.getlist("idps"),
                "rules": rules_from_lines(request.form.get("rules", "").splitlines())}),
            {"idps": "idps", "rules": "rules"})
        if failed:
            try:
                editing = self._sso().read(g.identity, slug)
            except TenantError:
                editing = None
            return self._page(*failed, editing=editing)
        flash(_("Login through institutions for library %(slug)s was saved.", slug=slug),
              "success")
        return redirect(request.path)
