"""Marshmallow fields and validators for the instance's schemas, in the request's language.

marshmallow's numbers take what Python's `int()` and `Decimal()` take: "١٢" (Arabic-Indic
digits), "1_000", " 7 ". Here a number given as text is ASCII digits only, like
`units`. marshmallow's bounds messages are built from parameters ("Must be greater than
or equal to 1."), so no catalogue lookup of the finished text can translate them: these
validators translate the template, then fill it in with numbers formatted for the
request's locale ("100 000" on a Czech page).
"""

import re

from flask_babel import format_decimal
from invenio_i18n import gettext as _
from invenio_i18n import lazy_gettext as _l
from marshmallow import fields, validate

INTEGER_TEXT = re.compile(r"[+-]?[0-9]{1,30}")
DECIMAL_TEXT = re.compile(r"[+-]?(?:[0-9]{1,30}(?:\.[0-9]{0,30})?|\.[0-9]{1,30})")

# the templates marshmallow builds (validate.Range / validate.Length), for the catalogue
TEMPLATES = (
    _l("Must be greater than or equal to {min}."),
    _l("Must be greater than {min}."),
    _l("Must be less than or equal to {max}."),
    _l("Must be less than {max}."),
    _l("Must be greater than or equal to {min} and less than or equal to {max}."),
    _l("Must be greater than {min} and less than or equal to {max}."),
    _l("Must be greater than or equal to {min} and less than {max}."),
    _l("Must be greater than {min} and less than {max}."),
    _l("Shorter than minimum length {min}."),
    _l("Longer than maximum length {max}."),
    _l("Length must be between {min} and {max}."),
    _l("Length must be {equal}."),
    _l("Must be one of: {choices}."),
)


def _number(value):
    return value if value is None or isinstance(value, bool) else format_decimal(value)


class Integer(fields.Integer):
    """An integer; a text must be ASCII digits (with a sign)."""

    def _validated(self, value):
        if isinstance(value, str) and not INTEGER_TEXT.fullmatch(value):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Decimal(fields.Decimal):
    """A decimal number; a text must be ASCII digits with an optional point."""

    def _validated(self, value):
        if isinstance(value, str) and not DECIMAL_TEXT.fullmatch(value):
            raise self.make_error("invalid", input=value)
        return super()._validated(value)


class Range(validate.Range):
    """validate.Range with its message in the request's language."""

    def _format_error(self, value, message):
        return _(str(self.error or message)).format(
            input=value, min=_number(self.min), max=_number(self.max))


class Length(validate.Length):
    """validate.Length with its message in the request's language."""

    def _format_error(self, value, message):
        return _(str(self.error or message)).format(
            input=value, min=_number(self.min), max=_number(self.max),
            equal=_number(self.equal))


class OneOf(validate.OneOf):
    """validate.OneOf with its message in the request's language."""

    def _format_error(self, value):
        return _(str(self.error)).format(
            input=value, choices=self.choices_text, labels=self.labels_text)
