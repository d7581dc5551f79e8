"""Warnings to a library's managers when its storage fills up (80 %, 95 %).

Sent through InvenioRDM's notification machinery (e-mail backend, user
notification preferences honoured), once per threshold crossed upwards;
falling below a threshold re-arms it. The deposit form shows the same state
as a banner (see `banner_for`).
"""

from flask import current_app
from invenio_accounts.models import Role
from invenio_notifications.models import Notification, Recipient
from invenio_notifications.services.builders import NotificationBuilder
from invenio_notifications.services.generators import (
    ContextGenerator,
    EmailBackendGenerator,
    RecipientGenerator,
)
from invenio_notifications.services.uow import NotificationOp
from invenio_users_resources.notifications.filters import UserPreferencesRecipientFilter

from ..tenants.models import TenantModel
from ..tenants.permissions import role_name
from . import accounts


def reached_threshold(percent):
    """The highest warning threshold PERCENT (used) has reached, or 0."""
    thresholds = current_app.config["CONSORTIUM_STORAGE_WARNING_THRESHOLDS"]
    return max((t for t in thresholds if (percent or 0) >= t), default=0)


def announce_thresholds(account, uow):
    """Notify the managers when a higher threshold is reached; re-arm below."""
    if account is None:
        return
    reached = reached_threshold(accounts.usage(account.tenant)["percent"])
    if reached > account.warned_percent:
        uow.register(NotificationOp(StorageWarningBuilder.build(account.tenant, reached)))
    if reached != account.warned_percent:
        account.warned_percent = reached


class TenantUsageContext(ContextGenerator):
    """Fill in the library's names, usage and managers when the notification is sent."""

    def __call__(self, notification):
        tenant = TenantModel.query.filter_by(slug=notification.context["tenant"]).one()
        role = Role.query.filter_by(name=role_name(tenant.slug, "managers")).one_or_none()
        notification.context.update({
            "names": tenant.names,
            "usage": accounts.usage(tenant),
            "managers": [_recipient(u) for u in (role.users if role else []) if u.active],
            "link": f"{current_app.config['SITE_UI_URL']}/communities/{tenant.slug}",
        })
        return notification


def _recipient(user):
    """A manager as the e-mail backend and the preference filter read it."""
    preferences = user.preferences or {}
    return {
        "id": str(user.id),
        "email": user.email,
        "preferences": {
            "locale": preferences.get("locale"),
            "notifications": dict(preferences.get("notifications") or {}),
        },
    }


class TenantManagersRecipient(RecipientGenerator):
    """Every active manager of the library."""

    def __call__(self, notification, recipients):
        for manager in notification.context["managers"]:
            recipients[manager["id"]] = Recipient(data=manager)
        return recipients


class StorageWarningBuilder(NotificationBuilder):
    """`consortium-storage.warning`: the library's storage passed a threshold."""

    type = "consortium-storage.warning"
    context = [TenantUsageContext()]
    recipients = [TenantManagersRecipient()]
    recipient_filters = [UserPreferencesRecipientFilter()]
    recipient_backends = [EmailBackendGenerator()]

    @classmethod
    def build(cls, tenant, threshold):
        return Notification(
            type=cls.type, context={"tenant": tenant.slug, "threshold": threshold}
        )


def banner_for(tenant):
    """Banner text for the deposit form when TENANT's storage is nearly full."""
    if tenant is None:
        return None
    usage = accounts.usage(tenant)
    return usage if reached_threshold(usage["percent"]) else None
