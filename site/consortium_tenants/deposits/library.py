"""Which member library a deposit belongs to.

A deposit belongs to the library whose community it is submitted to or
included in; a new draft without one belongs to the depositor's home library
(`home_library`), and once created to the library it is charged to. Storage
charging, suspension and the workflow all ask here.
"""

from flask import g
from marshmallow import ValidationError

from ..storage.accounts import account_of_bucket
from ..tenants.models import TenantModel
from ..tenants.permissions import slug_of_role


def tenants_of_identity(identity):
    """Tenants in whose member roles (`<slug>-managers|curators|depositors`) the identity is."""
    slugs = {
        slug_of_role(need.value)
        for need in identity.provides
        if need.method == "role" and isinstance(need.value, str)
    } - {None}
    if not slugs:
        return []
    return TenantModel.query.filter(TenantModel.slug.in_(slugs)).all()


def tenants_of_record(record):
    """Tenants whose community the record targets or belongs to."""
    parent = getattr(record, "parent", None)
    ids = set()
    if parent is not None:
        ids |= {str(c) for c in (parent.communities.ids or [])}
        review = parent.review
        receiver = review.receiver.reference_dict if review is not None else {}
        if "community" in receiver:
            ids.add(str(receiver["community"]))
    if not ids:
        return []
    return TenantModel.query.filter(TenantModel.community_id.in_(ids)).all()


def home_library(identity, strict=False):
    """The library a person deposits into unless they say otherwise.

    The library of the host the request came to, else the person's only
    library, else None. A member of several libraries on the consortium's host
    gets None, or with STRICT a 400 asking them to choose.
    """
    host_tenant = getattr(g, "tenant", None)
    if host_tenant is not None:
        return host_tenant
    own = tenants_of_identity(identity)
    if len(own) > 1 and strict:
        slugs = ", ".join(sorted(t.slug for t in own))
        raise ValidationError({"parent.review": [
            f"You belong to several member libraries ({slugs}): create the draft on "
            "your library's site or submit it to your library's community."
        ]})
    return own[0] if len(own) == 1 else None


def _targeted_tenants(record, data):
    """Libraries whose community the deposit targets (review in DATA or on RECORD)."""
    receiver = (((data or {}).get("parent") or {}).get("review") or {}).get("receiver") or {}
    if receiver.get("community"):
        tenant = TenantModel.of_community(receiver["community"])
        return [tenant] if tenant else []
    return tenants_of_record(record)


def tenant_for_deposit(identity, record, data=None):
    """The library a new deposit is charged to.

    The community it targets, else the library of the host it is created on,
    else the depositor's library. A depositor of several libraries must say
    which (by host or by targeting its community).
    """
    targeted = _targeted_tenants(record, data)
    if len(targeted) == 1:
        return targeted[0]
    return home_library(identity, strict=True)


def deposit_libraries(identity, record, data=None):
    """The libraries a deposit goes to, for refusing those that are suspended.

    The communities it targets (all of them), else the library its files are
    charged to, else `home_library`; none while a member of several libraries
    has not chosen (the storage component asks them to).
    """
    targeted = _targeted_tenants(record, data)
    if targeted:
        return targeted
    account = account_of_bucket(getattr(record, "bucket", None))
    tenant = account.tenant if account is not None else home_library(identity)
    return [tenant] if tenant is not None else []
