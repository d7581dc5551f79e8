"""DataCite formats only for works with a DOI.

DataCite's kernel requires an `<identifier identifierType="DOI">`: InvenioRDM's
DataCite serializers would write an invalid document for a work without one. The
REST API and the record page's export answer 406 with a JSON message instead; a
browser following the record page's export link (Accept: text/html) gets the same
message as a page in its language, with the formats the work has.
"""

from flask import current_app, render_template, request
from flask_resources import HTTPJSONException, ResponseHandler
from invenio_i18n import gettext as _
from invenio_rdm_records.resources.serializers import (
    DataCite45JSONSerializer,
    DataCite45XMLSerializer,
)
from invenio_records_resources.resources.records.headers import etag_headers

from ..pages import wants_html

DATACITE_MEDIA_TYPES = ("application/vnd.datacite.datacite+xml",
                        "application/vnd.datacite.datacite+json")


class NoDOIError(HTTPJSONException):
    """406: the work has no DOI, so no DataCite metadata."""

    code = 406

    def __init__(self):
        super().__init__(description=_(
            "This work has no DOI, so it has no DataCite metadata. Ask for another "
            "format, e.g. application/json or Dublin Core (application/x-dc+xml)."))

    def get_response(self, environ=None, scope=None):
        """JSON for API clients; a page for a browser on the record page's export."""
        if not wants_html():
            return super().get_response(environ, scope)
        pid_value = (request.view_args or {}).get("pid_value")
        exporters = current_app.config.get("APP_RDM_RECORD_EXPORTERS", {})
        formats = [(name, spec["name"]) for name, spec in exporters.items()
                   if name not in ("datacite-xml", "datacite-json")]
        body = render_template("consortium_tenants/no_doi_export.html", pid_value=pid_value,
                               formats=formats)
        return current_app.response_class(body, status=self.code,
                                          content_type="text/html; charset=utf-8")


class WithDOIOnly:
    """A DataCite serializer that refuses a work without a DOI."""

    def serialize_object(self, obj):
        """The DataCite document of OBJ, or 406 when it has no DOI."""
        if not (obj.get("pids") or {}).get("doi", {}).get("identifier"):
            raise NoDOIError()
        return super().serialize_object(obj)


class DataCiteXMLWithDOISerializer(WithDOIOnly, DataCite45XMLSerializer):
    """DataCite 4.5 XML of a work with a DOI."""


class DataCiteJSONWithDOISerializer(WithDOIOnly, DataCite45JSONSerializer):
    """DataCite 4.5 JSON of a work with a DOI."""


def record_serializers(serializers):
    """SERIALIZERS (RDM's REST response handlers) with the DataCite ones refusing works
    without a DOI (for `RDM_RECORDS_SERIALIZERS`)."""
    return {
        **serializers,
        DATACITE_MEDIA_TYPES[0]: ResponseHandler(DataCiteXMLWithDOISerializer(),
                                                 headers=etag_headers),
        DATACITE_MEDIA_TYPES[1]: ResponseHandler(DataCiteJSONWithDOISerializer(),
                                                 headers=etag_headers),
    }


def _readable(spec):
    """A JSON exporter's SPEC writing its text as UTF-8 and saying so: InvenioRDM's
    JSON exports escaped every letter outside ASCII ("\\u0160umava" for "Šumava"), a
    file a person opening it cannot read. The JSON is the same (parsers read both)."""
    options = (spec.get("params") or {}).get("options")
    if options is None or "json" not in spec.get("content-type", ""):
        return spec
    return {**spec,
            "params": {**spec["params"], "options": {**options, "ensure_ascii": False}},
            "content-type": f"{spec['content-type']}; charset=utf-8"}


def record_exporters(exporters):
    """EXPORTERS (`APP_RDM_RECORD_EXPORTERS`) with the DataCite ones refusing works
    without a DOI, the JSON ones readable."""
    ours = {"datacite-xml": DataCiteXMLWithDOISerializer,
            "datacite-json": DataCiteJSONWithDOISerializer}
    return {
        name: _readable({**spec, "serializer": f"{__name__}:{ours[name].__name__}"}
                        if name in ours else spec)
        for name, spec in exporters.items()
    }
