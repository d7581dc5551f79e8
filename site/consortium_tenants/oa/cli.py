"""`invenio tenants oa …`: a library's open-access policy."""

import json
import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from marshmallow import ValidationError

from ..tenants.errors import TenantError


def _fail(message):
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


def _service():
    return current_app.extensions["consortium-tenants"].oa_service


@click.group()
def oa():
    """Open-access policies of the member libraries."""


@oa.command("show")
@click.argument("slug")
@with_appcontext
def show(slug):
    """The library's open-access policy as JSON."""
    try:
        result = _service().read(system_identity, slug)
    except TenantError as error:
        _fail(str(error))
    click.echo(json.dumps({k: result[k] for k in ("library", "set", "based_on", "policy")},
                          ensure_ascii=False, indent=2))


@oa.command("set")
@click.argument("slug")
@click.option("--preset", help="Start from a preset (CONSORTIUM_OA_PRESETS), e.g. "
              "czech-national or plan-s.")
@click.option("--json", "changes", default=None, metavar="JSON",
              help='Fields to change, e.g. \'{"severity": "error", '
                   '"embargo_by_resource_type": {"dataset": 12}}\'.')
@with_appcontext
def set_(slug, preset, changes):
    """Set a library's open-access policy from a preset and/or changed fields."""
    try:
        data = json.loads(changes) if changes else {}
    except ValueError as error:
        _fail(f"--json is not JSON: {error}")
    if not isinstance(data, dict):
        _fail("--json must be a JSON object")
    if preset is not None:
        data["preset"] = preset
    try:
        result = _service().update(system_identity, slug, data)
    except ValidationError as error:
        _fail(f"invalid input: {json.dumps(error.messages, ensure_ascii=False)}")
    except TenantError as error:
        _fail(str(error))
    click.echo(json.dumps({k: result[k] for k in ("library", "set", "based_on", "policy")},
                          ensure_ascii=False, indent=2))
