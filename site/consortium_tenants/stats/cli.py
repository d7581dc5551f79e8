"""`invenio tenants stats …`: recompute COUNTER metrics, issue and revoke SUSHI credentials."""

import sys

import click
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity

from ..tenants.errors import TenantNotFound
from . import credentials
from .metrics import MissingEventIndex, month_is_final, parse_month, store_month, usage_of_month


def _fail(message):
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


@click.group()
def stats():
    """Usage statistics and SUSHI credentials of the member libraries."""


@stats.command("recompute")
@click.option("--month", "months", required=True, multiple=True, metavar="YYYY-MM",
              help="Month to compute again (repeatable).")
@with_appcontext
def recompute(months):
    """Compute the COUNTER metrics of MONTH from its processed events again."""
    try:
        parsed = [parse_month(m) for m in months]
    except ValueError:
        _fail(f"--month must be YYYY-MM, got {', '.join(months)}")
    for month in parsed:
        try:
            usage = usage_of_month(month)
        except MissingEventIndex as error:
            _fail(str(error))
        with click.progressbar(length=len(usage), label=month.strftime("%Y-%m")) as bar:
            rows = store_month(month, usage, bar.update)
        note = "" if month_is_final(month) else " (preliminary: the month is not over)"
        click.echo(f"{month.strftime('%Y-%m')}: {rows} item rows{note}")


def _tenant(slug):
    try:
        return credentials.tenant_by_slug(slug) if slug else None
    except TenantNotFound:
        _fail(f"no library {slug}")


@stats.command("sushi-issue")
@click.option("--library", "slug", default=None, help="Slug of the library.")
@click.option("--consortium", is_flag=True, help="Credentials of the consortium (all libraries).")
@click.option("--label", default="", help="Which harvester the credentials are for.")
@with_appcontext
def sushi_issue(slug, consortium, label):
    """Issue SUSHI credentials for a library (or --consortium); prints the API key once."""
    if bool(slug) == consortium:
        _fail("give --library SLUG or --consortium")
    data = credentials.issue(system_identity, _tenant(slug), label)
    for key in ("customer_id", "requestor_id", "api_key"):
        click.echo(f"{key}: {data[key]}")


@stats.command("sushi-revoke")
@click.argument("requestor_id")
@click.option("--library", "slug", default=None, help="Slug of the library.")
@click.option("--consortium", is_flag=True)
@with_appcontext
def sushi_revoke(requestor_id, slug, consortium):
    """Revoke the SUSHI credentials REQUESTOR_ID of a library (or --consortium)."""
    if bool(slug) == consortium:
        _fail("give --library SLUG or --consortium")
    try:
        credentials.revoke(system_identity, None if consortium else _tenant(slug), requestor_id)
    except credentials.CredentialNotFound:
        _fail(f"no active credentials {requestor_id}")
    click.echo(f"revoked {requestor_id}")
