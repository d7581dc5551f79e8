"""Embargoes ending soon: the list a library's staff reads, and the notices sent ahead.

RDM lifts an embargo at 00:02 UTC on its end day (`update_expired_embargos`). Before
that, the work's depositor (its owner) and the library's curators get an e-mail
CONSORTIUM_OA_EMBARGO_NOTICE_DAYS days ahead (30, 7 and 0: on the day), each once, in
their own language (their preference; RDM's notification machinery renders it). Every
notice sent is a row of `consortium_oa_embargo_notices` (work, end date, notice), written
in the transaction that queues its e-mail: a repeated run, or one after a worker died,
finds the row and sends nothing. A run that was late sends only the latest notice due
(a work 5 days before its end gets the 7-day notice, not the 30-day one too).
"""

from datetime import date, datetime, timedelta, timezone

from babel.dates import format_date
from flask import current_app
from invenio_accounts.models import Role, User
from invenio_db import db
from invenio_notifications.models import Notification, Recipient
from invenio_notifications.services.builders import NotificationBuilder
from invenio_notifications.services.generators import (
    EmailBackendGenerator,
    RecipientGenerator,
)
from invenio_notifications.services.uow import NotificationOp
from invenio_records_resources.services.uow import UnitOfWork
from invenio_search import current_search_client
from invenio_search.utils import build_alias_name
from invenio_users_resources.notifications.filters import UserPreferencesRecipientFilter
from opensearchpy.helpers import scan
from sqlalchemy.dialects.postgresql import insert

from ..tenants.models import TenantModel
from ..tenants.permissions import role_name
from .models import EmbargoNoticeModel


def today_utc():
    """Today's date in UTC (RDM lifts embargoes by the UTC date)."""
    return datetime.now(timezone.utc).date()


def ending_embargoes(start, end, community_ids=None):
    """Published works (latest versions) whose embargo ends between START and END (dates,
    both included), soonest first: still active, or ending on START (RDM lifted it at
    midnight). COMMUNITY_IDS limits them to those libraries (None: all)."""
    filters = [
        {"term": {"versions.is_latest": True}}, {"term": {"is_deleted": False}},
        {"range": {"access.embargo.until": {"gte": start.isoformat(),
                                            "lte": end.isoformat()}}},
        {"bool": {"should": [{"term": {"access.embargo.active": True}},
                             {"term": {"access.embargo.until": start.isoformat()}}],
                  "minimum_should_match": 1}},
    ]
    if community_ids is not None:
        filters.append({"terms": {"parent.communities.ids": [str(c) for c in community_ids]}})
    hits = scan(current_search_client, index=build_alias_name("rdmrecords-records"),
                query={"query": {"bool": {"filter": filters}}},
                _source=["id", "metadata.title", "access.embargo.until",
                         "parent.access.owned_by", "parent.communities"])
    works = []
    for hit in hits:
        source = hit["_source"]
        communities = source.get("parent", {}).get("communities") or {}
        owner = (source.get("parent", {}).get("access") or {}).get("owned_by") or {}
        works.append({
            "id": source["id"],
            "title": (source.get("metadata") or {}).get("title") or source["id"],
            "until": date.fromisoformat(source["access"]["embargo"]["until"][:10]),
            "owner": owner.get("user"),
            "communities": [c for c in [communities.get("default")] if c]
            + [c for c in communities.get("ids") or [] if c != communities.get("default")],
        })
    return sorted(works, key=lambda w: (w["until"], w["title"], w["id"]))


def _libraries(works):
    """Community id → library, for the communities of WORKS."""
    ids = {c for work in works for c in work["communities"]}
    if not ids:
        return {}
    return {str(t.community_id): t
            for t in TenantModel.query.filter(TenantModel.community_id.in_(ids))}


def library_of(work, libraries):
    """The library WORK belongs to (its default community's first), or None."""
    return next((libraries[c] for c in work["communities"] if c in libraries), None)


