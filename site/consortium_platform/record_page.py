"""The record page's Export and Citation boxes, served without JavaScript.

InvenioRDM mounts Semantic UI dropdowns (a role=listbox holding a role=alert)
on the record page for both boxes. The instance's side-bar templates replace
them with native forms: the export form sends the chosen format here and is
redirected to InvenioRDM's export of that format; the citation form reloads the
record page with `?style=`, and the page renders the citation on the server
with the same serializer as the REST API's `text/x-bibliography`.
"""

from flask import Blueprint, current_app, jsonify, redirect, request, url_for
from invenio_i18n import get_locale
from invenio_i18n import lazy_gettext as _
from invenio_rdm_records.resources.serializers import StringCitationSerializer


def create_blueprint(app):
    """The export form's target and the citation helpers of the side-bar templates."""
    blueprint = Blueprint("consortium_record_page", __name__)
    blueprint.add_url_rule("/records/<pid_value>/export", "export", export_chosen_format)
    blueprint.add_app_template_global(chosen_citation_style)
    blueprint.add_app_template_global(record_citation)
    return blueprint


def export_chosen_format(pid_value):
    """Redirect to InvenioRDM's export of the record in `?format=` (400 if none is configured)."""
    export_format = request.args.get("format", "")
    if export_format not in current_app.config.get("APP_RDM_RECORD_EXPORTERS", {}):
        response = jsonify(status=400, message=str(_("Unknown export format.")), errors=[
            {"field": "format", "messages": [str(_("Choose one of the listed export formats."))]}])
        response.status_code = 400
        return response
    preview = {"preview": 1} if request.args.get("preview") == "1" else {}
    return redirect(url_for("invenio_app_rdm_records.record_export", pid_value=pid_value,
                            export_format=export_format, **preview))


def chosen_citation_style():
    """The citation style in `?style=` if it is offered, else the default one."""
    offered = [style for style, _name in current_app.config.get("RDM_CITATION_STYLES", [])]
    style = request.args.get("style")
    return style if style in offered else current_app.config["RDM_CITATION_STYLES_DEFAULT"]


def record_citation(record, style):
    """RECORD (a service result item) cited in STYLE, in the page's language if citeproc has it."""
    data = record.to_dict()
    try:
        return StringCitationSerializer(
            url_args_retriever=(style, str(get_locale() or ""))).serialize_object(data)
    except ValueError:  # citeproc knows no locale of that language: its default (en-US)
        return StringCitationSerializer(url_args_retriever=(style, None)).serialize_object(data)
