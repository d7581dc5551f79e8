"""Celery task: register the DOIs DataCite refused or missed (beat schedule)."""

from celery import shared_task

from .failures import retry_all


@shared_task(ignore_result=True)
def retry_failed_registrations():
    """Retry every failed DOI registration or update."""
    retry_all()
