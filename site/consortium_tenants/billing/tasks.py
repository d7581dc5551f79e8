"""Celery tasks of billing."""

from celery import shared_task
from invenio_access.permissions import system_identity

from ..proxies import current_billing_service


@shared_task(ignore_result=True)
def take_daily_snapshots():
    """Daily (beat): snapshot every library's usage of today, once."""
    return current_billing_service.take_snapshots(system_identity)
