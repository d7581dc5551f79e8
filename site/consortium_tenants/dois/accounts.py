"""DataCite accounts: per library in the registry, the consortium's from config.

Consortium administrators set a library's account (`invenio tenants datacite set`,
`PUT /api/tenants/<slug>/datacite`); its managers read its prefix and status.
The password is stored encrypted and never returned.
"""

import re
from dataclasses import dataclass

import marshmallow as ma
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_i18n import lazy_gettext as _
from invenio_records_resources.services.uow import unit_of_work

from ..tenants.library import library_of_deposit
from ..validation import Length
from . import crypto, failures
from .models import DataCiteAccountModel

PREFIX_PATTERN = r"10\.[0-9]{4,9}"
"""A DataCite prefix (ASCII digits), matched whole."""
REPOSITORY_PATTERN = r"[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*(?:\.[A-Za-z0-9]+(?:[-_][A-Za-z0-9]+)*)+"
"""A DataCite repository ID: PROVIDER.REPOSITORY (letters, digits, inner - and _), whole."""


def _whole(pattern, error):
    """A validator: the value matches PATTERN as a whole (`$` would let "…\\n" pass)."""
    compiled = re.compile(pattern)

    def check(value):
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ma.ValidationError(error)
    return check

UNREADABLE = _("The stored password cannot be decrypted with CONSORTIUM_DATACITE_KEYS "
               "(a key was changed or lost): set the password again, or restore the key.")
"""Why an account whose password no key reads is failing."""


class UnreadableAccount(Exception):
    """A library's enabled DataCite account whose stored password no key decrypts."""

    def __init__(self, tenant):
        super().__init__(str(UNREADABLE))
        self.tenant = tenant


@dataclass(frozen=True)
class Account:
    """The credentials DataCite is called with; `tenant` is None for the consortium's."""

    prefix: str
    repository_id: str
    password: str
    test_mode: bool
    tenant: object = None

    @property
    def label(self):
        return self.tenant.slug if self.tenant is not None else "consortium"


class AccountSchema(ma.Schema):
    """A library's DataCite settings as consortium administrators set them."""

    prefix = ma.fields.String(required=True, validate=_whole(
        PREFIX_PATTERN, "A DataCite prefix looks like 10.12345."))
    repository_id = ma.fields.String(required=True, validate=[
        Length(min=1, max=128),
        _whole(REPOSITORY_PATTERN, "A DataCite repository ID looks like CZ.MZK.")])
    password = ma.fields.String(load_only=True, validate=Length(min=1, max=255))
    test_mode = ma.fields.Boolean(load_default=True)
    enabled = ma.fields.Boolean(load_default=True)


def consortium_account():
    """The consortium-wide fallback account (CONSORTIUM_DATACITE_FALLBACK), or None."""
    cfg = current_app.config.get("CONSORTIUM_DATACITE_FALLBACK") or {}
    if not all(cfg.get(key) for key in ("prefix", "repository_id", "password")):
        return None
    return Account(cfg["prefix"], cfg["repository_id"], cfg["password"],
                   cfg.get("test_mode", True))


def _account_of(row):
    password = crypto.decrypt(row.password)
    if password is None:
        return None
    return Account(row.prefix, row.repository_id, password, row.test_mode, row.tenant)


def account_of_library(tenant):
    """The account a new DOI of TENANT's records is minted with, or None (no DOI).

    Raises UnreadableAccount when the library's enabled account cannot be used (its
    password no longer decrypts): its works must not silently go without a DOI."""
    if tenant is not None:
        row = db.session.get(DataCiteAccountModel, tenant.id)
        if row is not None and row.enabled:
            account = _account_of(row)
            if account is None:
                raise UnreadableAccount(tenant)
            return account
    return consortium_account()


def account_of_record(record):
    """The account of the library RECORD belongs to (tenants.library), or its fallback."""
    return account_of_library(library_of_deposit(system_identity, record=record))


def account_of_prefix(prefix):
    """The account that owns DOIs with PREFIX (existing DOIs stay with their account,
    even when their record moves to another library), or None."""
    fallback = consortium_account()
    rows = DataCiteAccountModel.query.filter_by(prefix=prefix).all()
    for row in sorted(rows, key=lambda r: not r.enabled):
        account = _account_of(row)
        if account is not None:
            return account
    if fallback is not None and fallback.prefix == prefix:
        return fallback
    return None


