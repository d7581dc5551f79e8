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

from ..proxies import current_tenants_service as service
from ..storage.units import form_size, format_size
from ..tenants.errors import TenantError


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


def flatten(messages, prefix=""):
    """'field: message' lines of a marshmallow error dict."""
    if isinstance(messages, dict):
        return [m for k, v in messages.items() for m in flatten(v, f"{prefix}{k}.")]
    if isinstance(messages, list) and messages and isinstance(messages[0], str):
        return [f"{prefix.rstrip('.')}: {m}" for m in messages]
    return [f"{prefix.rstrip('.')}: {messages}"]


class TenantsAdminView(AdminView):
    """List of member libraries with create, edit and status actions."""

    name = "tenants"
    category = "Consortium"
    menu_label = "Member libraries"
    url = "/tenants"
    icon = "university"
    order = 1
    template = "consortium_tenants/admin/tenants.html"

    def render(self, **kwargs):
        """Every form of the panel carries a CSRF token; rows show storage use."""
        usage = {t["slug"]: service.storage_usage(g.identity, t["slug"])
                 for t in kwargs.get("tenants", [])}
        return super().render(csrf_token=generate_csrf(), usage=usage,
                              form_size=form_size, format_size=format_size, **kwargs)

    def get(self):
        """The list, plus the edit form of `?edit=<slug>`."""
        result = service.search(g.identity, q=request.args.get("q"), size=100)
        editing = None
        if request.args.get("edit"):
            editing = service.read(g.identity, request.args["edit"])
        return self.render(tenants=result["hits"]["hits"], total=result["hits"]["total"],
                           editing=editing, errors=[])

    def post(self):
        """Create, update, suspend or resume; errors are shown on the page."""
        action, slug = request.form.get("action"), request.form.get("slug")
        if current_app.config.get("WTF_CSRF_ENABLED", True):
            try:
                validate_csrf(request.form.get("csrf_token"))
            except (CSRFError, WTFormsValidationError) as e:
                return self._error([f"The form expired or is invalid ({e}); reload the page."], 400)
        try:
            if action == "create":
                service.create(g.identity, form_to_tenant(request.form))
            elif action == "update":
                data = form_to_tenant(request.form)
                service.update(g.identity, slug, data)
            elif action in ("suspend", "resume"):
                service.set_status(g.identity, slug, "suspended" if action == "suspend" else "active")
            else:
                return self._error(["Unknown action."], 400)
        except ValidationError as e:
            return self._error(flatten(e.messages), 400)
        except TenantError as e:
            return self._error([e.message], 409)
        except PermissionDeniedError:
            return self._error(["You are not allowed to do this."], 403)
        flash(f"{slug}: {action} done.", "success")
        return redirect(request.path)

    def _error(self, errors, status):
        result = service.search(g.identity, size=100)
        return self.render(tenants=result["hits"]["hits"], total=result["hits"]["total"],
                           editing=None, errors=errors, form=request.form), status
