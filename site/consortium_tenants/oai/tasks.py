"""Celery task: render a published record's OAI-PMH metadata ahead of the harvesters."""

from celery import shared_task

from .rendered import fill


@shared_task(ignore_result=True)
def render_oai_metadata(record_ids):
    """Render the records RECORD_IDS (UUIDs) in every cached metadata format."""
    fill(record_ids)
