"""Communities service component guarding the communities of member libraries.

A library's community is provisioned and kept in step by the tenant and
workflow services (system identity). Its owners (the library's managers) still
edit its texts and branding in InvenioRDM's community settings, but not what
would break the link: its review settings (the library's workflow preset), its
slug (the library's slug) and its deletion (deleting the library).
"""

from invenio_access.permissions import system_process
from invenio_records_resources.services.records.components import ServiceComponent
from marshmallow import ValidationError

from ..i18n import text
from ..workflows.rules import community_access, preset_of
from .models import TenantModel


def library_of(community):
    """The member library owning COMMUNITY, or None."""
    return TenantModel.of_community(community.id) if community is not None else None


class LibraryCommunityComponent(ServiceComponent):
    """Keep a library's community in step with the library."""

    @staticmethod
    def _by_user(identity):
        return system_process not in identity.provides

    def update(self, identity, data=None, record=None, **kwargs):
        tenant = library_of(record)
        if tenant is None or not self._by_user(identity):
            return
        wanted = community_access(preset_of(tenant))
        access = (data or {}).get("access") or {}
        changed = [key for key, value in wanted.items() if key in access and access[key] != value]
        if changed:
            raise ValidationError({f"access.{key}": [text(
                f"Nastavuje se v pracovním postupu knihovny: /libraries/{tenant.slug}/workflow.",
                f"Set by the library's deposit workflow: /libraries/{tenant.slug}/workflow.",
            )] for key in changed})

    def rename(self, identity, data=None, record=None, **kwargs):
        if library_of(record) is not None and self._by_user(identity):
            raise ValidationError({"slug": [text(
                "Adresa komunity je zkratkou členské knihovny a nemění se.",
                "The community's slug is the member library's slug and does not change.")]})

    def delete(self, identity, data=None, record=None, **kwargs):
        if library_of(record) is not None and self._by_user(identity):
            raise ValidationError({"community": [text(
                "Komunitu členské knihovny ruší pracovníci konsorcia spolu s knihovnou.",
                "A member library's community is deleted with the library, by the "
                "consortium staff.")]})
