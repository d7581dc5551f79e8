"""`invenio tenants sso …`: identity providers from metadata, a library's SSO settings."""

import json
import sys
from pathlib import Path

import click
import requests
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from invenio_db import db
from marshmallow import ValidationError

from ..tenants.errors import TenantError
from .metadata import MetadataError
from .service import rules_from_lines


def _fail(message):
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


def _service():
    return current_app.extensions["consortium-tenants"].sso_service


@click.group()
def sso():
    """Single sign-on through SAML (eduID.cz) of the member libraries."""


@sso.command("idps-import")
@click.argument("source")
@with_appcontext
def idps_import(source):
    """Add or refresh the IdPs of SAML metadata at SOURCE (a URL or a file)."""
    try:
        if source.startswith(("http://", "https://")):
            response = requests.get(source, timeout=30)
            response.raise_for_status()
            xml = response.content
        else:
            xml = Path(source).read_bytes()
        entity_ids = _service().store_idps(xml, source)
    except (requests.RequestException, OSError, MetadataError) as error:
        _fail(f"cannot read metadata from {source}: {error}")
    db.session.commit()
    for entity_id in entity_ids:
        click.echo(entity_id)
    click.echo(f"{len(entity_ids)} identity provider(s) from {source}", err=True)


@sso.command("set")
@click.argument("slug")
@click.option("--idp", "idps", multiple=True, required=True,
              help="Entity ID of an IdP the library allows (repeatable).")
@click.option("--rule", "rules", multiple=True, metavar="ATTRIBUTE=VALUE:ROLE",
              help="e.g. eduPersonScopedAffiliation=member@mzk.cz:depositors (repeatable).")
@with_appcontext
def set_(slug, idps, rules):
    """Set the IdPs a library allows and its attribute → role rules."""
    try:
        parsed = rules_from_lines(rules)
    except ValidationError as error:
        _fail(f"invalid input: {json.dumps(error.messages, ensure_ascii=False)}")
    try:
        result = _service().update(system_identity, slug, {"idps": list(idps), "rules": parsed})
    except ValidationError as error:
        _fail(f"invalid input: {json.dumps(error.messages, ensure_ascii=False)}")
    except TenantError as error:
        _fail(str(error))
    click.echo(json.dumps(result, ensure_ascii=False, indent=2))


@sso.command("feeds-refresh")
@with_appcontext
def feeds_refresh():
    """Fetch and verify the federation feeds (CONSORTIUM_SSO_FEDERATION_FEEDS) now; exits
    1 when one is refused (the last good one stays)."""
    if not current_app.config["CONSORTIUM_SSO_FEDERATION_FEEDS"]:
        _fail("no federation feed configured (CONSORTIUM_SSO_FEDERATION_FEEDS)")
    results = _service().refresh_feeds()
    for url, result in results.items():
        click.echo(f"{url}\t{result if isinstance(result, str) else f'{result} IdP(s)'}")
    sys.exit(1 if any(isinstance(r, str) for r in results.values()) else 0)


@sso.command("feeds")
@with_appcontext
def feeds():
    """The federation feeds kept: when fetched, valid until, IdPs, the last refusal."""
    for row in _service().feeds():
        click.echo(f"{row.url}\tfetched {row.fetched or '-'}\tvalid until "
                   f"{row.valid_until or '-'}\t{row.idps} IdP(s)\t"
                   f"{'last attempt refused: ' + row.last_error if row.last_error else 'ok'}")
