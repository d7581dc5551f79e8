"""Configuration of the billing service: permission policy (from config) and schemas.

The policy is the instance's one policy (CONSORTIUM_TENANTS_PERMISSION_POLICY, default
tenants.permissions.TenantPermissionPolicy): `read_statements` (a library's managers and
consortium administrators; also what the library's menu checks), `manage_billing`
(administrators: the summary, tariffs, snapshots, closing a month) and `search` (anyone:
the tariffs are public prices)."""

from invenio_records_resources.services.base.config import (
    ConfiguratorMixin,
    FromConfig,
    ServiceConfig,
)

from ..tenants.permissions import TenantPermissionPolicy
from .schemas import (
    ClosedMonthSchema,
    PeriodSchema,
    SnapshotSchema,
    SnapshotsRunSchema,
)
from .tariffs import TariffSchema


class BillingServiceConfig(ServiceConfig, ConfiguratorMixin):
    """The billing service as this instance configures it."""

    service_id = "consortium-billing"
    permission_policy_cls = FromConfig(
        "CONSORTIUM_TENANTS_PERMISSION_POLICY", default=TenantPermissionPolicy,
        import_string=True)

    tariff_schema = TariffSchema
    period_schema = PeriodSchema
    snapshot_schema = SnapshotSchema
    snapshots_run_schema = SnapshotsRunSchema
    closed_month_schema = ClosedMonthSchema
