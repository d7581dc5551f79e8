"""Marshmallow schemas: all validation of tenant input lives here."""

import re

from flask import current_app
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
    validates_schema,
)
from marshmallow_utils.fields import SanitizedUnicode

from ..units import parse_size
from ..validation import Integer, Length, Range

# `\Z`, not `$`: `$` also matches before a final newline ("lib\n" is no slug).
SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\Z")
HOST_RE = re.compile(
    r"^(?=.{1,253}\Z)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]\Z"
)
COLOR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})\Z")
ROR_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
ROR_RE = re.compile(r"^(?:https?://ror\.org/)?(0[0-9a-hjkmnp-tv-z]{6}[0-9]{2})\Z")
NO_MARKUP = validate.Regexp(r"^[^<>{}]*\Z", error="Must be plain text without markup characters.")


def ror_checksum_ok(ror_id):
    """ROR ids end in an ISO 7064 mod 97-10 checksum of their base32 part."""
    number = 0
    for char in ror_id[1:7]:
        number = number * 32 + ROR_ALPHABET.index(char)
    return ror_id[7:] == f"{98 - (number * 100) % 97:02d}"


class PlainText(SanitizedUnicode):
    """Trimmed text with control characters removed and no markup."""

    def __init__(self, max_length=250, **kwargs):
        super().__init__(
            validate=[Length(min=1, max=max_length), NO_MARKUP], **kwargs
        )


class NamesSchema(Schema):
    """Names of the library, Czech and English required."""

    class Meta:
        unknown = EXCLUDE

    cs = PlainText(required=True)
    en = PlainText(required=True)


class HeaderLinkSchema(Schema):
    """A link in the library's page header."""

    title = PlainText(max_length=60, required=True)
    url = fields.Url(required=True, schemes={"http", "https"})


class BrandingSchema(Schema):
    """Colours, header links and footer text; plain values only, never markup."""

    primary_color = fields.String(validate=validate.Regexp(COLOR_RE, error="Not a #rgb or #rrggbb colour."))
    secondary_color = fields.String(validate=validate.Regexp(COLOR_RE, error="Not a #rgb or #rrggbb colour."))
    header_links = fields.List(fields.Nested(HeaderLinkSchema), validate=Length(max=8))
    footer_text = PlainText(max_length=500)


class ByteSize(fields.Field):
    """Bytes as an integer or a text like "10 GB", "500 MiB"."""

    default_error_messages = {"invalid": 'Not a size: give bytes or e.g. "10 GB", "500 MiB".'}

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            number = parse_size(value)
        except ValueError:
            raise self.make_error("invalid")
        if number < 1:
            raise ValidationError("Must be at least 1 byte.")
        return number


class StorageLimitsSchema(Schema):
    """A library's own storage limits; null restores the consortium default."""

    quota = ByteSize(allow_none=True)
    max_file_size = ByteSize(allow_none=True)
    max_files = Integer(allow_none=True, validate=Range(min=1, max=100000))

    @post_load
    def _drop_defaults(self, data, **kwargs):
        return {key: value for key, value in data.items() if value is not None}


class TenantSchema(Schema):
    """A member library as clients send and receive it."""

    id = fields.UUID(dump_only=True)
    slug = fields.String(
        required=True,
        validate=validate.Regexp(
            SLUG_RE, error="Lower-case letters, digits and inner hyphens only (max 64)."
        ),
    )
    names = fields.Nested(NamesSchema, required=True)
    short_name = PlainText(max_length=32, required=True)
    ror = fields.String(allow_none=True, load_default=None)
    contact_email = fields.Email(required=True)
    hosts = fields.List(fields.String(), load_default=list)
    email_domains = fields.List(fields.String(), load_default=list)
    branding = fields.Nested(BrandingSchema, load_default=dict)
    status = fields.String(dump_only=True)
    storage = fields.Nested(StorageLimitsSchema, load_default=dict)
    oai_identifier_prefix = fields.String(
        allow_none=True, load_default=None,
        validate=validate.Regexp(HOST_RE, error="A domain name, e.g. repozitar.mzk.cz."))
    community_id = fields.UUID(dump_only=True)
    created = fields.DateTime(dump_only=True)
    updated = fields.DateTime(dump_only=True)
    revision_id = Integer(dump_only=True, attribute="version_id")

    @pre_load
    def _normalise(self, data, **kwargs):
        """Lower-case host names and e-mail domains, strip whitespace."""
        if not isinstance(data, dict):
            raise ValidationError("Expected a JSON object.")
        data = dict(data)
        for key in ("hosts", "email_domains"):
            if isinstance(data.get(key), list):
                data[key] = [v.strip().lower() if isinstance(v, str) else v for v in data[key]]
        if isinstance(data.get("ror"), str):
            data["ror"] = data["ror"].strip().lower() or None
        return data

    @validates("ror")
    def _validate_ror(self, value, **kwargs):
        if value is None:
            return
        match = ROR_RE.match(value)
        if not match or not ror_checksum_ok(match.group(1)):
            raise ValidationError("Not a valid ROR identifier (e.g. 024d6js02).")

    @validates("hosts")
    def _validate_hosts(self, value, **kwargs):
        """Well-formed and distinct; whether they are free is the service's 409."""
        for host in value:
            if not isinstance(host, str) or not HOST_RE.match(host):
                raise ValidationError(f"Not a valid host name: {host!r}.")
        if len(set(value)) != len(value):
            raise ValidationError("Host names repeat.")

    @validates("email_domains")
    def _validate_domains(self, value, **kwargs):
        for domain in value:
            if not isinstance(domain, str) or not HOST_RE.match(domain):
                raise ValidationError(f"Not a valid e-mail domain: {domain!r}.")

    @post_load
    def _ror_id(self, data, **kwargs):
        """Store the bare ROR id."""
        if data.get("ror"):
            data["ror"] = ROR_RE.match(data["ror"]).group(1)
        return data


class NewTenantSchema(TenantSchema):
    """A member library being registered: its slug must not be a platform word."""

    @validates("slug")
    def _not_reserved(self, value, **kwargs):
        if value in current_app.config["CONSORTIUM_RESERVED_SLUGS"]:
            raise ValidationError(
                f"'{value}' is reserved for the platform (CONSORTIUM_RESERVED_SLUGS)."
            )


class MemberSchema(Schema):
    """A user added to (or removed from) a tenant role."""

    email = fields.Email(required=True)
    role = fields.String(required=True)

    @validates_schema
    def _known_role(self, data, **kwargs):
        roles = current_app.config["CONSORTIUM_TENANT_ROLES"]
        if data.get("role") not in roles:
            raise ValidationError(
                {"role": [f"Must be one of: {', '.join(roles)}."]}
            )