def repository_of_prefix(prefix):
    """The repository id (DataCite's client id) holding DOIs with PREFIX, or None; as
    `account_of_prefix` chooses it, without reading the password."""
    rows = DataCiteAccountModel.query.filter_by(prefix=prefix).all()
    for row in sorted(rows, key=lambda r: not r.enabled):
        return row.repository_id
    fallback = current_app.config.get("CONSORTIUM_DATACITE_FALLBACK") or {}
    return fallback.get("repository_id") if fallback.get("prefix") == prefix else None


def record_error(account, message):
    """Remember what DataCite answered ACCOUNT's library (None: it worked again)."""
    if account.tenant is None:
        return
    row = db.session.get(DataCiteAccountModel, account.tenant.id)
    if row is not None and row.last_error != message:
        row.last_error = message


class DataCiteAccountService:
    """Read and set a library's DataCite account."""

    schema = AccountSchema()

    def __init__(self, tenants):
        self.tenants = tenants

    def _dump(self, tenant, row, full):
        fallback = consortium_account()
        last_error = row.last_error if row is not None else None
        if row is None:
            status = "consortium" if fallback else "none"
        else:
            status = "enabled" if row.enabled else "disabled"
            if crypto.decrypt(row.password) is None:
                last_error = str(UNREADABLE)
            if row.enabled and last_error:
                status = "failing"
        data = {"library": tenant.slug, "status": status,
                "prefix": row.prefix if row is not None else (fallback and fallback.prefix)}
        if full:
            data.update({
                "repository_id": row.repository_id if row else None,
                "test_mode": row.test_mode if row else None,
                "enabled": row.enabled if row else False,
                "last_error": last_error,
            })
        return data

    def read(self, identity, slug):
        """Managers of the library: prefix and status; consortium administrators: all
        but the password."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "read_usage", tenant)
        full = self.tenants.check_permission(identity, "update_restricted", record=tenant)
        return self._dump(tenant, db.session.get(DataCiteAccountModel, tenant.id), full)

    @unit_of_work()
    def set(self, identity, slug, data, uow=None):
        """Create or replace the library's account (consortium administrators)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "update_restricted", tenant)
        if not isinstance(data, dict):
            raise ma.ValidationError("Expected a JSON object.")
        row = db.session.get(DataCiteAccountModel, tenant.id)
        errors = {}
        try:
            loaded = self.schema.load(data)
        except ma.ValidationError as error:
            errors, loaded = error.messages, {}
        if row is None and not data.get("password"):  # every field's message at once
            errors = {**errors, "password": ["Missing data for required field."]}
        if errors:
            raise ma.ValidationError(errors)
        if row is None:
            row = DataCiteAccountModel(tenant_id=tenant.id)
            db.session.add(row)
        password = loaded.pop("password", None)
        if password:
            try:
                row.password = crypto.encrypt(password)
            except crypto.MissingKeys as error:
                raise ma.ValidationError({"password": [str(error)]})
        for key, value in loaded.items():
            setattr(row, key, value)
        row.last_error = None
        db.session.flush()
        return self._dump(tenant, row, True)

    def failed(self, identity, slug):
        """The library's DOIs DataCite has not taken yet (its managers, administrators)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "read_usage", tenant)
        hits = [dump_failure(row) for row in failures.failed([tenant.id])]
        return {"hits": {"hits": hits, "total": len(hits)}}

    @unit_of_work()
    def remove(self, identity, slug, uow=None):
        """Forget the library's account: its new records use the consortium's."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "update_restricted", tenant)
        DataCiteAccountModel.query.filter_by(tenant_id=tenant.id).delete()
        return self._dump(tenant, None, True)


def rotate_passwords():
    """Re-encrypt every stored password with the first key of CONSORTIUM_DATACITE_KEYS.

    Returns (slugs re-encrypted, slugs whose password no key reads); the caller commits."""
    rotated, unreadable = [], []
    for row in DataCiteAccountModel.query.order_by(DataCiteAccountModel.tenant_id):
        token = crypto.rotate(row.password)
        if token is None:
            unreadable.append(row.tenant.slug)
            continue
        row.password = token
        rotated.append(row.tenant.slug)
    return rotated, unreadable


def dump_failure(row):
    """A failed DOI as JSON."""
    return {"doi": row.doi, "record": row.record_id, "concept": row.parent,
            "operation": row.operation, "attempts": row.attempts, "error": row.error,
            "since": row.created.isoformat(), "last_attempt": row.updated.isoformat(),
            "next_attempt": row.next_attempt.isoformat() if row.next_attempt else None}
