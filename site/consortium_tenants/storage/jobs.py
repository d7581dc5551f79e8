"""invenio-jobs job types of storage: the daily check and the multipart expiry."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import check_storage, expire_multipart_uploads


class StorageCheckJob(JobType):
    """Repair usage counters, clean and compare each library's S3 prefix."""

    id = "consortium-storage-check"
    title = _("Storage check of the libraries")
    description = _("Repairs the usage counters, removes unused objects and compares each "
                    "library's S3 prefix with its files.")
    task = check_storage
    arguments_schema = None


class MultipartExpiryJob(JobType):
    """Abort multipart uploads older than CONSORTIUM_STORAGE_MULTIPART_MAX_AGE."""

    id = "consortium-multipart-expiry"
    title = _("Expiry of unfinished multipart uploads")
    description = _("Aborts uploads older than CONSORTIUM_STORAGE_MULTIPART_MAX_AGE and "
                    "releases what they reserved.")
    task = expire_multipart_uploads
    arguments_schema = None
