"""Deposit rules as an invenio-checks check, configured once per library.

invenio-checks runs a library's check when a draft is submitted to it and on
every draft update, shows the results in the deposit form and refuses review
submission and publication while an error remains. The check reads the rules
from the library itself, so its `CheckConfig` row only switches it on.
"""

from invenio_checks.api import ChecksAPI
from invenio_checks.base import Check
from invenio_checks.contrib.metadata.check import CheckResult
from invenio_checks.models import CheckConfig, CheckRun, Severity
from invenio_checks.proxies import current_checks_registry
from invenio_db import db
from invenio_db.uow import ModelDeleteOp
from invenio_i18n import lazy_gettext as _

from ..i18n import localized
from ..tenants.models import TenantModel
from .rules import problems, rules_of


class DepositRulesCheck(Check):
    """The deposit rules of the member library owning the configuration's community."""

    id = "consortium-deposit-rules"
    title = _("Deposit rules of the library")
    description = _("Required metadata, resource types, licences, access, embargo, agreement.")
    sort_order = 5
    judged_afresh = True
    """Run again when a draft is read, submitted or published (see `library_check`)."""

    def validate_config(self, config):
        if config:
            raise ValueError("The rules are edited at /api/tenants/<slug>/workflow.")
        return True

    def run(self, record, config):
        result = CheckResult(self.id)
        tenant = TenantModel.of_community(config.community_id)
        if tenant is not None:
            result.add_errors(problems(record, rules_of(tenant), localized(tenant.names)))
            result.success = not result.errors
        return result


def enable(tenant):
    """Switch the rules check on for the library's community (idempotent)."""
    config = _config(tenant)
    if config is None:
        db.session.add(CheckConfig(community_id=tenant.community_id,
                                   check_id=DepositRulesCheck.id, params={},
                                   severity=Severity.FAIL, enabled=True))


def disable(tenant):
    """Remove the library's check configuration and its runs."""
    config = _config(tenant)
    if config is not None:
        CheckRun.query.filter_by(config_id=config.id).delete()
        db.session.delete(config)


def _config(tenant):
    return CheckConfig.query.filter_by(community_id=tenant.community_id,
                                       check_id=DepositRulesCheck.id).one_or_none()


def libraries_without_check():
    """Libraries whose rules check is not configured (created before workflows)."""
    configured = db.session.query(CheckConfig.community_id).filter_by(
        check_id=DepositRulesCheck.id)
    return TenantModel.query.filter(TenantModel.community_id.notin_(configured)).all()


def library_check(check_id):
    """The check class of CHECK_ID when it is one of a library's own checks, judged afresh
    at every read, submission and publication (the rules, other features' checks such as
    the open-access policy: `judged_afresh = True`), else None."""
    try:
        check_cls = current_checks_registry.get(check_id)
    except ValueError:
        return None
    return check_cls if getattr(check_cls, "judged_afresh", False) else None


def is_stale(run, community_ids):
    """Whether RUN is of a library's check of a library outside COMMUNITY_IDS (the draft's
    destinations)."""
    return library_check(run.config.check_id) is not None and \
        str(run.config.community_id) not in community_ids


def drop_stale_runs(draft, community_ids, uow):
    """Drop DRAFT's rules runs of libraries it no longer goes to (its depositor chose another)."""
    community_ids = {str(c) for c in community_ids}
    for run in ChecksAPI.get_runs(draft):
        if is_stale(run, community_ids):
            uow.register(ModelDeleteOp(run))


def rerun(draft, community_ids, uow):
    """Run the checks of the libraries among COMMUNITY_IDS on DRAFT now; the runs.

    Rules may have changed since the draft was last saved; the stored run is
    what invenio-checks enforces, so it is brought up to date first. Runs of
    libraries the draft no longer goes to are dropped, so their rules do not
    block it.
    """
    community_ids = {str(c) for c in community_ids}
    drop_stale_runs(draft, community_ids, uow)
    if not community_ids:
        return []
    configs = CheckConfig.query.filter(CheckConfig.enabled.is_(True),
                                       CheckConfig.community_id.in_(list(community_ids)))
    runs = [ChecksAPI.run_check(config, draft, uow) for config in configs
            if library_check(config.check_id) is not None]
    return [run for run in runs if run is not None]


def current_errors(draft, runs):
    """The errors of DRAFT's check RUNS; the library checks' as they judge it now.

    A stored run speaks the language of the request that ran it; the library's
    checks, run again, speak the reader's.
    """
    errors = []
    for run in runs:
        check_cls = library_check(run.config.check_id)
        if check_cls is not None:
            found = check_cls().run(draft, run.config).errors
        else:
            found = (run.result or {}).get("errors") or []
        errors.extend(found)
    return errors


def form_errors(errors):
    """Check errors as the deposit form shows them: `{"field", "messages"}`.

    RDM's deposit form turns an error carrying a `severity` into an object
    `{message, severity, description}`, which several of its widgets render
    as text (React error #31: a blank form). Plain field messages are shown
    by every widget, and the form warns about them when a draft is saved.
    Errors of a lower severity (invenio-checks' "info") keep their shape.
    """
    return [{"field": error["field"], "messages": error["messages"]}
            if error.get("severity", "error") == "error" else error
            for error in errors]
