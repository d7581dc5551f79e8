"""Service components refusing new deposits and uploads of suspended libraries.

Only the libraries the deposit goes to count (`tenants.library.libraries_of_deposit`):
a member of a suspended library still deposits into their other libraries.
"""

from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.files.components import FileServiceComponent
from flask_babel import get_locale
from invenio_i18n import gettext as _
from invenio_rest.errors import RESTException

from ..tenants.library import libraries_of_deposit


class TenantSuspendedError(RESTException):
    """403 with the library's name: no deposits while it is suspended."""

    code = 403

    def __init__(self, tenant):
        language = str(get_locale() or "en")[:2]
        name = tenant.names.get(language) or tenant.names.get("en") or tenant.slug
        super().__init__(description=_(
            "The member library %(library)s (%(slug)s) is suspended: new deposits and uploads "
            "are not accepted. Published records stay available.",
            library=name, slug=tenant.slug))


def refuse_if_suspended(tenants):
    """Raise TenantSuspendedError for the first suspended tenant."""
    for tenant in tenants:
        if tenant.status == "suspended":
            raise TenantSuspendedError(tenant)


class TenantStatusComponent(ServiceComponent):
    """No new drafts, versions or publications for suspended libraries."""

    def create(self, identity, data=None, record=None, **kwargs):
        refuse_if_suspended(libraries_of_deposit(identity, record, data))

    def new_version(self, identity, draft=None, record=None, **kwargs):
        refuse_if_suspended(libraries_of_deposit(identity, record))

    def publish(self, identity, draft=None, record=None, **kwargs):
        refuse_if_suspended(libraries_of_deposit(identity, draft))


class TenantStatusFilesComponent(FileServiceComponent):
    """No uploads into drafts of suspended libraries."""

    def init_files(self, identity, id_, record, data):
        refuse_if_suspended(libraries_of_deposit(identity, record))

    def set_file_content(self, identity, id_, file_key, stream, content_length, record):
        refuse_if_suspended(libraries_of_deposit(identity, record))

    def commit_file(self, identity, id_, file_key, record):
        """Parts sent straight to S3 become a file only by this commit."""
        refuse_if_suspended(libraries_of_deposit(identity, record))
