"""Configuration of the statistics service: permission policy (from config) and schemas.

The policy is the instance's one policy (CONSORTIUM_TENANTS_PERMISSION_POLICY, default
tenants.permissions.TenantPermissionPolicy): `read_stats`, `read_consortium_stats`,
`read_credentials`, `manage_credentials`, `manage_consortium_credentials` and
`manage_stats` (see service.StatsService)."""

from invenio_records_resources.services.base.config import (
    ConfiguratorMixin,
    FromConfig,
    ServiceConfig,
)

from ..tenants.permissions import TenantPermissionPolicy
from .schemas import (
    ConsortiumRangeSchema,
    CredentialSchema,
    MonthSchema,
    RangeSchema,
    ReportArgsSchema,
)


class StatsServiceConfig(ServiceConfig, ConfiguratorMixin):
    """The statistics service as this instance configures it."""

    service_id = "consortium-stats"
    permission_policy_cls = FromConfig(
        "CONSORTIUM_TENANTS_PERMISSION_POLICY", default=TenantPermissionPolicy,
        import_string=True)

    range_schema = RangeSchema
    consortium_range_schema = ConsortiumRangeSchema
    month_schema = MonthSchema
    credential_schema = CredentialSchema
    report_args_schema = ReportArgsSchema
