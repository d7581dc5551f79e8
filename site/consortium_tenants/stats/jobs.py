"""invenio-jobs job type of the statistics: the COUNTER metrics of recent months."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import compute_recent_months


class CounterMonthsJob(JobType):
    """Compute the previous and the current month (processed once a month is final)."""

    id = "consortium-stats-months"
    title = _("COUNTER metrics of the previous and the current month")
    description = _("Monthly item metrics from the usage events; a month is reported by "
                    "SUSHI once it has ended and its events are drained.")
    task = compute_recent_months
    arguments_schema = None
