"""SSO of the member libraries: the IdP registry, each library's settings (allowed IdPs,
attribute → role rules), the login through an IdP's assertion and its audit log."""

from datetime import datetime, timedelta, timezone

import marshmallow as ma
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_accounts.models import User, UserIdentity
from invenio_accounts.proxies import current_datastore
from invenio_db import db
from invenio_records_resources.services.uow import unit_of_work
from sqlalchemy.exc import IntegrityError

from . import metadata
from .attributes import RULE_ATTRIBUTES, by_friendly_name, out_of_scope
from .errors import SsoRefusal
from .models import (
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


PRINTABLE = ma.validate.Regexp(r"[^\x00-\x1f\x7f]+\Z", error="Control characters are not allowed.")


class RuleSchema(ma.Schema):
    attribute = ma.fields.String(required=True, validate=ma.validate.OneOf(RULE_ATTRIBUTES))
    value = ma.fields.String(required=True,
                             validate=[ma.validate.Length(min=1, max=1024), PRINTABLE])
    role = ma.fields.String(required=True)


class SettingsSchema(ma.Schema):
    idps = ma.fields.List(ma.fields.String(validate=[ma.validate.Length(min=1, max=1024),
                                                     PRINTABLE]),
                          required=True, validate=ma.validate.Length(max=100))
    rules = ma.fields.List(ma.fields.Nested(RuleSchema), load_default=list,
                           validate=ma.validate.Length(max=100))


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
        from .federation import refresh_all

        return refresh_all(self.store_idps)

    @staticmethod
    def feeds():
        from .models import FederationFeedModel

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
            raise ma.ValidationError("Expected a JSON object.")
        loaded = self.schema.load(data)
        groups = list(current_app.config["CONSORTIUM_TENANT_ROLES"])
        errors = {}
        known = {r.entity_id for r in IdentityProviderModel.query.filter(
            IdentityProviderModel.entity_id.in_(loaded["idps"]))}
        unknown = [e for e in loaded["idps"] if e not in known]
        if unknown:
            errors["idps"] = [f"Unknown identity provider (not in the federation "
                              f"metadata): {', '.join(unknown)}"]
        bad_roles = {str(i): {"role": [f"Must be one of: {', '.join(groups)}."]}
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
    def remember_request(tenant, idp, request_id):
        lifetime = current_app.config["CONSORTIUM_SSO_REQUEST_LIFETIME"]
        db.session.add(SamlMessageModel(id=request_id, kind="request", tenant_id=tenant.id,
                                        entity_id=idp.entity_id,
                                        expires=utcnow() + timedelta(seconds=lifetime)))
        SamlMessageModel.query.filter(SamlMessageModel.expires < utcnow()).delete()
        db.session.commit()

    @staticmethod
    def outstanding_request(tenant, idp, request_id):
        """REQUEST_ID if this library sent it to IDP, unanswered and unexpired."""
        row = request_id and db.session.get(SamlMessageModel, (request_id, "request"))
        if (not row or row.expires < utcnow() or row.tenant_id != tenant.id
                or row.entity_id != idp.entity_id):
            raise SsoRefusal("unsolicited")
        if row.used:  # answered already: this answer, or another one, was posted before
            raise SsoRefusal("replayed")
        return row

    def login(self, tenant, idp, response, request_row):
        """The user a verified RESPONSE of IDP logs in on TENANT's site: found by its
        eduPersonUniqueId (never by e-mail), or created; the library's rules applied.
        Everything is checked before anything is written."""
        attributes = by_friendly_name(response.get_attributes())
        unique_ids = attributes.get("eduPersonUniqueId", [])
        if len(unique_ids) != 1 or "@" not in unique_ids[0]:
            raise SsoRefusal("no_identifier")
        wrong = out_of_scope(attributes, idp.scopes)
        if wrong:
            raise SsoRefusal("out_of_scope", f"{wrong[0]} {wrong[1]}")
        assertion_id = response.get_assertion_id()
        if db.session.get(SamlMessageModel, (assertion_id, "assertion")) is not None:
            raise SsoRefusal("replayed")
        external_id = unique_ids[0]
        user = UserIdentity.get_user(METHOD, external_id)
        created = False
        if user is None:
            email = (attributes.get("mail") or [None])[0]
            if not email or "@" not in email:
                raise SsoRefusal("no_email")
            if current_datastore.find_user(email=email) is not None:
                raise SsoRefusal("email_taken", email)
        expires = response.get_assertion_not_on_or_after()
        try:
            request_row.used = True
            db.session.add(SamlMessageModel(
                id=assertion_id, kind="assertion", tenant_id=tenant.id,
                entity_id=idp.entity_id,
                expires=datetime.fromtimestamp(expires, timezone.utc).replace(tzinfo=None)
                if expires else utcnow() + timedelta(hours=1)))
            db.session.flush()
        except IntegrityError as error:  # the same assertion posted twice at once
            db.session.rollback()
            raise SsoRefusal("replayed") from error
        if user is None:
            user = self._create_account(attributes, email, external_id)
            created = True
        self._audit(tenant, user, "account_created" if created else "login",
                    idp=idp.entity_id)
        db.session.commit()
        if created:  # findable like a registered user (curators' notifications search)
            from invenio_users_resources.proxies import current_users_service
            from invenio_users_resources.records.api import UserAggregate

            current_users_service.indexer.index(UserAggregate.get_record(user.id))
        self.apply_rules(tenant, user, attributes, idp)
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
