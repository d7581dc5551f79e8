"""The pages a library's managers and curators work on, and who may open which.

One list for every place that links them: the tabs on top of each page
(`library_nav`), the library's bar on its own site and the account menu. A person
sees a page only when the permission its view checks lets them open it, so no
link answers 403.
"""

from datetime import date

from dateutil.relativedelta import relativedelta
from flask import g
from flask_login import current_user
from invenio_i18n import lazy_gettext as _

from .proxies import current_tenants_service
from .tenants.models import TenantModel
from .tenants.permissions import slug_of_role


def _tenant_allows(action):
    def check(identity, tenant):
        return current_tenants_service.check_permission(identity, action, record=tenant)
    return check


def _last_month():
    return (date.today().replace(day=1) - relativedelta(months=1)).strftime("%Y-%m")


LIBRARY_PAGES = (
    # key, label, path under /libraries/<slug>/, check(identity, tenant) = the view's own
    ("dashboard", _("Dashboard"), lambda: "dashboard", _tenant_allows("read_statements")),
    ("submissions", _("Submissions"), lambda: "submissions", _tenant_allows("read_submissions")),
    ("workflow", _("Workflow"), lambda: "workflow", _tenant_allows("update_workflow")),
    ("storage", _("Storage"), lambda: "storage", _tenant_allows("read_usage")),
    ("stats", _("Statistics"), lambda: "stats", _tenant_allows("read_stats")),
    ("dois", _("DOIs"), lambda: "dois", _tenant_allows("read_usage")),
    ("sso", _("Institution login"), lambda: "sso", _tenant_allows("manage_members")),
    ("oa", _("Open access"), lambda: "oa", _tenant_allows("read_oa_reports")),
    ("embargoes", _("Embargoes"), lambda: "embargoes", _tenant_allows("read_oa_reports")),
    ("kramerius", _("Kramerius"), lambda: "kramerius", _tenant_allows("manage_kramerius")),
    ("imports", _("Imports"), lambda: "imports", _tenant_allows("manage_imports")),
    ("statements", _("Statements"), lambda: f"statements/{_last_month()}",
     _tenant_allows("read_statements")),
)


def library_pages(tenant):
    """[{key, label, url}] of TENANT's pages the current person may open (cs/en labels)."""
    if tenant is None or not current_user.is_authenticated:
        return []
    identity = g.identity
    return [
        {"key": key, "label": label, "url": f"/libraries/{tenant.slug}/{path()}"}
        for key, label, path, check in LIBRARY_PAGES
        if check(identity, tenant)
    ]


def managed_libraries():
    """[(tenant, pages)] of the libraries where the current person holds a member role
    that opens some of their pages (managers, curators), for the account menu."""
    if not current_user.is_authenticated:
        return []
    slugs = {slug_of_role(role.name) for role in current_user.roles} - {None}
    if not slugs:
        return []
    tenants = TenantModel.query.filter(TenantModel.slug.in_(slugs)).order_by(TenantModel.slug)
    found = [(tenant, library_pages(tenant)) for tenant in tenants]
    return [(tenant, pages) for tenant, pages in found if pages]


def register(blueprint):
    """Template globals `library_pages(tenant)` and `managed_libraries()` (globals, so
    that macros imported without context see them too)."""
    blueprint.add_app_template_global(library_pages, "library_pages")
    blueprint.add_app_template_global(managed_libraries, "managed_libraries")
