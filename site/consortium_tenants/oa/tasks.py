"""Celery task of the open-access feature: the embargo-expiry notices (a job)."""

from datetime import date

from celery import shared_task
from flask import current_app

from .notices import send_due_notices


@shared_task(ignore_result=True)
def send_embargo_notices(today=None):
    """Daily (job): send the embargo-expiry notices due on TODAY (ISO date; default:
    today, UTC) that were not sent before. Idempotent: sent notices are kept."""
    result = send_due_notices(date.fromisoformat(today) if today else None)
    current_app.logger.info("Embargo notices: %d sent, %d sent before", result["sent"],
                            result["already"])
    return result["sent"]
