"""Import runs started over REST (or the page) run in a worker; a run the worker lost
(restart, redelivery: late acknowledgement) resumes where it stopped."""

from celery import shared_task

from ..proxies import current_consortium


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_import(run_id):
    """Process import run RUN_ID (or what is left of it)."""
    current_consortium.imports_service.resume(run_id)
