"""How features plug into the tenant core, and the guard of a library's community.

- `TenantServiceComponent`: the hooks the tenant service runs on each
  component of CONSORTIUM_TENANT_SERVICE_COMPONENTS (as RDM's record service
  runs RDM_RECORDS_SERVICE_COMPONENTS), inside the operation's unit of work.
  Storage and workflows register theirs; a new feature plugs in the same way,
  without changing the core.
- `LibraryCommunityComponent` (communities service): a library's community is
  provisioned and kept in step by the tenant service (system identity). Its
  owners (the library's managers) still edit its texts and branding in
  InvenioRDM's community settings, but not its slug (the library's slug), its
  deletion (deleting the library) nor what a feature manages in it
  (`TenantServiceComponent.community_update`).
"""

from invenio_access.permissions import system_process
from invenio_records_resources.services.base.components import BaseServiceComponent
from invenio_records_resources.services.records.components import ServiceComponent
from invenio_i18n import gettext as _
from marshmallow import ValidationError

from ..proxies import current_tenants_service
from .library import library_of_community


class TenantServiceComponent(BaseServiceComponent):
    """A feature's part in the tenant service; every hook is optional."""

    def community(self, tenant, data):
        """Add the feature's settings to DATA, the new community of TENANT."""

    def create(self, identity, data=None, tenant=None):
        """Provision the feature for a new TENANT (its community exists)."""

    def update(self, identity, data=None, tenant=None):
        """TENANT was changed by DATA."""

    def delete(self, identity, tenant=None):
        """Remove the feature's data of TENANT (before its community goes)."""

    def dump(self, tenant, data):
        """Add the feature's fields and `links` to DATA, the JSON of TENANT."""

    def usage(self, tenant, data):
        """Add what TENANT uses of the feature to DATA."""

    def usage_at(self, tenant, moment, data):
        """Add what TENANT used at MOMENT (naive UTC), as far as the feature knows, to
        DATA (billing's backfill of missing days)."""

    def community_update(self, identity, tenant, data):
        """Refuse (ValidationError) a user's change DATA of TENANT's community."""

    def assigned_library(self, record):
        """The library the feature has assigned a deposit RECORD to, or None."""
        return None

    def doi_prefix(self, tenant):
        """The DOI prefix TENANT's new works are registered under by the feature, or
        None."""
        return None

    def publication_choice(self, record, name):
        """What the feature chose NAME to be when deposit RECORD is published on someone's
        behalf (e.g. "doi": "none", an import run's DOI policy), or None."""
        return None


class LibraryCommunityComponent(ServiceComponent):
    """Keep a library's community in step with the library."""

    @staticmethod
    def _by_user(identity):
        return system_process not in identity.provides

    @staticmethod
    def _library(community):
        return library_of_community(community.id) if community is not None else None

    def update(self, identity, data=None, record=None, **kwargs):
        tenant = self._library(record)
        if tenant is not None and self._by_user(identity):
            for component in current_tenants_service.components:
                component.community_update(identity, tenant, data or {})

    def rename(self, identity, data=None, record=None, **kwargs):
        if self._library(record) is not None and self._by_user(identity):
            raise ValidationError({"slug": [_(
                "The community's slug is the member library's slug and does not change.")]})

    def delete(self, identity, data=None, record=None, **kwargs):
        if self._library(record) is not None and self._by_user(identity):
            raise ValidationError({"community": [_(
                "A member library's community is deleted with the library, by the "
                "consortium staff.")]})
