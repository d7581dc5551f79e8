"""Import runs started over REST (or the page) run in a worker; a run the worker lost
(restart, redelivery: late acknowledgement) resumes where it stopped."""

from celery import shared_task
from flask import current_app

from ..proxies import current_consortium


@shared_task(ignore_result=True, acks_late=True, reject_on_worker_lost=True)
def run_import(run_id):
    """Process import run RUN_ID (or what is left of it)."""
    current_consortium.imports_service.resume(run_id)


@shared_task(ignore_result=True)
def follow_import_sources():
    """Nightly (job `consortium-imports-incremental`): each library's imported sources
    harvested again from their last finished run (new, changed and withdrawn items); the
    run fails, naming them, when a source failed — after the others ran."""
    failed = current_consortium.imports_service.follow_sources(
        log=lambda text: current_app.logger.info("Import %s", text))
    if failed:
        raise RuntimeError("Import sources failed: " + "; ".join(failed))
