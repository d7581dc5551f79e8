"""invenio-jobs job type of billing: the daily usage snapshots."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import take_daily_snapshots


class BillingSnapshotsJob(JobType):
    """Snapshot every library's usage (idempotent: a day is stored once)."""

    id = "consortium-billing-snapshots"
    title = _("Daily usage snapshots of the libraries")
    description = _("Bytes, files, works and deposits of every library, stored once a day "
                    "for the statements.")
    task = take_daily_snapshots
    arguments_schema = None
