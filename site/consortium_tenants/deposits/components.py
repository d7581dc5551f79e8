"""Service components refusing new deposits and uploads of suspended libraries.

The library of a deposit is the community its review request targets (or that
already includes it), else the library the depositor belongs to.
"""

from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.files.components import FileServiceComponent
from invenio_rest.errors import RESTException

from .library import tenants_of_identity, tenants_of_record


class TenantSuspendedError(RESTException):
    """403 with the library's name: no deposits while it is suspended."""

    code = 403

    def __init__(self, tenant):
        super().__init__(
            description=(
                f"The member library '{tenant.names['en']}' ({tenant.slug}) is suspended: "
                "new deposits and uploads are not accepted. Published records stay available."
            )
        )


def refuse_if_suspended(tenants):
    """Raise TenantSuspendedError for the first suspended tenant."""
    for tenant in tenants:
        if tenant.status == "suspended":
            raise TenantSuspendedError(tenant)


class TenantStatusComponent(ServiceComponent):
    """No new drafts, versions or publications for suspended libraries."""

    def create(self, identity, data=None, record=None, **kwargs):
        refuse_if_suspended(tenants_of_identity(identity))

    def new_version(self, identity, draft=None, record=None, **kwargs):
        refuse_if_suspended(tenants_of_record(record) or tenants_of_identity(identity))

    def publish(self, identity, draft=None, record=None, **kwargs):
        refuse_if_suspended(tenants_of_record(draft) or tenants_of_identity(identity))


class TenantStatusFilesComponent(FileServiceComponent):
    """No uploads into drafts of suspended libraries."""

    def init_files(self, identity, id_, record, data):
        refuse_if_suspended(tenants_of_record(record) or tenants_of_identity(identity))

    def set_file_content(self, identity, id_, file_key, stream, content_length, record):
        refuse_if_suspended(tenants_of_record(record) or tenants_of_identity(identity))
