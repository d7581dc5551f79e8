"""SAML SP pages of a library's host: `/saml/metadata` (this host's SP), `/saml/login`
(the library's IdPs: straight to one, or the list of those it allows), `/saml/acs`
(the IdP's answer: logged in, or a page saying why not, in cs/en)."""

from urllib.parse import urlsplit

from flask import Blueprint, abort, g, redirect, render_template, request
from flask_security.utils import login_user
from invenio_db import db

from ..i18n import localized
from ..proxies import current_consortium
from . import saml
from .errors import SsoRefusal


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
    body = render_template("consortium_tenants/sso_refused.html", message=refusal.message,
                           reason=refusal.reason, next_url="/login")
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
                    idps=[(i.entity_id, localized(i.names) if i.names else i.entity_id)
                          for i in idps])
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
        response = saml.verify(idp, posted, request_row.id)
        user = service.login(tenant, idp, response, request_row)
    except SsoRefusal as refusal:
        return refusal_page(refusal)
    login_user(user)
    db.session.commit()
    return redirect(_local_path(request.form.get("RelayState")))


def create_blueprint(app):
    """The SP of every library host (entry point invenio_base.blueprints)."""
    blueprint = Blueprint("consortium_tenants_sso", __name__)
    blueprint.add_url_rule("/saml/metadata", "metadata", metadata)
    blueprint.add_url_rule("/saml/login", "login", login)
    blueprint.add_url_rule("/saml/acs", "acs", acs, methods=["POST"])

    @blueprint.app_context_processor
    def sso_helpers():
        return {"sso_login_idps": sso_login_idps}

    return blueprint


def sso_login_idps():
    """[(entity ID, name in the page's language)] of the IdPs this host's library allows
    (the login page offers them first); [] on the consortium's host."""
    tenant = getattr(g, "tenant", None)
    if tenant is None:
        return []
    return [(i.entity_id, localized(i.names) if i.names else i.entity_id)
            for i in _service().allowed_idps(tenant)]
