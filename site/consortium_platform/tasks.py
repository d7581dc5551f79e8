"""Consistency as Celery tasks: the daily check and the index repair.

- check_platform (daily, beat): `invenio platform check`; when differences remain,
  the consortium administrators get an e-mail and the administration pages a
  banner; when the platform is clean again the banner goes.
- repair_indices: reindex what the indices miss, e.g. after OpenSearch was down.
  Idempotent (it compares database and indices each time), so a run cut short by
  a killed worker is simply delivered again (late acknowledgement, invenio.cfg).
"""

from datetime import datetime, timezone

from celery import shared_task
from flask import current_app
from flask_babel import force_locale
from flask_mail import Message
from invenio_access.permissions import system_identity
from invenio_accounts.models import Role
from invenio_db import db
from invenio_i18n import gettext as _
from opensearchpy.exceptions import ConnectionError as SearchConnectionError

from .consistency import check_index, count, indexed_kinds, run_checks

BANNER_PATH = "/administration"
COMMAND = "invenio platform check"  # named in the banner: how the task finds its own


def administrators():
    """E-mail addresses of the active consortium administrators."""
    role = Role.query.filter_by(name=current_app.config["CONSORTIUM_ADMIN_ROLE"]).one_or_none()
    return sorted(u.email for u in (role.users if role else []) if u.active)


def _in_both_languages(text, **values):
    """TEXT translated to Czech and English, joined: the readers' language is unknown."""
    versions = []
    for locale in ("cs", "en"):
        with force_locale(locale):
            versions.append(_(text, **values))
    return " / ".join(versions)


def _banners():
    """The banners this task put up (they name the command)."""
    from invenio_banners.records.models import BannerModel

    return BannerModel.query.filter(BannerModel.url_path == BANNER_PATH,
                                    BannerModel.message.contains(COMMAND)).all()


def show_banner(differences):
    """Put up (or update) the administrators' banner; None to take it down."""
    try:
        from invenio_banners.proxies import current_banners_service as banners
    except ImportError:  # invenio-banners not installed
        return
    ours = _banners()
    if differences is None:
        for banner in ours:
            banners.delete(system_identity, banner.id)
        return
    message = _in_both_languages(
        "The daily consistency check found %(count)s difference(s). "
        "Run `%(command)s` for the report.", count=differences, command=COMMAND)
    data = {"message": message, "url_path": BANNER_PATH, "category": "warning",
            "active": True, "start_datetime": datetime.now(timezone.utc).isoformat()}
    if ours:
        banners.update(system_identity, ours[0].id, data)
    else:
        banners.create(system_identity, data)


@shared_task(ignore_result=True)
def check_platform():
    """Daily: run the consistency check; alert the administrators while differences remain."""
    report = run_checks()
    found = count(report["differences"])
    db.session.commit()
    if not found:
        show_banner(None)
        return 0
    current_app.logger.warning("Platform check: %d difference(s): %s", found,
                               report["differences"])
    show_banner(found)
    recipients = administrators()
    if recipients:
        lines = [f"{area} / {name}: {item['problem']} "
                 f"{item.get('id') or item.get('key') or item.get('tenant') or item.get('set')}"
                 for area, names in report["differences"].items()
                 for name, items in names.items() for item in items]
        current_app.extensions["mail"].send(Message(
            subject=_in_both_languages("Platform check: %(count)s difference(s)", count=found),
            recipients=recipients,
            body="\n".join([_in_both_languages(
                "Run `%(command)s` for the report; `--repair` mends what the database can.",
                command=COMMAND), "", *lines]),
        ))
    return found


@shared_task(ignore_result=True, acks_late=True, autoretry_for=(SearchConnectionError,),
             retry_backoff=30, retry_backoff_max=600, max_retries=48)
def repair_indices():
    """Reindex the records, drafts and communities the indices miss or hold stale.

    While OpenSearch is unreachable the task retries (30 s, doubling up to 10 min,
    about 8 hours in all); the daily check catches anything left after that.
    Returns how many documents of each kind were repaired.
    """
    pause = current_app.config["CONSORTIUM_INDEX_REPAIR_PAUSE"]
    repaired = {kind: len(check_index(kind, repair=True, pause=pause))
                for kind in indexed_kinds()}
    db.session.commit()
    current_app.logger.info("Index repair: %s", repaired)
    return repaired
