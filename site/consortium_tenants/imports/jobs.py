"""invenio-jobs job type of the import feature: following the libraries' old repositories."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import follow_import_sources


class ImportSourcesJob(JobType):
    """Harvest every library's import source again, incrementally."""

    id = "consortium-imports-incremental"
    title = _("Incremental imports from the libraries' old repositories")
    description = _("Harvests every source a library has imported from since its last "
                    "finished run: new and changed items, withdrawn ones become tombstones.")
    task = follow_import_sources
    arguments_schema = None
