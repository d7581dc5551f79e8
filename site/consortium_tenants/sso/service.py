"""SSO of the member libraries: the IdP registry, each library's settings (allowed IdPs,
attribute → role rules), the login through an IdP's assertion and its audit log."""

import secrets
import unicodedata
from datetime import datetime, timedelta, timezone

import marshmallow as ma
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_accounts.errors import AlreadyLinkedError
from invenio_accounts.models import User, UserIdentity
from invenio_accounts.proxies import current_datastore
from invenio_cache import current_cache
from invenio_db import db
from invenio_i18n import gettext as _
from invenio_i18n import lazy_gettext as _l
from invenio_records_resources.services.uow import unit_of_work
from invenio_users_resources.proxies import current_users_service
from invenio_users_resources.records.api import UserAggregate
from sqlalchemy.exc import IntegrityError

from ..i18n import language
from ..validation import Length, OneOf
from . import metadata
from .attributes import RULE_ATTRIBUTES, by_friendly_name, out_of_scope
from .errors import SsoRefusal
from .federation import refresh_all
from .models import (
    FederationFeedModel,
    IdentityProviderModel,
    SamlMessageModel,
    SsoAuditModel,
    SsoGrantModel,
    SsoSettingsModel,
)

METHOD = "saml"
"""UserIdentity.method of SSO accounts; the id is the person's eduPersonUniqueId."""


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def rules_from_lines(lines):
    """Rules from lines `ATTRIBUTE=VALUE:ROLE` (the CLI's and the panel's form), e.g.
    `eduPersonScopedAffiliation=member@mzk.cz:depositors`; ValidationError naming a
    line that is not one."""
    rules = []
    for line in (line.strip() for line in lines):
        if not line:
            continue
        attribute, _, rest = line.partition("=")
        value, _, role = rest.rpartition(":")
        if not (attribute.strip() and value.strip() and role.strip()):
            raise ma.ValidationError({"rules": [f"A rule is ATTRIBUTE=VALUE:ROLE, got {line}"]})
        rules.append({"attribute": attribute.strip(), "value": value.strip(),
                      "role": role.strip()})
    return rules


def rule_line(rule):
    return f"{rule['attribute']}={rule['value']}:{rule['role']}"


class Printable(ma.validate.Regexp):
    """No control characters (message in the request's language)."""

    def __init__(self):
        super().__init__(r"[^\x00-\x1f\x7f]*\Z")  # empty: Length says so

    def _format_error(self, value):
        return _("Control characters are not allowed.")


PRINTABLE = Printable()


class RuleSchema(ma.Schema):
    attribute = ma.fields.String(required=True, validate=OneOf(RULE_ATTRIBUTES))
    value = ma.fields.String(required=True, validate=[Length(min=1, max=1024), PRINTABLE])
    role = ma.fields.String(required=True)


class SettingsSchema(ma.Schema):
    idps = ma.fields.List(ma.fields.String(validate=[Length(min=1, max=1024), PRINTABLE]),
                          required=True, validate=Length(max=100))
    rules = ma.fields.List(ma.fields.Nested(RuleSchema), load_default=list,
                           validate=Length(max=100))


AUDIT_ACTIONS = {
    "login": _l("logged in"),
    "account_created": _l("account created"),
    "account_linked": _l("account linked to the institution's login"),
    "role_added": _l("role added"),
    "role_removed": _l("role removed"),
}
"""The audit log's actions, as its pages name them (cs/en)."""


def _folded(text):
    """TEXT lower-cased without accents ("Masarykova univerzita" ~ "masarykova")."""
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def name_of(names, entity_id):
    """An IdP's name from NAMES ({language: name}) in the request's language, else
    English, else any, else its ENTITY_ID."""
    names = names or {}
    return (names.get(language()) or names.get("en") or next(iter(names.values()), None)
            or entity_id)


def idp_name(row):
    """The name of an IdP (a row) in the request's language (name_of)."""
    return name_of(row.names, row.entity_id)