def _recipient(user):
    """A person as RDM's e-mail backend and preference filter read them."""
    preferences = user.preferences or {}
    return {"id": str(user.id), "email": user.email,
            "preferences": {"locale": preferences.get("locale"),
                            "notifications": dict(preferences.get("notifications") or {})}}


def recipients_of(work, tenant):
    """The work's depositor (owner) and the library's active curators."""
    people = {}
    if work["owner"] is not None:
        owner = db.session.get(User, int(work["owner"]))
        if owner is not None and owner.active:
            people[owner.id] = owner
    role = Role.query.filter_by(name=role_name(tenant.slug, "curators")).one_or_none()
    for user in (role.users if role else []):
        if user.active:
            people[user.id] = user
    return [_recipient(people[key]) for key in sorted(people)]


def due_notice(days_left):
    """The notice due DAYS_LEFT days before an embargo ends (the latest one whose time
    has come), or None."""
    due = [d for d in current_app.config["CONSORTIUM_OA_EMBARGO_NOTICE_DAYS"]
           if d >= days_left >= 0]
    return min(due) if due else None


def send_due_notices(today=None):
    """Send every notice due on TODAY (default: today, UTC) not sent before.
    Returns {"sent": notices sent now, "already": due but sent before}."""
    today = today or today_utc()
    ahead = max(current_app.config["CONSORTIUM_OA_EMBARGO_NOTICE_DAYS"])
    works = ending_embargoes(today, today + timedelta(days=ahead))
    libraries = _libraries(works)
    due = [(work, (work["until"] - today).days, library_of(work, libraries))
           for work in works]
    due = [(work, days_left, due_notice(days_left), tenant)
           for work, days_left, tenant in due
           if tenant is not None and due_notice(days_left) is not None]
    current_app.logger.info("Embargo notices due on %s: %d", today.isoformat(), len(due))
    sent = already = 0
    for work, days_left, notice, tenant in due:
        people = recipients_of(work, tenant)
        with UnitOfWork(db.session) as uow:
            row = db.session.execute(insert(EmbargoNoticeModel).values(
                record_id=work["id"], until=work["until"], days_before=notice,
                tenant_id=tenant.id, recipients=[p["email"] for p in people],
                sent=datetime.now(timezone.utc).replace(tzinfo=None),
            ).on_conflict_do_nothing().returning(EmbargoNoticeModel.record_id)).first()
            if row is None:  # sent before (or by a run at the same moment)
                already += 1
                continue
            uow.register(NotificationOp(EmbargoNoticeBuilder.build(
                work, tenant, days_left, people)))
            uow.commit()
        sent += 1
    return {"sent": sent, "already": already}


def _dates(day):
    """DAY as a long date in each language of the site (picked by the recipient's)."""
    languages = {current_app.config.get("BABEL_DEFAULT_LOCALE", "en")}
    languages |= {code for code, _ in current_app.config.get("I18N_LANGUAGES", [])}
    return {lang: format_date(day, format="long", locale=lang) for lang in sorted(languages)}


class NoticeRecipients(RecipientGenerator):
    """The people the notice was written for (depositor, curators)."""

    def __call__(self, notification, recipients):
        for person in notification.context["recipients"]:
            recipients[person["id"]] = Recipient(data=person)
        return recipients


class EmbargoNoticeBuilder(NotificationBuilder):
    """`consortium-oa.embargo-ending`: a work's embargo ends in a few days, or today."""

    type = "consortium-oa.embargo-ending"
    context = []
    recipients = [NoticeRecipients()]
    recipient_filters = [UserPreferencesRecipientFilter()]
    recipient_backends = [EmailBackendGenerator()]

    @classmethod
    def build(cls, work, tenant, days_left, people):
        # `tenant`: links and the e-mail are made on the library's own site (origin.py)
        return Notification(type=cls.type, context={
            "record_id": work["id"], "title": work["title"], "days_left": days_left,
            "until": work["until"].isoformat(), "until_text": _dates(work["until"]),
            "tenant": tenant.slug, "names": dict(tenant.names), "recipients": people,
        })
