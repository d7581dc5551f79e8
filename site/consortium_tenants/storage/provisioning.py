"""Storage in the tenant service: each library's account, limits, usage and audit.

`StorageTenantComponent` (CONSORTIUM_TENANT_SERVICE_COMPONENTS) opens a new
library's storage account and location, closes them with the library, shows
its effective limits and usage, and names the library a deposit's files are
charged to. `StorageService` answers what a library stores, checks what a file is
declared as, and audits it.
"""

from invenio_records_resources.services import Service
from invenio_records_resources.services.uow import unit_of_work

from ..tenants.components import TenantServiceComponent
from . import accounts
from .audit import audit, survey_bucket


class StorageTenantComponent(TenantServiceComponent):
    """A library's storage account, from its creation to its deletion."""

    def create(self, identity, data=None, tenant=None):
        accounts.account_of(tenant)

    def delete(self, identity, tenant=None):
        accounts.close(tenant)

    def dump(self, tenant, data):
        data["storage"] = accounts.limits(tenant)

    def usage(self, tenant, data):
        data["storage"] = accounts.usage(tenant)

    def usage_at(self, tenant, moment, data):
        data["storage"] = accounts.usage_at(tenant, moment)

    def assigned_library(self, record):
        account = accounts.account_of_bucket(getattr(record, "bucket", None))
        return account.tenant if account is not None else None


class StorageService(Service):
    """What a library stores against its limits, what a file may be declared as, and the
    audit of the counters and S3: an invenio-records-resources service (config:
    `config.StorageServiceConfig`, its policy the instance's one policy from config, what
    it accepts and returns through the config's schemas, audits in a unit of work)."""

    def __init__(self, config, tenants):
        super().__init__(config)
        self.tenants = tenants

    def _library(self, identity, action, slug):
        tenant = self.tenants.get(slug)
        self.require_permission(identity, action, record=tenant)
        return tenant

    def usage(self, identity, slug):
        """The library's stored and reserved bytes and files against its limits (O(1)
        counters; see schemas.UsageSchema)."""
        tenant = self._library(identity, "read_usage", slug)
        return self.config.usage_schema().dump(accounts.usage(tenant))

    def check_declarations(self, entries):
        """Refuse (InvalidDeclarationError, 400) the first of ENTRIES (a file
        initialisation's body) declared with a size or shape no file has; before
        anything is reserved. Anyone who may initialise files may ask."""
        self.config.declaration_schema(many=True).load(entries)

    @unit_of_work()
    def audit(self, identity, slug, repair=False, check_s3=False, uow=None):
        """Recount the library's usage (REPAIR fixes counters); compare with S3."""
        tenant = self._library(identity, "audit_storage", slug)
        return audit(tenant, repair=repair, check_s3=check_s3)

    @unit_of_work()
    def audit_bucket(self, identity, repair=False, uow=None):
        """Every byte of the consortium bucket: libraries' objects, upload parts, stray ones."""
        self.require_permission(identity, "audit_storage")
        return survey_bucket(repair=repair)
