"""Configuration of the storage service: permission policy (from config) and schemas.

The policy is the instance's one policy (CONSORTIUM_TENANTS_PERMISSION_POLICY, default
tenants.permissions.TenantPermissionPolicy): `read_usage` (a library's managers and
consortium administrators) and `audit_storage` (administrators and the system)."""

from invenio_records_resources.services.base.config import (
    ConfiguratorMixin,
    FromConfig,
    ServiceConfig,
)

from ..tenants.permissions import TenantPermissionPolicy
from .schemas import DeclarationSchema, UsageSchema


class StorageServiceConfig(ServiceConfig, ConfiguratorMixin):
    """The storage service as this instance configures it."""

    service_id = "consortium-storage"
    permission_policy_cls = FromConfig(
        "CONSORTIUM_TENANTS_PERMISSION_POLICY", default=TenantPermissionPolicy,
        import_string=True)

    declaration_schema = DeclarationSchema
    usage_schema = UsageSchema
