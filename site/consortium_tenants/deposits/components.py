"""Service components refusing new deposits and uploads of suspended libraries.

The library of a deposit is the community its review request targets (or that
already includes it), else the library the depositor belongs to.
"""

from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.files.components import FileServiceComponent
from invenio_rest.errors import RESTException

from ..tenants.models import TenantModel


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


def tenants_of_identity(identity):
    """Tenants in whose roles (`<slug>-<group>`) the identity is."""
    slugs = {
        need.value.rsplit("-", 1)[0]
        for need in identity.provides
        if need.method == "role" and isinstance(need.value, str) and "-" in need.value
    }
    if not slugs:
        return []
    return TenantModel.query.filter(TenantModel.slug.in_(slugs)).all()


def tenants_of_record(record):
    """Tenants whose community the record targets or belongs to."""
    parent = getattr(record, "parent", None)
    ids = set()
    if parent is not None:
        ids |= {str(c) for c in (parent.communities.ids or [])}
        review = parent.review
        receiver = review.receiver.reference_dict if review is not None else {}
        if "community" in receiver:
            ids.add(str(receiver["community"]))
    if not ids:
        return []
    return TenantModel.query.filter(TenantModel.community_id.in_(ids)).all()


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
