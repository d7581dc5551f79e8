"""`invenio tenants stats …`: recompute COUNTER metrics, issue and revoke SUSHI credentials."""

import sys

import click
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from marshmallow import ValidationError

from ..proxies import current_stats_service
from ..tenants.errors import TenantNotFound
from .credentials import CredentialNotFound
from .metrics import MissingEventIndex


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
    service = current_stats_service
    try:
        parsed = [service.month_of(m) for m in months]
    except ValidationError:
        _fail(f"--month must be YYYY-MM, got {', '.join(months)}")
    for month in parsed:
        try:
            month, usage = service.month_usage(system_identity, month)
        except MissingEventIndex as error:
            _fail(str(error))
        with click.progressbar(length=len(usage), label=month.strftime("%Y-%m")) as bar:
            done = service.store_month(system_identity, month, usage, bar.update)
        note = "" if done["final"] else " (preliminary: the month is not over)"
        click.echo(f"{done['month']}: {done['rows']} item rows{note}")




@stats.command("sushi-issue")
@click.option("--library", "slug", default=None, help="Slug of the library.")
@click.option("--consortium", is_flag=True, help="Credentials of the consortium (all libraries).")
@click.option("--label", default="", help="Which harvester the credentials are for.")
@with_appcontext
def sushi_issue(slug, consortium, label):
    """Issue SUSHI credentials for a library (or --consortium); prints the API key once."""
    if bool(slug) == consortium:
        _fail("give --library SLUG or --consortium")
    try:
        data = current_stats_service.issue_credentials(system_identity, slug,
                                                       {"label": label})
    except TenantNotFound:
        _fail(f"no library {slug}")
    except ValidationError as error:
        _fail(f"--label: {' '.join(error.normalized_messages().get('label', []))}")
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
        current_stats_service.revoke_credentials(system_identity, slug, requestor_id)
    except TenantNotFound:
        _fail(f"no library {slug}")
    except CredentialNotFound:
        _fail(f"no active credentials {requestor_id}")
    click.echo(f"revoked {requestor_id}")
