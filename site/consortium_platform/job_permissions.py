"""Who reads the jobs' run logs (APP_LOGS_PERMISSION_POLICY, set in invenio.cfg)."""

from invenio_access import Permission
from invenio_administration.generators import Administration
from invenio_administration.permissions import administration_access_action
from invenio_jobs.services.permissions import JobLogsPermissionPolicy
from invenio_records_permissions.generators import SystemProcess
from invenio_search.engine import dsl


class AdministrationReadsLogs(Administration):
    """The administration panel's people read every job log (as they read every run)."""

    def query_filter(self, identity=None, **kwargs):
        """All logs for an identity with administration access, else nothing added."""
        if identity is not None and Permission(administration_access_action).allows(identity):
            return dsl.Q("match_all")
        return []


class JobLogsPolicy(JobLogsPermissionPolicy):
    """APP_LOGS_PERMISSION_POLICY: invenio-jobs' own policy searches logs with the `read`
    filter, which it disables, so only superusers saw a run's log in the panel."""

    can_read = [AdministrationReadsLogs(), SystemProcess()]
