"""Celery tasks of billing: plain calls of the service, run by the scheduled jobs
(billing.jobs) or by hand; each logs its result (the job run's log)."""

from datetime import datetime

from celery import shared_task
from dateutil.relativedelta import relativedelta
from flask import current_app
from invenio_access.permissions import system_identity

from ..proxies import current_billing_service


def _moment(now):
    return datetime.fromisoformat(now) if isinstance(now, str) else now


@shared_task(ignore_result=True)
def take_daily_snapshots(now=None):
    """Hourly (job): snapshot every (library, day) missing up to yesterday of NOW (ISO
    datetime; default: the clock). Raises when a library failed, after the others'
    snapshots are stored, so the run shows as failed with the reason."""
    result = current_billing_service.catch_up_snapshots(system_identity, _moment(now))
    current_app.logger.info("Billing snapshots: %d taken up to %s", result["made"],
                            result["last_day"])
    if result["failed"]:
        raise RuntimeError("Billing snapshots failed for " + "; ".join(
            f"{slug}: {error}" for slug, error in sorted(result["failed"].items())))
    return result["made"]


@shared_task(ignore_result=True)
def close_billing_period(period=None, now=None):
    """Daily (job): issue the statements of PERIOD (default: the month before NOW's)
    once every library has its snapshots; a month already closed is left as it is.
    Raises (the run fails, with the reason) while days are missing."""
    moment = _moment(now) or datetime.utcnow()
    period = period or (moment.date().replace(day=1) - relativedelta(months=1)).strftime("%Y-%m")
    result = current_billing_service.close(system_identity, period, moment)
    current_app.logger.info("Billing month %s: %d statements issued, %d before",
                            result["period"], result["issued"], result["already"])
    return result["issued"]
