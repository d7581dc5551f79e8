"""Helpers shared by the module's server-rendered pages."""

from flask import abort
from flask_wtf import FlaskForm
from invenio_records_resources.services.errors import PermissionDeniedError

from .tenants.errors import TenantNotFound


class CsrfForm(FlaskForm):
    """A form carrying only the CSRF token."""


def flat_errors(messages, prefix=""):
    """Marshmallow's nested messages as (dotted field, message) pairs."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            yield from flat_errors(value, f"{prefix}{key}." if key != "_schema" else prefix)
    elif isinstance(messages, list):
        for value in messages:
            yield from flat_errors(value, prefix)
    else:
        yield prefix.rstrip("."), str(messages)


def or_abort(call, *args, **kwargs):
    """CALL's result; 404 for an unknown library, 403 when not allowed."""
    try:
        return call(*args, **kwargs)
    except TenantNotFound:
        abort(404)
    except PermissionDeniedError:
        abort(403)
