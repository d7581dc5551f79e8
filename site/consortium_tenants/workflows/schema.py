"""Validation of a library's workflow: its preset and its deposit rules."""

from flask import current_app
from invenio_access.permissions import system_identity
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_vocabularies.proxies import current_service as vocabularies
from marshmallow import Schema, ValidationError, fields, validate, validates, validates_schema

from ..tenants.schema import NO_MARKUP
from ..validation import Integer, Length, OneOf, Range
from .rules import DEFAULT_RULES, REQUIRED_FIELDS

ACCESS = OneOf(["public", "restricted"])


def unknown_terms(vocabulary, ids):
    """The ids of IDS that VOCABULARY (e.g. "licenses") does not hold."""
    missing = []
    for id_ in ids:
        try:
            vocabularies.read(system_identity, (vocabulary, id_))
        except PIDDoesNotExistError:
            missing.append(id_)
    return missing


class AgreementSchema(Schema):
    """The deposit agreement, in Czech and English (plain text, paragraphs by blank lines)."""

    cs = fields.String(required=True, validate=[Length(min=1, max=10000), NO_MARKUP])
    en = fields.String(required=True, validate=[Length(min=1, max=10000), NO_MARKUP])


class DefaultAccessSchema(Schema):
    """Access a new deposit starts with."""

    record = fields.String(required=True, validate=ACCESS)
    files = fields.String(required=True, validate=ACCESS)


class RulesSchema(Schema):
    """What the library requires of a deposit before publication."""

    required_fields = fields.List(
        fields.String(validate=OneOf(list(REQUIRED_FIELDS))),
        load_default=list, validate=Length(max=len(REQUIRED_FIELDS)))
    resource_types = fields.List(fields.String(), load_default=list)
    licenses = fields.List(fields.String(), load_default=list)
    default_license = fields.String(allow_none=True, load_default=None)
    default_access = fields.Nested(DefaultAccessSchema,
                                   load_default=lambda: dict(DEFAULT_RULES["default_access"]))
    allow_restricted = fields.Boolean(load_default=True)
    max_embargo_months = Integer(allow_none=True, load_default=None,
                                        validate=Range(min=0, max=1200))
    agreement = fields.Nested(AgreementSchema, allow_none=True, load_default=None)

    @validates("required_fields")
    def _no_repeats(self, value, **kwargs):
        if len(set(value)) != len(value):
            raise ValidationError("Fields repeat.")

    @validates("resource_types")
    def _known_types(self, value, **kwargs):
        missing = unknown_terms("resourcetypes", value)
        if missing:
            raise ValidationError(f"Unknown resource types: {', '.join(missing)}.")

    @validates("licenses")
    def _known_licenses(self, value, **kwargs):
        missing = unknown_terms("licenses", value)
        if missing:
            raise ValidationError(f"Unknown licences: {', '.join(missing)}.")

    @validates_schema(skip_on_field_errors=False)
    def _consistent(self, data, **kwargs):
        errors = {}
        default, allowed = data.get("default_license"), data.get("licenses") or []
        if default is not None:
            if allowed and default not in allowed:
                errors["default_license"] = ["Must be one of the allowed licences."]
            elif unknown_terms("licenses", [default]):
                errors["default_license"] = [f"Unknown licence: {default}."]
        access = data.get("default_access") or {}
        if data.get("allow_restricted") is False and "restricted" in access.values():
            errors["default_access"] = [
                "Restricted access is not allowed by this library's rules."]
        if errors:
            raise ValidationError(errors)


class WorkflowSchema(Schema):
    """A library's deposit workflow."""

    preset = fields.String(required=True)
    rules = fields.Nested(RulesSchema, load_default=dict)

    @validates("preset")
    def _known_preset(self, value, **kwargs):
        presets = current_app.config["CONSORTIUM_WORKFLOW_PRESETS"]
        if value not in presets:
            raise ValidationError(f"Must be one of: {', '.join(presets)}.")
