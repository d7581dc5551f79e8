"""Storage in the tenant service: each library's account, limits, usage and audit.

`StorageTenantComponent` (CONSORTIUM_TENANT_SERVICE_COMPONENTS) opens a new
library's storage account and location, closes them with the library, shows
its effective limits and usage, and names the library a deposit's files are
charged to. `StorageService` answers what a library stores and audits it.
"""

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


class StorageService:
    """What a library stores against its limits, and the audit of its counters and S3."""

    def __init__(self, tenants):
        self.tenants = tenants

    def usage(self, identity, slug):
        """The library's stored bytes and files against its limits (O(1) counters)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "read_usage", tenant)
        return accounts.usage(tenant)

    @unit_of_work()
    def audit(self, identity, slug, repair=False, check_s3=False, uow=None):
        """Recount the library's usage (REPAIR fixes counters); compare with S3."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "audit_storage", tenant)
        return audit(tenant, repair=repair, check_s3=check_s3)

    @unit_of_work()
    def audit_bucket(self, identity, repair=False, uow=None):
        """Every byte of the consortium bucket: libraries' objects, upload parts, stray ones."""
        self.tenants.require(identity, "audit_storage")
        return survey_bucket(repair=repair)
