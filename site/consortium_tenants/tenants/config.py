"""Configuration of the tenant service: policy, schemas, components, links, sorts."""

from invenio_records_resources.services.base.config import (
    ConfiguratorMixin,
    FromConfig,
    ServiceConfig,
)

from ..paging import SiteLink, pagination_links
from .models import TenantModel
from .permissions import TenantPermissionPolicy
from .schema import MemberSchema, NewTenantSchema, TenantSchema


class TenantServiceConfig(ServiceConfig, ConfiguratorMixin):
    """The tenant service as this instance configures it."""

    service_id = "consortium-tenants"
    permission_policy_cls = FromConfig(
        "CONSORTIUM_TENANTS_PERMISSION_POLICY", default=TenantPermissionPolicy,
        import_string=True)
    components = FromConfig("CONSORTIUM_TENANT_SERVICE_COMPONENTS", default=[])
    """Features plugged into provisioning, dumps and usage (see .components)."""

    schema = TenantSchema
    new_schema = NewTenantSchema
    member_schema = MemberSchema

    sorts = {
        "slug": TenantModel.slug.asc(),
        "-slug": TenantModel.slug.desc(),
        "newest": TenantModel.created.desc(),
        "oldest": TenantModel.created.asc(),
    }
    max_page_size = FromConfig("CONSORTIUM_TENANTS_SEARCH_SIZE_MAX", default=100)

    links_item = {
        "self": SiteLink("{+api}/tenants/{slug}"),
        "members": SiteLink("{+api}/tenants/{slug}/members"),
        "community": SiteLink("{+api}/communities/{community_id}"),
        "html": SiteLink("{+ui}/communities/{slug}"),
        "logo": SiteLink("{+api}/communities/{community_id}/logo"),
    }
    """Links of a tenant (uritemplate vars: `slug`, `community_id`); components add theirs."""

    links_search = pagination_links("{+api}/tenants{?args*}")
