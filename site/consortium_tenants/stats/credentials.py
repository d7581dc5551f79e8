"""SUSHI credentials: issued and revoked by a library's managers, read by consortium admins
(who may: the statistics service's policy, service.StatsService; these functions write
inside its unit of work and never commit).

A credential is a requestor ID (public) and an API key (secret, shown once,
stored as a hash) for one library, whose customer ID is the library's slug.
Credentials without a library are the consortium's (`invenio tenants stats
sushi-issue --consortium`): they harvest every member library.
"""

import hashlib
import hmac
import secrets
import uuid
from datetime import datetime, timezone

from flask import current_app
from invenio_db import db

from .models import SushiCredential


class CredentialNotFound(Exception):
    """No such (active) credential of this library."""


def hash_key(api_key):
    """The stored form of an API key."""
    return hashlib.sha256(api_key.encode()).hexdigest()


def dump(credential, tenant=None, api_key=None):
    """JSON of a credential (with its API key only when just issued)."""
    data = {
        "customer_id": (tenant.slug if tenant else
                        current_app.config["CONSORTIUM_SUSHI_CONSORTIUM_CUSTOMER_ID"]),
        "requestor_id": credential.requestor_id,
        "label": credential.label,
        "created": credential.created.isoformat(),
        "revoked": credential.revoked.isoformat() if credential.revoked else None,
    }
    if api_key:
        data["api_key"] = api_key
    return data


def issue(tenant, label="", user_id=None):
    """New credentials for TENANT (None: the consortium) issued by USER_ID; returns their
    JSON with the API key."""
    api_key = secrets.token_urlsafe(32)
    credential = SushiCredential(
        id=uuid.uuid4(), tenant_id=tenant.id if tenant else None,
        requestor_id=str(uuid.uuid4()), api_key_hash=hash_key(api_key), label=label,
        created=datetime.now(timezone.utc).replace(tzinfo=None),
        created_by=user_id,
    )
    db.session.add(credential)
    db.session.flush()
    return dump(credential, tenant, api_key)


def list_credentials(tenant):
    """TENANT's credentials (active and revoked), newest first."""
    rows = SushiCredential.query.filter_by(tenant_id=tenant.id).order_by(
        SushiCredential.created.desc())
    return [dump(c, tenant) for c in rows]


def revoke(tenant, requestor_id):
    """Revoke TENANT's active credential REQUESTOR_ID (None TENANT: the consortium's)."""
    credential = SushiCredential.query.filter_by(
        tenant_id=tenant.id if tenant else None, requestor_id=requestor_id, revoked=None,
    ).one_or_none()
    if credential is None:
        raise CredentialNotFound(requestor_id)
    credential.revoked = datetime.now(timezone.utc).replace(tzinfo=None)
    db.session.flush()
    return dump(credential, tenant)


def authenticate(requestor_id, api_key):
    """The active credential with REQUESTOR_ID and API_KEY: (credential, key_ok) or (None, False)."""
    credential = SushiCredential.query.filter_by(requestor_id=requestor_id, revoked=None).one_or_none()
    if credential is None:
        return None, False
    return credential, hmac.compare_digest(credential.api_key_hash, hash_key(api_key))
