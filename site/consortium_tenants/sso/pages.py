"""A library's SSO page for its managers (`/libraries/<slug>/sso`): the IdPs its site
allows (found by name among the federation's), its attribute → role rules and its
audit log, cs/en. Every change goes through SsoService.update, as the REST API's."""

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_login import login_required
from invenio_i18n import gettext as _
from marshmallow import ValidationError

from ..page_helpers import CsrfForm, flat_errors, or_abort
from ..proxies import current_consortium
from .attributes import RULE_ATTRIBUTES
from .service import AUDIT_ACTIONS, idp_name, name_of

SEARCH_SIZE = 20
RULE_FIELDS = ("attribute", "value", "role")


def _role_labels():
    return {"managers": _("Managers"), "curators": _("Curators"),
            "depositors": _("Depositors")}


def _next_settings(settings, action, form):
    """The settings after ACTION of the posted FORM (the service's JSON shape); None for
    an unknown action."""
    idps = [idp["entity_id"] for idp in settings["idps"]]
    rules = [dict(rule) for rule in settings["rules"]]
    entity_id = form.get("entity_id", "")
    if action == "add_idp":
        idps.append(entity_id)
    elif action == "remove_idp":
        idps = [e for e in idps if e != entity_id]
    elif action == "add_rule":
        rules.append({key: form.get(key, "").strip() for key in RULE_FIELDS})
    elif action == "remove_rule":
        gone = {key: form.get(key, "") for key in RULE_FIELDS}
        rules = [rule for rule in rules if rule != gone]
    else:
        return None
    return {"idps": idps, "rules": rules}


def _field_errors(messages, added_rule):
    """{"idps" | "attribute" | "value" | "role" | "": [messages]} of the service's
    ValidationError: a rule's field by its name, the rule being added or any other."""
    found = {}
    for path, message in flat_errors(messages):
        parts = path.split(".")
        key = parts[-1] if parts[-1] in RULE_FIELDS else ("idps" if parts[0] == "idps" else "")
        if key in RULE_FIELDS and not added_rule:
            key = ""
        found.setdefault(key, []).append(message)
    return found


@login_required
def sso_settings(slug):
    """The library's SSO settings, changed one step at a time (POST `action`)."""
    tenants = current_consortium.tenants_service
    service = current_consortium.sso_service
    tenant = or_abort(tenants.get, slug)
    or_abort(tenants.require, g.identity, "manage_members", tenant)
    form, errors, status, submitted = CsrfForm(), {}, 200, {}
    settings = service.read(g.identity, slug)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        action = request.form.get("action", "")
        changed = _next_settings(settings, action, request.form)
        if changed is None:
            abort(400)
        try:
            service.update(g.identity, slug, changed)
        except ValidationError as error:
            errors = _field_errors(error.messages, action == "add_rule")
            status = 400
            submitted = request.form if action == "add_rule" else {}
        else:
            flash({"add_idp": _("Identity provider allowed."),
                   "remove_idp": _("Identity provider removed."),
                   "add_rule": _("Rule added."),
                   "remove_rule": _("Rule removed.")}[action], "success")
            return redirect(url_for(".sso_settings", slug=slug, q=request.args.get("q")),
                            code=303)
    query = request.args.get("q", "")
    allowed = [idp["entity_id"] for idp in settings["idps"]]
    found, matches = service.search_idps(query, size=SEARCH_SIZE, exclude=allowed)
    return render_template(
        "consortium_tenants/sso_settings.html", tenant=tenant, form=form, errors=errors,
        submitted=submitted, allowed=[(idp["entity_id"], name_of(idp["names"], idp["entity_id"]))
                                    for idp in settings["idps"]],
        rules=settings["rules"], query=query,
        found=[(row.entity_id, idp_name(row)) for row in found], matches=matches,
        attributes=RULE_ATTRIBUTES, roles=_role_labels(), actions=AUDIT_ACTIONS,
        audit=service.audit(g.identity, slug, size=50)["hits"]["hits"],
    ), status


def register(blueprint):
    """`/libraries/<slug>/sso` on the SSO blueprint."""
    blueprint.add_url_rule("/libraries/<slug>/sso", "sso_settings", sso_settings,
                           methods=["GET", "POST"])
