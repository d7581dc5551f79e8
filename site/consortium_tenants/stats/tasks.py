"""Celery tasks: COUNTER metrics of recent months (a scheduled job) or of one month."""

from datetime import datetime, timezone

from celery import shared_task
from dateutil.relativedelta import relativedelta
from flask import current_app

from .metrics import MissingEventIndex, compute_month, month_is_final, parse_month
from .models import ItemMonthUsage


class MonthsNotComputed(Exception):
    """Months whose metrics could not be computed (their stored metrics are kept)."""


@shared_task(ignore_result=True)
def compute_month_metrics(month):
    """Compute the metrics of MONTH (`YYYY-MM`)."""
    return compute_month(parse_month(month))


@shared_task(ignore_result=True)
def compute_recent_months():
    """Compute the previous and the current month (the job `consortium-stats-months`, after
    event processing). Each month is tried; a month that cannot be computed (its events
    index is missing) keeps its stored metrics, and the run then fails naming it."""
    today = datetime.now(timezone.utc).date()
    this_month = today.replace(day=1)
    previous = this_month - relativedelta(months=1)
    failed = []
    for month in (previous, this_month):
        try:
            rows = compute_month(month)
        except MissingEventIndex as error:  # the stored month stays; the other is computed
            if month == this_month and not ItemMonthUsage.query.filter_by(month=month).count():
                # a month just begun, nothing viewed yet: no index is no usage, not a loss
                current_app.logger.info("COUNTER metrics of %s: no usage events yet",
                                        month.strftime("%Y-%m"))
                continue
            current_app.logger.error("COUNTER metrics not computed: %s", error)
            failed.append(str(error))
            continue
        current_app.logger.info("COUNTER metrics of %s: %d item rows (%s)",
                                month.strftime("%Y-%m"), rows,
                                "processed" if month_is_final(month) else "preliminary")
    if failed:
        raise MonthsNotComputed("; ".join(failed))
