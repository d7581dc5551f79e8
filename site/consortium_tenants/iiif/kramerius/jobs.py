"""invenio-jobs job type: the Kramerius link check."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import check_kramerius_links


class KrameriusLinksJob(JobType):
    """Check each work's Kramerius link; the broken ones go to the library's page."""

    id = "consortium-kramerius-links"
    title = _("Kramerius link check")
    description = _("Asks each library's Kramerius for every linked work and lists the "
                    "broken links to the library's managers.")
    task = check_kramerius_links
    arguments_schema = None
