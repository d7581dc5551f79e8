"""invenio-jobs job type of the open-access feature: embargo-expiry notices."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import send_embargo_notices


class EmbargoNoticesJob(JobType):
    """Tell depositors and curators that embargoes end in 30 and 7 days and today."""

    id = "consortium-oa-embargo-notices"
    title = _("Embargo expiry notices")
    description = _("E-mails the depositor and the library's curators 30 and 7 days "
                    "before a work's embargo ends and on the day, each notice once.")
    task = send_embargo_notices
    arguments_schema = None
