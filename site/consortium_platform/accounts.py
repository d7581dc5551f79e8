"""User preferences validated without side effects.

invenio-accounts' `UserPreferencesSchema` (8.3.2) writes every locale and
timezone it validates into the application's `BABEL_DEFAULT_LOCALE` and
`BABEL_DEFAULT_TIMEZONE`: one user saving "cs" switches the default language
of the whole process for every other visitor and every new account. These
schemas validate the same values and change nothing else
(`ACCOUNTS_USER_PREFERENCES_SCHEMA`, `USERS_RESOURCES_SERVICE_SCHEMA`).

The profile (`ACCOUNTS_USER_PROFILE_SCHEMA`): the sign-up form sends its optional
fields as None when the browser leaves them out (a page that loaded only partly);
invenio-accounts' schema refused None after the form had validated, a 500. A missing
optional field is an empty one.
"""

import pytz
from flask import current_app
from invenio_users_resources.services.schemas import UserSchema as BaseUserSchema
from marshmallow import Schema, ValidationError, fields, validate

VISIBILITY = validate.OneOf(["public", "restricted"],
                            error="Value must be either 'public' or 'restricted'.")


def validate_locale(value):
    """A language the instance offers (I18N_LANGUAGES and the default)."""
    offered = {locale.language for locale in current_app.extensions["invenio-i18n"].get_locales()}
    if value not in offered:
        raise ValidationError("Value must be a valid locale.")


def validate_timezone(value):
    """A timezone name of the tz database."""
    if value not in pytz.all_timezones:
        raise ValidationError("Value must be a valid timezone.")


class UserProfileSchema(Schema):
    """A user's profile: full name and affiliations, both optional (None = not given)."""

    full_name = fields.String(allow_none=True)
    affiliations = fields.String(allow_none=True)


class UserPreferencesSchema(Schema):
    """A user's preferences: visibility, e-mail visibility, locale, timezone."""

    visibility = fields.String(validate=VISIBILITY)
    email_visibility = fields.String(validate=VISIBILITY)
    locale = fields.String(validate=validate_locale)
    timezone = fields.String(validate=validate_timezone)


class UserSchema(BaseUserSchema):
    """invenio-users-resources' user schema with side-effect-free preferences."""

    preferences = fields.Nested(UserPreferencesSchema)
