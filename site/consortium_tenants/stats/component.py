"""The stats feature's part of the tenant service: this month's views and downloads."""

from datetime import datetime, timezone

from ..tenants.components import TenantServiceComponent
from .summary import usage_totals


class StatsTenantComponent(TenantServiceComponent):
    """`usage`: this month's views and downloads, as every page counts them: views are
    landing-page views (Total_Item_Investigations less Total_Item_Requests), downloads
    are file downloads (Total_Item_Requests)."""

    def usage(self, tenant, data):
        month = datetime.now(timezone.utc).date().replace(day=1)
        totals = usage_totals(tenant, month, month)
        data["views_this_month"] = totals["views"]
        data["downloads_this_month"] = totals["downloads"]
