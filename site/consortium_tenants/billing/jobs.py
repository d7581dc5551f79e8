"""invenio-jobs job types of billing: the daily usage snapshots, closing a month."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import close_billing_period, take_daily_snapshots


class BillingSnapshotsJob(JobType):
    """Snapshot every (library, day) that is over and missing (idempotent)."""

    id = "consortium-billing-snapshots"
    title = _("Daily usage snapshots of the libraries")
    description = _("Bytes, files, works and deposits of every library, stored once a day "
                    "for the statements.")
    task = take_daily_snapshots
    arguments_schema = None


class BillingCloseJob(JobType):
    """Issue last month's statements once every library has all its snapshots."""

    id = "consortium-billing-close"
    title = _("Closing of the billing month")
    description = _("Issues every library's statement of the previous month once each "
                    "library has a snapshot of each day; fails naming the missing days.")
    task = close_billing_period
    arguments_schema = None
