"""Scheduled work as invenio-jobs jobs, with a run history in the administration panel.

Each feature registers its job types (`invenio_jobs.jobs` entry points: the COUNTER
months, the billing snapshots, the storage check, the multipart expiry, the DOI
retries; the platform check here). `invenio platform init` creates one job per
CONSORTIUM_JOBS entry that has none yet, with the entry's schedule; from then on
administrators change, pause and run them at /administration/jobs, and the jobs
scheduler (`celery beat --scheduler invenio_jobs.services.scheduler:RunScheduler`)
starts them. Every run keeps its status, its log (the tasks' log lines) and, when
it fails, its reason.
"""

from flask import current_app
from flask_babel import force_locale
from invenio_access.permissions import system_identity
from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType
from invenio_jobs.models import Job
from invenio_jobs.proxies import current_jobs, current_jobs_service

from .tasks import check_platform


class PlatformCheckJob(JobType):
    """`invenio platform check`; alerts the consortium administrators while it finds any."""

    id = "consortium-platform-check"
    title = _("Platform consistency check")
    description = _("Database, indices, S3 and counters agree? Differences are mailed to the "
                    "consortium administrators and shown as a banner.")
    task = check_platform
    arguments_schema = None


def in_both_languages(text):
    """TEXT (lazy) in Czech and English: a job's title is stored once for every reader."""
    versions = []
    for locale in ("cs", "en"):
        with force_locale(locale):
            versions.append(str(text))
    return versions[0] if versions[0] == versions[1] else " / ".join(versions)


def missing_jobs():
    """Job types of CONSORTIUM_JOBS without a job yet (a job an administrator deleted
    comes back with the next `platform init`; one paused stays paused)."""
    scheduled = {task for (task,) in Job.query.with_entities(Job.task)}
    return [job_id for job_id in current_app.config["CONSORTIUM_JOBS"] if job_id not in scheduled]


def create_jobs(job_ids):
    """A job per job type of JOB_IDS, scheduled as CONSORTIUM_JOBS says."""
    for job_id in job_ids:
        job_type = current_jobs.registry.get(job_id)
        current_jobs_service.create(system_identity, {
            "title": in_both_languages(job_type.title),
            "description": in_both_languages(job_type.description),
            "task": job_id,
            "default_queue": "celery",
            "active": True,
            "schedule": {"type": "crontab", **current_app.config["CONSORTIUM_JOBS"][job_id]},
        })
