"""Celery task: refresh the federations' metadata feeds (the daily job
`consortium-sso-federation-metadata`, CONSORTIUM_JOBS, at /administration/jobs)."""

from celery import shared_task
from flask import current_app


@shared_task(ignore_result=True)
def refresh_federation_feeds():
    """Fetch, verify and store every feed of CONSORTIUM_SSO_FEDERATION_FEEDS; a refused
    feed keeps the last good one. Returns {url: IdP count or the refusal}."""
    service = current_app.extensions["consortium-tenants"].sso_service
    return service.refresh_feeds()
