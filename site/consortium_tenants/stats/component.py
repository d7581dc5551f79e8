"""The stats feature's part of the tenant service: this month's views and downloads."""

from datetime import datetime, timezone

from ..tenants.components import TenantServiceComponent
from .summary import usage_totals


class StatsTenantComponent(TenantServiceComponent):
    """`usage`: Total_Item_Investigations and Total_Item_Requests of the current month."""

    def usage(self, tenant, data):
        month = datetime.now(timezone.utc).date().replace(day=1)
        totals = usage_totals(tenant, month, month)
        data["views_this_month"] = totals["investigations"]
        data["downloads_this_month"] = totals["requests"]
