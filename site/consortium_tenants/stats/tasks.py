"""Celery tasks: COUNTER metrics of recent months (a scheduled job) or of one month,
through the statistics service (system identity, one unit of work per month)."""

from celery import shared_task
from invenio_access.permissions import system_identity

from ..proxies import current_stats_service


@shared_task(ignore_result=True)
def compute_month_metrics(month):
    """Compute the metrics of MONTH (`YYYY-MM`)."""
    return current_stats_service.compute_month(system_identity, month)["rows"]


@shared_task(ignore_result=True)
def compute_recent_months():
    """Compute the previous and the current month (the job `consortium-stats-months`, after
    event processing). Each month is tried; a month that cannot be computed (its events
    index is missing) keeps its stored metrics, and the run then fails naming it
    (service.MonthsNotComputed)."""
    current_stats_service.compute_recent_months(system_identity)
