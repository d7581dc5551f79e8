"""A library's Kramerius (read: anyone, the address is public; set: its managers and
consortium administrators) and the works whose Kramerius link the last check found
broken (its managers)."""

from invenio_db import db
from invenio_records_resources.services.uow import unit_of_work

from ...i18n import localized
from ...paging import SiteLink
from .models import KrameriusLinkModel, KrameriusSettingsModel
from .schema import KrameriusSettingsSchema

LINKS = {
    "self": SiteLink("{+api}/tenants/{slug}/kramerius"),
    "broken_links": SiteLink("{+api}/tenants/{slug}/kramerius/broken-links"),
}


def settings_of(tenant):
    """TENANT's Kramerius as {base_url, manifest_url} (None where unset)."""
    row = db.session.get(KrameriusSettingsModel, tenant.id) if tenant is not None else None
    return {"base_url": row.base_url if row is not None else None,
            "manifest_url": row.manifest_url if row is not None else None}


def view_url(settings, uuid):
    """The work's page in the Kramerius client (Kramerius 7's persistent link
    <base>/uuid/<uuid>), or None."""
    if not settings.get("base_url") or not uuid:
        return None
    return f"{settings['base_url']}/uuid/{uuid}"


def manifest_url(settings, uuid):
    """The work's manifest from the library's IIIF gateway, or None."""
    if not settings.get("manifest_url") or not uuid:
        return None
    return settings["manifest_url"].replace("{uuid}", uuid)


class KrameriusService:
    """The member libraries' Kramerius settings and link checks."""

    schema = KrameriusSettingsSchema()

    def __init__(self, tenants):
        self.tenants = tenants

    def dump(self, tenant, identity=None):
        return {"library": tenant.slug, "library_name": localized(tenant.names),
                **settings_of(tenant),
                "links": self.tenants.links(identity, tenant, LINKS)}

    def read(self, identity, slug):
        """The library's Kramerius; public."""
        return self.dump(self.tenants.get(slug), identity)

    @unit_of_work()
    def update(self, identity, slug, data, uow=None):
        """Set the fields given (null removes one); nothing changes on an error."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_kramerius", tenant)
        values = self.schema.load(data)
        row = db.session.get(KrameriusSettingsModel, tenant.id)
        if row is None:
            row = KrameriusSettingsModel(tenant_id=tenant.id)
            db.session.add(row)
        for key, value in values.items():
            setattr(row, key, value)
        db.session.flush()
        return self.dump(tenant, identity)

    def broken_links(self, identity, slug):
        """The library's works whose Kramerius link the last check found broken."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "manage_kramerius", tenant)
        rows = (KrameriusLinkModel.query.filter_by(tenant_id=tenant.id, ok=False)
                .order_by(KrameriusLinkModel.checked.desc(), KrameriusLinkModel.record_id))
        last = (db.session.query(db.func.max(KrameriusLinkModel.checked))
                .filter_by(tenant_id=tenant.id).scalar())
        checked = KrameriusLinkModel.query.filter_by(tenant_id=tenant.id).count()
        hits = [{"record": row.record_id, "title": row.title, "url": row.url, "status": row.status,
                 "reason": row.reason, "checked": row.checked.isoformat()} for row in rows]
        return {"library": slug, "checked": checked, "broken": len(hits),
                "last_check": last.isoformat() if last else None, "hits": hits}