class SsoService:
    """Read and set a library's SSO; log people in through its allowed IdPs."""

    schema = SettingsSchema()

    def __init__(self, tenants):
        self.tenants = tenants

    # --- the IdP registry ---------------------------------------------------------
    @staticmethod
    def idps():
        return IdentityProviderModel.query.order_by(IdentityProviderModel.entity_id).all()

    @staticmethod
    def search_idps(query="", size=20, exclude=()):
        """(IdPs whose name in any language or entity ID contains every word of QUERY,
        ignoring case and accents, by name; how many matched), at most SIZE of them,
        those in EXCLUDE left out."""
        words = _folded(query or "").split()
        found = []
        for row in IdentityProviderModel.query.all():
            if row.entity_id in exclude:
                continue
            text = _folded(" ".join([row.entity_id, *(row.names or {}).values()]))
            if all(word in text for word in words):
                found.append(row)
        found.sort(key=lambda row: _folded(idp_name(row)))
        return found[:size], len(found)

    @staticmethod
    def dump_idp(row):
        return {"entity_id": row.entity_id, "names": row.names, "scopes": row.scopes,
                "sso_url": row.sso_url, "source": row.source}

    @staticmethod
    def store_idps(xml, source):
        """Add or refresh the IdPs of metadata XML (from SOURCE); returns their entity
        IDs. The caller commits."""
        found = metadata.identity_providers(metadata.parse(xml))
        for entry in found:
            row = db.session.get(IdentityProviderModel, entry["entity_id"])
            if row is None:
                row = IdentityProviderModel(entity_id=entry["entity_id"])
                db.session.add(row)
            for key in ("names", "sso_url", "certificates", "scopes"):
                setattr(row, key, entry[key])
            row.source = source
        return [entry["entity_id"] for entry in found]

    def refresh_feeds(self):
        """Every configured federation feed (federation.refresh_all)."""
        return refresh_all(self.store_idps)

    @staticmethod
    def feeds():
        return FederationFeedModel.query.order_by(FederationFeedModel.url).all()

    # --- a library's settings and audit log ------------------------------------------
    def _settings(self, tenant):
        return db.session.get(SsoSettingsModel, tenant.id)

    def _dump(self, tenant, row):
        idps = {r.entity_id: r for r in IdentityProviderModel.query.filter(
            IdentityProviderModel.entity_id.in_(row.idps if row else []))}
        return {"library": tenant.slug,
                "idps": [{"entity_id": e, "names": idps[e].names if e in idps else None}
                         for e in (row.idps if row else [])],
                "rules": row.rules if row else []}

    def read(self, identity, slug):
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_members", tenant)
        return self._dump(tenant, self._settings(tenant))

    @unit_of_work()
    def update(self, identity, slug, data, uow=None):
        """Replace the library's allowed IdPs and rules (its managers, administrators)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_members", tenant)
        if not isinstance(data, dict):
            raise ma.ValidationError(_("Expected a JSON object."))
        loaded = self.schema.load(data)
        groups = list(current_app.config["CONSORTIUM_TENANT_ROLES"])
        errors = {}
        known = {r.entity_id for r in IdentityProviderModel.query.filter(
            IdentityProviderModel.entity_id.in_(loaded["idps"]))}
        unknown = [e for e in loaded["idps"] if e not in known]
        if unknown:
            errors["idps"] = [_("Unknown identity provider (not in the federation "
                                "metadata): %(idps)s", idps=", ".join(unknown))]
        bad_roles = {str(i): {"role": [_("Must be one of: {choices}.").format(
            choices=", ".join(groups))]}
            for i, rule in enumerate(loaded["rules"]) if rule["role"] not in groups}
        if bad_roles:
            errors["rules"] = bad_roles
        if errors:
            raise ma.ValidationError(errors)
        row = self._settings(tenant)
        if row is None:
            row = SsoSettingsModel(tenant_id=tenant.id)
            db.session.add(row)
        row.idps = list(dict.fromkeys(loaded["idps"]))
        row.rules = loaded["rules"]
        db.session.flush()
        return self._dump(tenant, row)

    def audit(self, identity, slug, size=100):
        """The library's SSO audit log, newest first (its managers, administrators)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_members", tenant)
        rows = (SsoAuditModel.query.filter_by(tenant_id=tenant.id)
                .order_by(SsoAuditModel.created.desc()).limit(size).all())
        emails = {u.id: u.email for u in User.query.filter(
            User.id.in_({r.user_id for r in rows if r.user_id}))}
        hits = [{"created": r.created.isoformat(), "action": r.action,
                 "user": emails.get(r.user_id), **r.detail} for r in rows]
        return {"hits": {"hits": hits, "total": len(hits)}}

    # --- login ---------------------------------------------------------------------
    def allowed_idps(self, tenant):
        """The IdPs (rows) the library allows, in its order."""
        row = self._settings(tenant) if tenant is not None else None
        if row is None or not row.idps:
            return []
        rows = {r.entity_id: r for r in IdentityProviderModel.query.filter(
            IdentityProviderModel.entity_id.in_(row.idps))}
        return [rows[e] for e in row.idps if e in rows]

    def allowed_idp(self, tenant, entity_id):
        """The IdP ENTITY_ID if the library allows it; SsoRefusal otherwise."""
        allowed = self.allowed_idps(tenant)
        if not allowed:
            raise SsoRefusal("no_sso")
        for idp in allowed:
            if idp.entity_id == entity_id:
                return idp
        known = entity_id and db.session.get(IdentityProviderModel, entity_id)
        raise SsoRefusal("idp_not_allowed" if known else "unknown_idp")

    @staticmethod
    def remember_request(tenant, idp, request_id, kind="request"):
        """Remember an AuthnRequest sent to IDP: KIND "request" (a login) or "link" (a
        logged-in person links their account to their institution's login)."""
        lifetime = current_app.config["CONSORTIUM_SSO_REQUEST_LIFETIME"]
        db.session.add(SamlMessageModel(id=request_id, kind=kind, tenant_id=tenant.id,
                                        entity_id=idp.entity_id,
                                        expires=utcnow() + timedelta(seconds=lifetime)))
        SamlMessageModel.query.filter(SamlMessageModel.expires < utcnow()).delete()
        db.session.commit()

    @staticmethod
    def outstanding_request(tenant, idp, request_id):
        """The row of REQUEST_ID if this library sent it to IDP, unanswered and
        unexpired (its kind says whether it logs in or links)."""
        row = request_id and (db.session.get(SamlMessageModel, (request_id, "request"))
                              or db.session.get(SamlMessageModel, (request_id, "link")))
        if (not row or row.expires < utcnow() or row.tenant_id != tenant.id
                or row.entity_id != idp.entity_id):
            raise SsoRefusal("unsolicited")
        if row.used:  # answered already: this answer, or another one, was posted before
            raise SsoRefusal("replayed")
        return row

    @staticmethod
    def _checked(idp, response):
        """(attributes, eduPersonUniqueId) of a verified RESPONSE of IDP; SsoRefusal if
        it has no usable identifier, a value outside the IdP's scopes, or was used."""
        attributes = by_friendly_name(response.get_attributes())
        unique_ids = attributes.get("eduPersonUniqueId", [])
        if len(unique_ids) != 1 or "@" not in unique_ids[0]:
            raise SsoRefusal("no_identifier")
        wrong = out_of_scope(attributes, idp.scopes)
        if wrong:
            raise SsoRefusal("out_of_scope", f"{wrong[0]} {wrong[1]}")
        if db.session.get(SamlMessageModel,
                          (response.get_assertion_id(), "assertion")) is not None:
            raise SsoRefusal("replayed")
        return attributes, unique_ids[0]

    @staticmethod
    def _use(tenant, idp, response, request_row):
        """Mark REQUEST_ROW answered and RESPONSE's assertion used (flushed)."""
        expires = response.get_assertion_not_on_or_after()
        try:
            request_row.used = True
            db.session.add(SamlMessageModel(
                id=response.get_assertion_id(), kind="assertion", tenant_id=tenant.id,
                entity_id=idp.entity_id,
                expires=datetime.fromtimestamp(expires, timezone.utc).replace(tzinfo=None)
                if expires else utcnow() + timedelta(hours=1)))
            db.session.flush()
        except IntegrityError as error:  # the same assertion posted twice at once
            db.session.rollback()
            raise SsoRefusal("replayed") from error

    def login(self, tenant, idp, response, request_row):
        """The user a verified RESPONSE of IDP logs in on TENANT's site: found by its
        eduPersonUniqueId (never by e-mail), or created; the library's rules applied.
        Everything is checked before anything is written."""
        attributes, external_id = self._checked(idp, response)
        user = UserIdentity.get_user(METHOD, external_id)
        created = False
        if user is None:
            email = (attributes.get("mail") or [None])[0]
            if not email or "@" not in email:
                raise SsoRefusal("no_email")
            if current_datastore.find_user(email=email) is not None:
                raise SsoRefusal("email_taken", email)
        self._use(tenant, idp, response, request_row)
        if user is None:
            user = self._create_account(attributes, email, external_id)
            created = True
        self._audit(tenant, user, "account_created" if created else "login",
                    idp=idp.entity_id)
        db.session.commit()
        if created:  # findable like a registered user (curators' notifications search)
            current_users_service.indexer.index(UserAggregate.get_record(user.id))
        self.apply_rules(tenant, user, attributes, idp)
        return user

    # --- linking a password account to an institution's login ---------------------------
    @staticmethod
    def linked_identity(user):
        """The eduPersonUniqueId USER's account is linked to, or None."""
        row = UserIdentity.query.filter_by(id_user=user.id, method=METHOD).one_or_none()
        return row.id if row else None

    @staticmethod
    def _pending_key(token):
        return f"consortium-sso-link:{token}"

    def accept_link(self, tenant, idp, response, request_row):
        """A verified RESPONSE of IDP answering a link request: checked as a login is,
        the assertion used; the identity waits (a few minutes, under a one-time code,
        returned) for the browser that started the link to come back with its
        session: the IdP's POST does not carry it (SameSite=Lax). Never by e-mail."""
        attributes, external_id = self._checked(idp, response)
        if UserIdentity.get_user(METHOD, external_id) is not None:
            raise SsoRefusal("identity_taken")
        self._use(tenant, idp, response, request_row)
        db.session.commit()
        return self._park({
            "request": request_row.id, "tenant": str(tenant.id), "idp": idp.entity_id,
            "external_id": external_id,
            "attributes": {k: v for k, v in attributes.items() if k in RULE_ATTRIBUTES},
        })

    def park_link_refusal(self, tenant, request_id, refusal):
        """Why the answer to link request REQUEST_ID was refused, kept like an identity
        (accept_link) for the browser that started it; returns the one-time code."""
        return self._park({"request": request_id, "tenant": str(tenant.id),
                           "refused": refusal.reason, "value": refusal.value})

    def _park(self, pending):
        code = secrets.token_urlsafe(32)
        current_cache.set(self._pending_key(code), pending,
                          timeout=current_app.config["CONSORTIUM_SSO_REQUEST_LIFETIME"])
        return code

    def take_pending_link(self, token):
        """The identity waiting under TOKEN (accept_link), or None; the token is spent
        whatever happens next."""
        if not token or not isinstance(token, str):
            return None
        key = self._pending_key(token)
        pending = current_cache.get(key)
        current_cache.delete(key)
        return pending

    def complete_link(self, tenant, user, pending, request_id):
        """Link USER's account to the PENDING identity (take_pending_link) if it answers
        REQUEST_ID (the link this user started in this browser); the library's rules
        applied. SsoRefusal otherwise."""
        if (not pending or pending["request"] != request_id
                or pending["tenant"] != str(tenant.id)):
            raise SsoRefusal("link_expired")
        if pending.get("refused"):  # the IdP's answer itself was refused
            raise SsoRefusal(pending["refused"], pending.get("value", ""))
        if self.linked_identity(user) is not None:
            raise SsoRefusal("already_linked")
        if UserIdentity.get_user(METHOD, pending["external_id"]) is not None:
            raise SsoRefusal("identity_taken")
        idp = db.session.get(IdentityProviderModel, pending["idp"])
        try:
            UserIdentity.create(user, METHOD, pending["external_id"])
            self._audit(tenant, user, "account_linked", idp=pending["idp"])
            db.session.commit()
        except (AlreadyLinkedError, IntegrityError) as error:  # linked meanwhile elsewhere
            db.session.rollback()
            raise SsoRefusal("identity_taken") from error
        if idp is not None:
            self.apply_rules(tenant, user, pending["attributes"], idp)
        return user

    @staticmethod
    def _create_account(attributes, email, external_id):
        given = " ".join(attributes.get("givenName", [])[:1] + attributes.get("sn", [])[:1])
        full_name = (attributes.get("displayName") or [given])[0].strip()
        user = current_datastore.create_user(email=email, password=None, active=True)
        user.confirmed_at = utcnow()
        if full_name:
            user.user_profile = {**(user.user_profile or {}), "full_name": full_name[:255]}
        db.session.flush()
        UserIdentity.create(user, METHOD, external_id)
        return user

    @staticmethod
    def _audit(tenant, user, action, **detail):
        db.session.add(SsoAuditModel(created=utcnow(), tenant_id=tenant.id,
                                     user_id=user.id if user else None, action=action,
                                     detail=detail))

    def apply_rules(self, tenant, user, attributes, idp):
        """The library's rules as a difference: a role a rule gives and the person lacks
        is added; a role SSO gave earlier that no rule gives now is taken away (roles
        given by hand are left alone). Each change in the audit log."""
        row = self._settings(tenant)
        rules = row.rules if row else []
        wanted = {}
        for rule in rules:
            if rule["value"] in attributes.get(rule["attribute"], []):
                wanted.setdefault(rule["role"], rule)
        granted = {g.group: g for g in SsoGrantModel.query.filter_by(
            tenant_id=tenant.id, user_id=user.id)}
        members = self.tenants.members(system_identity, tenant.slug)
        for group, rule in wanted.items():
            if group in granted:
                continue
            if user.email not in members.get(group, []):
                self.tenants.add_member(system_identity, tenant.slug,
                                        {"email": user.email, "role": group})
                self._audit(tenant, user, "role_added", role=group, idp=idp.entity_id,
                            rule=rule)
                db.session.add(SsoGrantModel(tenant_id=tenant.id, user_id=user.id,
                                             group=group))
        for group, grant in granted.items():
            if group in wanted:
                continue
            if user.email in members.get(group, []):
                self.tenants.remove_member(system_identity, tenant.slug,
                                           {"email": user.email, "role": group})
                self._audit(tenant, user, "role_removed", role=group, idp=idp.entity_id)
            db.session.delete(grant)
        db.session.commit()
