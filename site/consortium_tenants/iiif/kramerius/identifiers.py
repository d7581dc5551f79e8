"""Identifier schemes `urnnbn` (URN:NBN) and `kramerius` (a Kramerius uuid), for
RDM_RECORDS_IDENTIFIERS_SCHEMES (a work's alternate identifiers).

marshmallow-utils' IdentifierSchema calls each scheme's validator and, when it answers
false, writes an English-only "Invalid … identifier."; these validators raise the
field's message themselves, in the request's language, saying what the identifier looks
like (a ValidationError raised in a schema validator lands on the field it names)."""

import re

from invenio_i18n import gettext
from invenio_i18n import lazy_gettext as _
from marshmallow import ValidationError

# Czech URN:NBN (the national resolver, resolver.nkp.cz): registrar code of 2-6 letters
# or digits, a hyphen, a document code of 6 (e.g. urn:nbn:cz:mzk-0001xq); another
# country's URN:NBN (RFC 8458) keeps its own namespace-specific string.
URN_NBN_CZ = re.compile(r"^urn:nbn:cz:[a-z0-9]{2,6}-[a-z0-9]{6}\Z", re.IGNORECASE)
URN_NBN_OTHER = re.compile(r"^urn:nbn:(?!cz:)[a-z]{2}[:-][a-z0-9:._/-]+\Z", re.IGNORECASE)
# Kramerius identifies every object by an RFC 4122 UUID with the prefix "uuid:".
KRAMERIUS_UUID = re.compile(
    r"^uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\Z", re.IGNORECASE)


def is_urnnbn(value):
    """VALUE is a URN:NBN, else a ValidationError of the identifier field."""
    if isinstance(value, str) and (URN_NBN_CZ.match(value) or URN_NBN_OTHER.match(value)):
        return True
    raise ValidationError(gettext(
        "Not a URN:NBN: it looks like urn:nbn:cz:mzk-0001xq (the registrar's code, "
        "a hyphen and six letters or digits)."), field_name="identifier")


def is_kramerius_uuid(value):
    """VALUE is a Kramerius uuid, else a ValidationError of the identifier field."""
    if isinstance(value, str) and KRAMERIUS_UUID.match(value):
        return True
    raise ValidationError(gettext(
        "Not a Kramerius identifier: it looks like "
        "uuid:0eaa6730-9068-11dd-97de-000d606f5dc6."), field_name="identifier")


IDENTIFIER_SCHEMES = {
    "urnnbn": {"label": _("URN:NBN"), "validator": is_urnnbn, "datacite": "URN"},
    "kramerius": {"label": _("Kramerius uuid"), "validator": is_kramerius_uuid,
                  "datacite": "Other"},
}


def kramerius_identifiers(metadata):
    """(URN:NBN, Kramerius uuid) of a work's metadata, each None when it has none; a
    Kramerius uuid in lower case, as Kramerius writes it."""
    urnnbn = uuid = None
    for ident in (metadata or {}).get("identifiers") or []:
        value = (ident.get("identifier") or "").strip()
        if ident.get("scheme") == "urnnbn" and urnnbn is None:
            urnnbn = value
        elif ident.get("scheme") == "kramerius" and uuid is None:
            uuid = value.lower()
    return urnnbn, uuid
