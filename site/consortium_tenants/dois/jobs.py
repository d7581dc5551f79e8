"""invenio-jobs job type of DOIs: replaying what DataCite refused or missed."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import retry_failed_registrations


class DoiRetryJob(JobType):
    """Replay failed DOI operations whose back-off is over (one run at a time)."""

    id = "consortium-doi-retry"
    title = _("DOI retries")
    description = _("Replays the DOI operations DataCite refused or missed, each DOI on "
                    "its own, backing off.")
    task = retry_failed_registrations
    arguments_schema = None
