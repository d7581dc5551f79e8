"""What a manager sends to start an import (REST), checked before anything runs."""

import ipaddress
import socket
from urllib.parse import urlsplit

from flask import current_app
from marshmallow import Schema, ValidationError, fields, validates

from ..validation import Length, OneOf

PRIVATE_SOURCE = "The source must be a public address of the old repository."


def public_address(url):
    """Whether URL's host resolves only to public (global) addresses: a manager's import
    must not make the server read its own network (metadata services, the database)."""
    host = urlsplit(url).hostname
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ipaddress.ip_address(a.split("%")[0]).is_global
                                   for a in addresses)


class StartSchema(Schema):
    """`POST /api/tenants/<slug>/imports`."""

    url = fields.Url(required=True, schemes={"http", "https"}, require_tld=False)
    set = fields.String(load_default=None, validate=Length(min=1, max=256))
    dry_run = fields.Boolean(load_default=False)
    bypass_review = fields.Boolean(load_default=False)
    full = fields.Boolean(load_default=False)
    metadata_prefix = fields.String(load_default="oai_dc",
                                    validate=OneOf(("oai_dc", "ore", "marcxml")))
    doi_policy = fields.String(load_default=None, validate=OneOf(("keep", "new", "none")))

    @validates("url")
    def _public(self, value, **kwargs):
        if current_app.config.get("CONSORTIUM_IMPORT_PRIVATE_SOURCES"):
            return
        if not public_address(value):
            raise ValidationError(PRIVATE_SOURCE)
