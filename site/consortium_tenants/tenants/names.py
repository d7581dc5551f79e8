"""A library's community named in the reader's language wherever InvenioRDM names it.

A library's community has one title, the library's Czech name
(`TenantService._community_names`), and InvenioRDM shows `metadata.title` as it is:
English pages said "Moravská zemská knihovna v Brně" as a request's receiver, in the
deposit form's "Submit for review" dialog and in e-mails. Requests and deposits name
their communities through the entity resolvers of invenio-requests
(`REQUESTS_ENTITY_RESOLVERS`: a request's receiver, a draft's `parent.review.receiver`
when expanded); this resolver is InvenioRDM's community resolver whose picked fields
carry the library's name in the current language (the page's, the API request's).
"""

from invenio_communities.communities.entity_resolvers import (
    CommunityPKProxy,
    CommunityResolver,
)

from ..i18n import localized
from .models import TenantModel


def with_library_name(community):
    """COMMUNITY (a dump with "id" and "metadata") with its title the library's name in
    the current language, if it is a library's community; else COMMUNITY itself."""
    if not isinstance(community, dict) or community.get("is_ghost"):
        return community
    tenant = TenantModel.of_community(community.get("id"))
    if tenant is None:
        return community
    return {**community,
            "metadata": {**community.get("metadata", {}), "title": localized(tenant.names)}}


class LibraryCommunityProxy(CommunityPKProxy):
    """InvenioRDM's community proxy, naming a library's community in the current language."""

    def pick_resolved_fields(self, identity, resolved_dict):
        """InvenioRDM's fields, the title the library's name."""
        return with_library_name(super().pick_resolved_fields(identity, resolved_dict))


class LibraryCommunityResolver(CommunityResolver):
    """InvenioRDM's community resolver (type "community") with LibraryCommunityProxy."""

    def __init__(self):
        super().__init__()
        self.proxy_cls = LibraryCommunityProxy
