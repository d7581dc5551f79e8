"""Validation of a library's open-access policy (messages in the request's language)."""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_i18n import gettext as _
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_vocabularies.proxies import current_service as vocabularies
from marshmallow import Schema, ValidationError, fields, validates

from ..coar import VERSIONS  # noqa: F401 (the versions a policy may allow)
from ..validation import Integer, Length, OneOf, Range

SEVERITIES = ["error", "warning"]
"""`error`: a work breaking the policy is not published unless its depositor states a
reason; `warning`: it is shown, nothing is refused."""

MAX_MONTHS = 1200


def unknown_terms(vocabulary, ids):
    """The ids of IDS that VOCABULARY (e.g. "licenses") does not hold."""
    missing = []
    for id_ in ids:
        try:
            vocabularies.read(system_identity, (vocabulary, id_))
        except PIDDoesNotExistError:
            missing.append(id_)
    return missing


def preset_names():
    return list(current_app.config["CONSORTIUM_OA_PRESETS"])


def preset_titles():
    """The presets' names for people, in the current language (an instance's own preset
    added in invenio.cfg is shown by its id)."""
    known = {"czech-national": _("Czech national open-access strategy"),
             "plan-s": _("Plan S (cOAlition S)")}
    return {name: known.get(name, name) for name in preset_names()}


def _months(**kwargs):
    return Integer(validate=Range(min=0, max=MAX_MONTHS), **kwargs)


class PolicySchema(Schema):
    """What a library's open-access policy allows."""

    licenses = fields.List(fields.String(validate=Length(min=1, max=100)),
                           load_default=list, validate=Length(max=100))
    max_embargo_months = _months(allow_none=True, load_default=None)
    embargo_by_resource_type = fields.Dict(keys=fields.String(validate=Length(min=1, max=100)),
                                           values=_months(), load_default=dict,
                                           validate=Length(max=100))
    versions = fields.List(fields.String(validate=OneOf(VERSIONS)), load_default=list,
                           validate=Length(max=len(VERSIONS)))
    funding_required = fields.Boolean(load_default=False)
    data_within_months = _months(allow_none=True, load_default=None)
    severity = fields.String(load_default="warning", validate=OneOf(SEVERITIES))

    @validates("licenses")
    def _known_licenses(self, value, **kwargs):
        missing = unknown_terms("licenses", value)
        if missing:
            raise ValidationError(_("Unknown licences: %(ids)s.", ids=", ".join(missing)))
        if len(set(value)) != len(value):
            raise ValidationError(_("A licence is listed twice."))

    @validates("embargo_by_resource_type")
    def _known_types(self, value, **kwargs):
        missing = unknown_terms("resourcetypes", list(value))
        if missing:
            raise ValidationError(_("Unknown resource types: %(ids)s.",
                                    ids=", ".join(missing)))

    @validates("versions")
    def _no_repeats(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError(_("A version is listed twice."))



def check_preset(name):
    """Raise a ValidationError unless NAME is one of CONSORTIUM_OA_PRESETS."""
    try:
        OneOf(preset_names())(name)
    except ValidationError as error:
        raise ValidationError({"preset": error.messages})
