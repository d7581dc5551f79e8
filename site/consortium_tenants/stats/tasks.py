"""Celery tasks: COUNTER metrics of recent months (beat) or of one month."""

from datetime import date, datetime, timezone

from celery import shared_task
from flask import current_app

from .metrics import MissingEventIndex, compute_month, parse_month


@shared_task(ignore_result=True)
def compute_month_metrics(month):
    """Compute the metrics of MONTH (`YYYY-MM`)."""
    return compute_month(parse_month(month))


@shared_task(ignore_result=True)
def compute_recent_months():
    """Compute the previous and the current month (beat; runs after event processing)."""
    today = datetime.now(timezone.utc).date()
    this_month = date(today.year, today.month, 1)
    previous = date(this_month.year - (this_month.month == 1), (this_month.month - 2) % 12 + 1, 1)
    for month in (previous, this_month):
        try:
            compute_month(month)
        except MissingEventIndex as error:  # the stored month stays; the other is computed
            current_app.logger.error("COUNTER metrics not computed: %s", error)
