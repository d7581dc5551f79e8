"""A library's workflow: read and edit it, and the curators' submission queue."""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_accounts.models import User
from invenio_communities.proxies import current_communities
from invenio_requests.proxies import current_requests_service
from invenio_records_resources.services.base.links import LinksTemplate
from invenio_records_resources.services.uow import unit_of_work
from marshmallow import ValidationError

from ..paging import Page, SiteLink, check_page, pagination_links
from . import checks
from .requests import CHANGES_REQUESTED
from .rules import REQUIRED_FIELDS, community_access, preset_of, rules_of
from .schema import WorkflowSchema

QUEUE_STATUSES = ("submitted", CHANGES_REQUESTED, "accepted", "declined", "cancelled", "expired")
"""Statuses the queue filters by; `submitted` (waiting for a curator) first."""


LINKS = {
    "self": SiteLink("{+api}/tenants/{slug}/workflow"),
    "submissions": SiteLink("{+api}/tenants/{slug}/submissions"),
    "settings_html": SiteLink("{+ui}/libraries/{slug}/workflow"),
    "submissions_html": SiteLink("{+ui}/libraries/{slug}/submissions"),
}
QUEUE_LINKS = pagination_links("{+api}/tenants/{slug}/submissions{?args*}")


class WorkflowService:
    """Presets, rules and the submission queue of member libraries."""

    schema = WorkflowSchema()

    def __init__(self, tenants):
        self.tenants = tenants

    def dump(self, tenant):
        return {
            "preset": preset_of(tenant),
            "rules": rules_of(tenant),
            "presets": list(current_app.config["CONSORTIUM_WORKFLOW_PRESETS"]),
            "required_field_choices": list(REQUIRED_FIELDS),
            "links": self.tenants.links(None, tenant, LINKS),
        }

    def read(self, identity, slug):
        """The library's workflow; public, since depositors read the rules."""
        return self.dump(self.tenants.get(slug))

    @unit_of_work()
    def update(self, identity, slug, data, uow=None):
        """Change preset and rules (the library's managers, consortium staff)."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "update_workflow", tenant)
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        # omitted keys keep their value; `rules`, when given, is the whole rule set
        loaded = self.schema.load({"preset": preset_of(tenant), "rules": rules_of(tenant), **data})
        if loaded["preset"] != preset_of(tenant):
            self.apply_preset(tenant, loaded["preset"], uow)
        tenant.workflow = loaded
        return self.dump(tenant)

    @unit_of_work()
    def adopt(self, tenant, uow=None):
        """Give a library created before workflows its preset, access and rules check."""
        preset = preset_of(tenant)
        self.apply_preset(tenant, preset, uow)
        tenant.workflow = {"preset": preset, "rules": rules_of(tenant)}
        checks.enable(tenant)

    @staticmethod
    def apply_preset(tenant, preset, uow):
        """Set the community access behind PRESET on the library's community."""
        service = current_communities.service
        community = service.read(system_identity, tenant.community_id)
        data = {**community.data}
        data["access"] = {**data["access"], **community_access(preset)}
        service.update(system_identity, tenant.community_id, data, uow=uow)

    def queue(self, identity, slug, status="submitted", page=1, size=25):
        """Submissions to the library, newest first, with a count per status."""
        tenant = self.tenants.get(slug)
        self.tenants.require(identity, "read_submissions", tenant)
        errors = {} if status in QUEUE_STATUSES else {
            "status": [f"Must be one of: {', '.join(QUEUE_STATUSES)}."]}
        check_page(page, size, current_app.config["CONSORTIUM_WORKFLOW_QUEUE_SIZE_MAX"], errors)
        query = (f'receiver.community:"{tenant.community_id}" '
                 'AND type:"community-submission"')
        result = current_requests_service.search(
            system_identity,
            params={"q": query, "facets": {"status": [status]}, "sort": "newest",
                    "page": page, "size": size},
        )
        buckets = result.aggregations.get("status", {}).get("buckets", [])
        counts = {s: 0 for s in QUEUE_STATUSES}
        counts.update({b["key"]: b["doc_count"] for b in buckets if b["key"] in counts})
        hits = list(result.hits)
        ids = {int(h["created_by"]["user"]) for h in hits if "user" in h.get("created_by", {})}
        depositors = {str(u.id): u for u in User.query.filter(User.id.in_(ids))} if ids else {}
        hits = [self._queue_item(tenant, hit, depositors) for hit in hits]
        links = LinksTemplate(QUEUE_LINKS, {"slug": slug, "args": {
            "status": status, "size": size}}).expand(identity, Page(page, size, result.total))
        return {"hits": {"hits": hits, "total": result.total}, "counts": counts,
                "status": status, "links": links}

    @staticmethod
    def _queue_item(tenant, hit, depositors):
        """A submission as the queue shows it; curators see who deposited it."""
        ui = current_app.config["SITE_UI_URL"]
        user_id = (hit.get("created_by") or {}).get("user")
        user = depositors.get(user_id)
        profile = (user.user_profile or {}) if user is not None else {}
        return {
            "id": hit["id"],
            "title": hit.get("title"),
            "status": hit["status"],
            "created": hit["created"],
            "updated": hit["updated"],
            "record": (hit.get("topic") or {}).get("record"),
            "depositor": {
                "id": user_id,
                "email": user.email if user is not None else None,
                "name": profile.get("full_name") or (user.username if user is not None else None),
            },
            "links": {
                **hit["links"],
                "html": f"{ui}/communities/{tenant.slug}/requests/{hit['id']}",
            },
        }
