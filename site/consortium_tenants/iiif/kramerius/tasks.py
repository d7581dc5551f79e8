"""Celery task of the Kramerius link check (a job)."""

from celery import shared_task
from flask import current_app

from .links import check_links


@shared_task(ignore_result=True)
def check_kramerius_links():
    """Daily (job): check every linked work's Kramerius link."""
    result = check_links()
    for slug, counts in result.items():
        current_app.logger.info("Kramerius links of %s: %d checked, %d broken", slug,
                                counts["checked"], counts["broken"])
    return result
