"""`GET /api/iiif/3/record:<id>/manifest` (and `draft:<id>`): the work's IIIF Presentation
3.0 manifest as JSON-LD, for whoever may read the record (InvenioRDM's IIIF service reads
it with the caller's identity: a restricted work is refused as its files are).

The route sits beside InvenioRDM's IIIF resource (`/api/iiif/<uuid>/manifest`, v2.1),
whose error table it shares: a malformed identifier is a 400, an unknown one a 404, a
deleted one 410, all in the request's language."""

import json

import marshmallow as ma
from flask import current_app, g, request
from flask_cors import cross_origin
from flask_resources import (
    JSONSerializer,
    Resource,
    ResourceConfig,
    ResponseHandler,
    request_parser,
    resource_requestctx,
    response_handler,
    route,
)
from invenio_rdm_records.resources.iiif import IIIFResourceConfig
from invenio_records_resources.resources.errors import ErrorHandlersMixin
from invenio_records_resources.resources.records.headers import etag_headers
from werkzeug.http import quote_etag

from invenio_base import invenio_url_for

from ..i18n import language
from ..pages import library_logo, library_url
from ..tenants.library import library_of_community
from ..text import plain_text
from .manifest import Manifest
from .tiles import area_of, page_key, pdf_pages

PROFILE = 'application/ld+json;profile="http://iiif.io/api/presentation/3/context.json"'


class ManifestV3Serializer(JSONSerializer):
    """A record's service dump → its Presentation 3.0 manifest (JSON-LD)."""

    def serialize_object(self, obj):
        return json.dumps(Manifest().build(obj, self.context(obj)), ensure_ascii=False)

    @staticmethod
    def context(record):
        community = ((record.get("parent") or {}).get("communities") or {}).get("default")
        tenant = library_of_community(community) if community else None
        library = None
        if tenant is not None:
            logo = library_logo(tenant)
            library = {"names": tenant.names, "url": library_url(tenant),
                       "logo": request.host_url.rstrip("/") + logo if logo else None}
        return {
            "manifest_id": request.base_url,
            "landing_page": (record.get("links") or {}).get("self_html") or request.host_url,
            "summary": plain_text((record.get("metadata") or {}).get("description")),
            "library": library,
            "formats": current_app.config["RDM_IIIF_MANIFEST_FORMATS"],
            # a published work's PDF pages that have tiles (a draft has none)
            "pdf_pages": None if record.get("is_draft") else (
                lambda key: pdf_pages(record["id"], key, area_of(record.get("access")))),
            "page_service": lambda key, number: invenio_url_for(
                "iiif.base", uuid=f"record:{record['id']}:{page_key(key, number)}"),
        }


def manifest_headers(obj, code, many=False):
    """The record's ETag per language, and `Vary`: the manifest's language maps keep cs
    and en, the request's language first (its query's `ln`, session, profile or
    Accept-Language)."""
    headers = etag_headers(obj, code, many)
    if "ETag" in headers:
        headers["ETag"] = quote_etag(f"{obj['revision_id']}-{language()}", False)
    headers["Vary"] = "Accept-Language, Cookie"
    return headers


class IIIFV3ResourceConfig(ResourceConfig):
    """Routes of the Presentation 3.0 manifests."""

    blueprint_name = "consortium_iiif"
    url_prefix = "/iiif/3"
    routes = {"manifest": "/<uuid>/manifest"}
    request_view_args = {"uuid": ma.fields.Str()}
    response_handlers = {
        "application/ld+json": ResponseHandler(ManifestV3Serializer(), headers=manifest_headers),
        "application/json": ResponseHandler(ManifestV3Serializer(), headers=manifest_headers),
    }
    default_accept_mimetype = "application/ld+json"
    error_handlers = IIIFResourceConfig.error_handlers


class IIIFV3Resource(ErrorHandlersMixin, Resource):
    """Thin HTTP layer over InvenioRDM's IIIF service."""

    def __init__(self, config, service):
        super().__init__(config)
        self.service = service

    def create_url_rules(self):
        return [route("GET", self.config.routes["manifest"], self.manifest)]

    @cross_origin(origins="*", methods=["GET"])
    @request_parser({"uuid": ma.fields.Str()}, location="view_args")
    @response_handler()
    def manifest(self):
        uuid = resource_requestctx.view_args["uuid"]
        return self.service.read_record(identity=g.identity, uuid=uuid).to_dict(), 200
