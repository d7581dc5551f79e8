"""SAML SP pages of a library's host: `/saml/metadata` (this host's SP), `/saml/login`
(the library's IdPs: straight to one, or the list of those it allows), `/saml/acs`
(the IdP's answer: logged in, or a page saying why not, in cs/en), `/saml/link` and
`/saml/link/done` (a logged-in person links their account to their institution's
login), and the library's SSO page for its managers (`pages.py`)."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, g, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required
from flask_security.utils import login_user
from invenio_db import db
from invenio_i18n import gettext as _

from ..proxies import current_consortium
from . import pages, saml
from .errors import SsoRefusal
from .service import idp_name

SETTINGS_PAGE = "/account/settings/profile"
"""Where a person links their account (the profile page's "Institution login")."""
LINK_SESSION_KEY = "consortium_sso_link"


def _service():
    return current_consortium.sso_service


def _tenant():
    tenant = getattr(g, "tenant", None)
    if tenant is None:  # the consortium's own host is no SP
        abort(404)
    return tenant


def _local_path(url):
    """URL if it is a path on this site (no scheme, no host), else "/"."""
    if not url or not isinstance(url, str):
        return "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//") \
            or "\\" in url:
        return "/"
    return url


def refusal_page(refusal):
    db.session.rollback()
    if refusal.reason in ("email_taken", "link_expired"):  # log in, then link
        back = (url_for("security.login", next=SETTINGS_PAGE), _("Log in and link"))
    elif refusal.reason in ("identity_taken", "already_linked"):
        back = (SETTINGS_PAGE, _("Back to account settings"))
    else:
        back = ("/login", _("Back to login"))
    body = render_template("consortium_tenants/sso_refused.html", message=refusal.message,
                           reason=refusal.reason, next_url=back[0], back_label=back[1])
    return body, refusal.status, {"Content-Type": "text/html; charset=utf-8"}


def metadata():
    _tenant()
    return saml.sp_metadata(), 200, {"Content-Type": "application/samlmetadata+xml"}


def login():
    """With ?idp=<entityID>: to that IdP (if the library allows it); without: to the
    library's only IdP, or a page listing the IdPs it allows."""
    tenant = _tenant()
    next_url = _local_path(request.args.get("next"))
    service = _service()
    try:
        entity_id = request.args.get("idp")
        if not entity_id:
            idps = service.allowed_idps(tenant)
            if not idps:
                raise SsoRefusal("no_sso")
            if len(idps) > 1:
                return render_template(
                    "consortium_tenants/sso_choose.html", tenant=tenant, next_url=next_url,
                    idps=[(i.entity_id, idp_name(i)) for i in idps])
            entity_id = idps[0].entity_id
        idp = service.allowed_idp(tenant, entity_id)
    except SsoRefusal as refusal:
        return refusal_page(refusal)
    request_id, url = saml.login_redirect(idp, next_url)
    service.remember_request(tenant, idp, request_id)
    return redirect(url)


def acs():
    """The IdP's answer (HTTP-POST binding)."""
    tenant = _tenant()
    service = _service()
    try:
        posted = request.form.get("SAMLResponse")
        if not posted:
            raise SsoRefusal("malformed")
        issuer, in_response_to = saml.read_unverified(posted)
        idp = service.allowed_idp(tenant, issuer)
        request_row = service.outstanding_request(tenant, idp, in_response_to)
        if request_row.kind == "link":
            return _link_answer(tenant, idp, posted, request_row)
        response = saml.verify(idp, posted, request_row.id)
        user = service.login(tenant, idp, response, request_row)
    except SsoRefusal as refusal:
        return refusal_page(refusal)
    login_user(user)
    db.session.commit()
    return redirect(_local_path(request.form.get("RelayState")))


def _link_answer(tenant, idp, posted, request_row):
    """The IdP's answer to a link request: whatever it is (an identity, or why it is
    refused), it waits under a one-time code for `link_done`, where the browser comes
    back with its session. This response leaves the session alone: the IdP's POST
    comes without the person's session cookie (SameSite=Lax), and a new session here
    would replace theirs (log them out)."""
    service = _service()
    try:
        code = service.accept_link(tenant, idp, saml.verify(idp, posted, request_row.id),
                                   request_row)
    except SsoRefusal as refusal:
        db.session.rollback()
        code = service.park_link_refusal(tenant, request_row.id, refusal)
    session.modified = False  # a new, empty session: not saved, no cookie set
    return redirect(url_for("consortium_tenants_sso.link_done", code=code))


@login_required
def link():
    """A logged-in person links their account to their institution's login: to the
    IdP (?idp=, one the library allows), then back through the ACS to `link_done`."""
    tenant = _tenant()
    service = _service()
    try:
        if service.linked_identity(current_user) is not None:
            raise SsoRefusal("already_linked")
        entity_id = request.args.get("idp")
        if not entity_id:
            idps = service.allowed_idps(tenant)
            if len(idps) != 1:
                return redirect(SETTINGS_PAGE)
            entity_id = idps[0].entity_id
        idp = service.allowed_idp(tenant, entity_id)
    except SsoRefusal as refusal:
        return refusal_page(refusal)
    request_id, url = saml.login_redirect(idp, SETTINGS_PAGE)
    service.remember_request(tenant, idp, request_id, kind="link")
    session[LINK_SESSION_KEY] = {"request": request_id, "user": current_user.id}
    return redirect(url)


def link_done():
    """Back from the IdP: the institution's identity is linked to the account of the
    person logged in here, if this browser's session started this link."""
    tenant = _tenant()
    service = _service()
    started = session.pop(LINK_SESSION_KEY, None) or {}
    pending = service.take_pending_link(request.args.get("code"))  # spent in any case
    try:
        if not current_user.is_authenticated or started.get("user") != current_user.id:
            raise SsoRefusal("link_expired")
        service.complete_link(tenant, current_user._get_current_object(), pending,
                              started.get("request"))
    except SsoRefusal as refusal:
        return refusal_page(refusal)
    flash(_("Your account is linked to your institution's login: you can log in through "
            "your institution from now on."), "success")
    return redirect(SETTINGS_PAGE)


def create_blueprint(app):
    """The SP of every library host (entry point invenio_base.blueprints)."""
    blueprint = Blueprint("consortium_tenants_sso", __name__)
    blueprint.add_url_rule("/saml/metadata", "metadata", metadata)
    blueprint.add_url_rule("/saml/login", "login", login)
    blueprint.add_url_rule("/saml/acs", "acs", acs, methods=["POST"])
    blueprint.add_url_rule("/saml/link", "link", link)
    blueprint.add_url_rule("/saml/link/done", "link_done", link_done)
    pages.register(blueprint)

    @blueprint.app_context_processor
    def sso_helpers():
        return {"sso_login_idps": sso_login_idps, "sso_account_link": sso_account_link}

    return blueprint


def sso_login_idps():
    """[(entity ID, name in the page's language)] of the IdPs this host's library allows
    (the login page offers them first); [] on the consortium's host."""
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        return []
    return [(i.entity_id, idp_name(i)) for i in _service().allowed_idps(tenant)]


def sso_account_link():
    """For the profile page: {"linked": the eduPersonUniqueId the person's account is
    linked to, or None; "idps": [(entity ID, name)] of this host's library}."""
    if not current_user.is_authenticated:
        return {"linked": None, "idps": []}
    return {"linked": _service().linked_identity(current_user), "idps": sso_login_idps()}
