"""A library's open-access policy as stored, with the fields it did not set filled in."""

from invenio_db import db

from .models import OaPolicyModel

NO_POLICY = {"licenses": [], "max_embargo_months": None, "embargo_by_resource_type": {},
             "versions": [], "funding_required": False, "data_within_months": None,
             "severity": "warning"}
"""The policy of a library that has set none: it asks for nothing."""


def policy_row(tenant):
    """TENANT's stored policy row, or None."""
    return db.session.get(OaPolicyModel, tenant.id)


def policy_of(tenant):
    """TENANT's policy, every field present (NO_POLICY when it has set none)."""
    row = policy_row(tenant)
    return {**NO_POLICY, **(row.policy if row is not None else {})}
