"""A library's open-access policy: read it (anyone: depositors read what it asks),
set it from a preset and/or field by field (its managers, consortium administrators)."""

from datetime import timedelta

from flask import current_app
from invenio_db import db
from invenio_records_resources.services.uow import unit_of_work
from marshmallow import ValidationError

from ..i18n import localized
from ..paging import SiteLink
from ..tenants.models import TenantModel
from . import checks, notices, reports
from .models import OaPolicyModel
from .policy import policy_of, policy_row
from .schema import PolicySchema, check_preset, preset_names

LINKS = {
    "self": SiteLink("{+api}/tenants/{slug}/oa-policy"),
}


class OaPolicyService:
    """Open-access policies of the member libraries."""

    schema = PolicySchema()

    def __init__(self, tenants):
        self.tenants = tenants

    @staticmethod
    def _row(tenant):
        return policy_row(tenant)

    @staticmethod
    def policy_of(tenant):
        """TENANT's policy, every field present (NO_POLICY when it has set none)."""
        return policy_of(tenant)

    def dump(self, tenant, identity=None):
        row = self._row(tenant)
        return {
            "library": tenant.slug,
            "library_name": localized(tenant.names),
            "set": row is not None,
            "based_on": row.based_on if row is not None else None,
            "updated": row.updated.isoformat() if row is not None else None,
            "policy": self.policy_of(tenant),
            "presets": {name: dict(values) for name, values in
                        current_app.config["CONSORTIUM_OA_PRESETS"].items()},
            "links": self.tenants.links(identity, tenant, LINKS),
        }

    def read(self, identity, slug):
        """The library's policy; public."""
        return self.dump(self.tenants.get(slug), identity)

    @unit_of_work()
    def update(self, identity, slug, data, uow=None):
        """Set the policy: `preset` (optional) gives the starting values, else the current
        policy does; the fields given replace theirs. Nothing changes on an error."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "update_oa_policy", tenant)
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        data = dict(data)
        row = self._row(tenant)
        based_on = row.based_on if row is not None else None
        if "preset" in data:
            based_on = data.pop("preset")
            check_preset(based_on)
            start = current_app.config["CONSORTIUM_OA_PRESETS"][based_on]
        else:
            start = self.policy_of(tenant)
        policy = self.schema.load({**start, **data})
        if row is None:
            row = OaPolicyModel(tenant_id=tenant.id)
            db.session.add(row)
        row.based_on = based_on
        row.policy = policy
        checks.enable(tenant)  # the deposit check of the policy (oa.checks)
        db.session.flush()
        return self.dump(tenant, identity)

    @staticmethod
    def presets():
        return preset_names()

    @staticmethod
    def _record_url(record_id):
        return f"{current_app.config['SITE_UI_URL']}/records/{record_id}"

    def report(self, identity, slug):
        """The library's open-access report against its policy (its curators and managers,
        consortium administrators)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "read_oa_reports", tenant)
        national = current_app.config["CONSORTIUM_OA_PRESETS"]["czech-national"]
        data = reports.report([tenant.community_id], policy_of(tenant), self._record_url,
                              national=national)
        return {"library": slug, "policy_set": policy_row(tenant) is not None, **data}

    def embargoes(self, identity, slug, days=None):
        """The library's works whose embargo ends in the next DAYS days (default
        CONSORTIUM_OA_EMBARGOES_AHEAD), soonest first, linked (its curators and managers,
        consortium administrators)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "read_oa_reports", tenant)
        days = current_app.config["CONSORTIUM_OA_EMBARGOES_AHEAD"] if days is None else days
        today = notices.today_utc()
        end = today + timedelta(days=days)
        works = notices.ending_embargoes(today, end, [tenant.community_id])
        return {"library": slug, "from": today.isoformat(), "to": end.isoformat(),
                "total": len(works),
                "works": [{"id": w["id"], "title": w["title"], "until": w["until"].isoformat(),
                           "days_left": (w["until"] - today).days,
                           "link": self._record_url(w["id"])} for w in works]}

    def consortium_report(self, identity):
        """Every library's works against the Czech national strategy, and each library's
        open share (consortium administrators)."""
        self.tenants.require(identity, "read_oa_reports")
        national = current_app.config["CONSORTIUM_OA_PRESETS"]["czech-national"]
        data = reports.report(None, national, self._record_url)
        return {"library": None, **data, "libraries": list(self.open_shares().values())}

    @staticmethod
    def open_shares(tenants=None):
        """Slug → the library's works, the open ones and their share in per cent (None
        without works), for TENANTS (default: every library), from one search."""
        tenants = list(TenantModel.query.order_by(TenantModel.slug)) if tenants is None \
            else tenants
        counts = reports.open_counts([t.community_id for t in tenants])
        out = {}
        for tenant in tenants:
            total, open_ = counts.get(str(tenant.community_id), (0, 0))
            out[tenant.slug] = {"library": tenant.slug, "total": total, "open": open_,
                                "open_percent": round(100 * open_ / total, 1) if total else None}
        return out
