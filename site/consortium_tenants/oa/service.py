"""A library's open-access policy: read it (anyone: depositors read what it asks),
set it from a preset and/or field by field (its managers, consortium administrators)."""

from flask import current_app
from invenio_db import db
from invenio_records_resources.services.uow import unit_of_work
from marshmallow import ValidationError

from ..i18n import localized
from ..paging import SiteLink
from . import checks
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
