"""Pages: the Kramerius panel of a work's landing page (`kramerius_of`, a template
global), the viewer of the external manifest in its frame, and the library's Kramerius
page (settings + the broken links) for its managers."""

from flask import (
    Blueprint,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
)
from flask_login import login_required
from invenio_i18n import gettext
from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError, PIDUnregistered
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.services.errors import RecordDeletedException
from invenio_records_resources.services.errors import (
    PermissionDeniedError,
    RecordPermissionDeniedError,
)
from marshmallow import ValidationError

from ...i18n import language
from ...page_helpers import CsrfForm, flat_errors, or_abort
from ...proxies import current_kramerius_service, current_tenants_service
from ...tenants.library import library_of_community
from ...tenants.resource import translated
from ..previewer import _json
from .identifiers import kramerius_identifiers
from .service import manifest_url, settings_of, view_url

FIELDS = ("base_url", "manifest_url")


def kramerius_of(record_ui):
    """The Kramerius panel of a work's page: {urnnbn, uuid, view_url, manifest_url,
    viewer_url}, or None for a work without a URN:NBN or Kramerius uuid."""
    urnnbn, uuid = kramerius_identifiers((record_ui or {}).get("metadata"))
    if not urnnbn and not uuid:
        return None
    community = (((record_ui.get("parent") or {}).get("communities") or {}).get("default"))
    settings = settings_of(library_of_community(community) if community else None)
    manifest = manifest_url(settings, uuid)
    return {"urnnbn": urnnbn, "uuid": uuid, "view_url": view_url(settings, uuid),
            "manifest_url": manifest,
            "viewer_url": f"/records/{record_ui['id']}/kramerius-viewer" if manifest else None}


def viewer_policy(app):
    """The viewer frame's Content-Security-Policy: the app's, and the external manifest
    with its images from any http(s) server (a IIIF gateway's images may live on another
    host than its manifests). Only the frame's own scripts run, as everywhere."""
    policy = dict(app.config["APP_DEFAULT_SECURE_HEADERS"]["content_security_policy"])
    policy["connect-src"] = ["'self'", "https:", "http:"]
    policy["img-src"] = [*policy.get("img-src", ["'self'"]), "https:", "http:"]
    return policy


def kramerius_viewer(pid_value):
    """Mirador on the work's manifest from the library's IIIF gateway (the landing page's
    frame); 404 when the work has none, as the record's read refuses it otherwise."""
    try:
        record = current_rdm_records_service.read(g.identity, pid_value).to_dict()
    except (PIDDoesNotExistError, PIDUnregistered):
        abort(404)
    except (PIDDeletedError, RecordDeletedException):
        abort(410)
    except (PermissionDeniedError, RecordPermissionDeniedError):
        abort(403)
    panel = kramerius_of(record)
    if not panel or not panel["manifest_url"]:
        abort(404)
    title = (record.get("metadata") or {}).get("title") or pid_value
    return render_template(
        "consortium_tenants/iiif/viewer.html", title=title,
        viewer={"manifest": panel["manifest_url"], "key": None, "language": language(),
                "translations": {"cs": _json("mirador-cs.json")},
                "languages": _json("mirador-languages.json")})


@login_required
def library_kramerius(slug):
    """The library's Kramerius (its managers, consortium administrators): the settings
    form (the same service and checks as PUT /api/tenants/<slug>/kramerius; a refused
    field shows why, 400, nothing saved) and the works whose link is broken."""
    tenant = or_abort(current_tenants_service.get, slug)
    broken = or_abort(current_kramerius_service.broken_links, g.identity, slug)
    form, errors, status = CsrfForm(), {}, 200
    settings = current_kramerius_service.read(g.identity, slug)
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        data = {key: request.form.get(key, "") for key in FIELDS}
        try:
            current_kramerius_service.update(g.identity, slug, data)
            flash(gettext("The Kramerius settings were saved."), "success")
            return redirect(f"/libraries/{slug}/kramerius")
        except ValidationError as error:
            status = 400
            for field, message in flat_errors(translated(error.messages)):
                errors.setdefault(field if field in FIELDS else "", []).append(message)
            settings = {**settings, **data}
    return render_template("consortium_tenants/iiif/kramerius.html", tenant=tenant,
                           settings=settings, broken=broken, form=form,
                           errors=errors), status


def create_blueprint(app):
    """The viewer frame, the library's Kramerius page and `kramerius_of`."""
    blueprint = Blueprint("consortium_kramerius_ui", __name__)
    blueprint.add_url_rule("/records/<pid_value>/kramerius-viewer", "viewer",
                           kramerius_viewer)
    blueprint.add_url_rule("/libraries/<slug>/kramerius", "library", library_kramerius,
                           methods=["GET", "POST"])
    kramerius_viewer.talisman_view_options = {"content_security_policy": viewer_policy(app)}
    blueprint.add_app_template_global(kramerius_of, "kramerius_of")
    return blueprint
