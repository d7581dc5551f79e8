"""Celery task: replay the DOI operations DataCite refused or missed (beat schedule)."""

from celery import shared_task

from .retry import RetryRunning, retry_all


@shared_task(ignore_result=True)
def retry_failed_registrations():
    """Retry every failed DOI operation whose back-off is over; a no-op while another
    run is under way."""
    try:
        retry_all()
    except RetryRunning:
        pass
