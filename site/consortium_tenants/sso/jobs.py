"""The federation metadata refresh as an invenio-jobs job type: administrators see its
runs (status, log) and may run it again at /administration/jobs."""

from invenio_i18n import lazy_gettext as _
from invenio_jobs.jobs import JobType

from .tasks import refresh_federation_feeds


class FederationMetadataJob(JobType):
    """Refresh the SAML federations' IdP metadata (signature verified)."""

    id = "consortium-sso-federation-metadata"
    title = _("Refresh federation metadata (SSO)")
    description = _("Fetches the identity federations' metadata feeds, verifies their "
                    "signature and updates the identity providers; a refused feed keeps "
                    "the last good one.")
    task = refresh_federation_feeds
    arguments_schema = None
