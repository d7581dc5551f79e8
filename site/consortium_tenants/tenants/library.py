"""Which member library a deposit, a request, a community or a person belongs to.

Storage, workflows, suspension, the deposit form and the pages all ask here, and
every answer follows one precedence:

1. the communities the deposit is headed to: the review receiver it is being
   given (DATA), else its own review receiver and the communities it is in;
2. the library it is already assigned to by a feature of the tenant service
   (`assigned_library` of the CONSORTIUM_TENANT_SERVICE_COMPONENTS: the library
   its files are charged to);
3. the library of the host the request came to;
4. the person's only library.

A member of several libraries on the consortium's host, whose deposit names
no community, belongs to none (or, STRICT, gets a 400 asking them to choose).
"""

from flask import g
from marshmallow import ValidationError

from ..proxies import current_tenants_service
from .models import TenantModel
from .permissions import slug_of_role


def library_of_community(community_id):
    """The library owning the community with COMMUNITY_ID (a UUID or its text), or None."""
    return TenantModel.of_community(community_id)


def library_of_request(request):
    """The library a request (e.g. a community submission) is addressed to, or None."""
    return library_of_community(request.receiver.reference_dict.get("community"))


def libraries_of_person(identity):
    """Libraries in whose member roles (`<slug>-managers|curators|depositors`) IDENTITY is."""
    slugs = {
        slug_of_role(need.value)
        for need in identity.provides
        if need.method == "role" and isinstance(need.value, str)
    } - {None}
    if not slugs:
        return []
    return TenantModel.query.filter(TenantModel.slug.in_(slugs)).all()


def home_library(identity, strict=False):
    """Steps 3 and 4: the library of the request's host, else the person's only library.

    A member of several libraries on the consortium's host gets None, or with
    STRICT a 400 asking them to choose.
    """
    host_library = g.get("tenant")
    if host_library is not None:
        return host_library
    own = libraries_of_person(identity)
    if len(own) > 1 and strict:
        slugs = ", ".join(sorted(t.slug for t in own))
        raise ValidationError({"parent.review": [
            f"You belong to several member libraries ({slugs}): create the draft on "
            "your library's site or submit it to your library's community."
        ]})
    return own[0] if len(own) == 1 else None


def _record_communities(record):
    """Ids of the communities RECORD is in or its review request goes to."""
    parent = getattr(record, "parent", None)
    if parent is None:
        return set()
    ids = {str(c) for c in (parent.communities.ids or [])}
    review = parent.review
    receiver = review.receiver.reference_dict if review is not None else {}
    if "community" in receiver:
        ids.add(str(receiver["community"]))
    return ids


def headed_to(record=None, data=None):
    """Step 1: the libraries whose communities the deposit is headed to."""
    receiver = (((data or {}).get("parent") or {}).get("review") or {}).get("receiver") or {}
    if receiver.get("community"):
        library = library_of_community(receiver["community"])
        return [library] if library is not None else []
    ids = _record_communities(record)
    if not ids:
        return []
    return TenantModel.query.filter(TenantModel.community_id.in_(ids)).all()


def assigned_library(record):
    """Step 2: the library a feature of the tenant service assigned RECORD to, or None."""
    for component in current_tenants_service.components:
        library = component.assigned_library(record)
        if library is not None:
            return library
    return None


def libraries_of_deposit(identity, record=None, data=None):
    """Every library a deposit goes to (suspension refuses it if one is suspended)."""
    libraries = headed_to(record, data)
    if libraries:
        return libraries
    library = assigned_library(record) if record is not None else None
    library = library or home_library(identity)
    return [library] if library is not None else []


def library_of_deposit(identity, record=None, data=None, strict=False):
    """The one library a deposit belongs to (charged to, checked against), or None.

    The precedence of the module; a deposit headed to several communities
    belongs to the library of steps 2 to 4.
    """
    libraries = headed_to(record, data)
    if len(libraries) == 1:
        return libraries[0]
    library = assigned_library(record) if record is not None else None
    return library or home_library(identity, strict=strict)
