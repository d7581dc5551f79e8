"""`invenio tenants import …`: bring a library's existing repository in over OAI-PMH, or
a CSV with its files in a BagIt bag."""

import csv
import json
import sys
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from marshmallow import ValidationError

from ..tenants.errors import TenantError
from .service import DOI_POLICIES, OAI_FORMATS, person_identity


def _fail(message):
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


def _service():
    return current_app.extensions["consortium-tenants"].imports_service


def _identity(email):
    """The identity of the person the works are deposited as."""
    from invenio_accounts.proxies import current_datastore

    user = current_datastore.find_user(email=email)
    if user is None:
        _fail(f"no account {email}")
    return person_identity(user.id)


@click.group("import")
def imports():
    """Import a library's existing repository (OAI-PMH: oai_dc, ore, marcxml) with its files."""


@imports.command("oai")
@click.argument("slug")
@click.argument("url")
@click.option("--set", "set_spec", help="Harvest only this OAI-PMH set.")
@click.option("--dry-run", is_flag=True, help="Map and report, write nothing.")
@click.option("--bypass-review", is_flag=True,
              help="Publish at once even where the library's curators review deposits.")
@click.option("--full", is_flag=True, help="Harvest everything, not only what changed "
              "since the last finished run over this source.")
@click.option("--as", "email", required=True,
              help="Deposit as this person, a manager of the library (the works' owner).")
@click.option("--doi", "doi_policy", type=click.Choice(DOI_POLICIES),
              help="The works' DOIs: keep the source's (as an external DOI), register new "
              "ones under the library's prefix, or none (default: new where the library "
              "has a DOI prefix, else none).")
@click.option("--format", "metadata_prefix", type=click.Choice(OAI_FORMATS),
              default="oai_dc", show_default=True,
              help="The OAI-PMH metadata format: oai_dc (EPrints: with its file links), "
              "ore (DSpace: with its bitstreams), marcxml (Invenio: files in 856 $u).")
@with_appcontext
def oai(slug, url, set_spec, dry_run, bypass_review, full, email, metadata_prefix,
        doi_policy):
    """Harvest URL (an OAI-PMH base URL) into library SLUG."""
    service = _service()
    identity = _identity(email)
    run = _start(service, slug, url, set_spec, dry_run, bypass_review, full,
                 metadata_prefix, doi_policy)
    click.echo(f"Run {run.id}: harvesting {url}"
               + (f" (set {set_spec})" if set_spec else "")
               + (f" changed since {run.harvest_from}" if run.harvest_from else "") + " …")
    _process(service, identity, run, slug, dry_run)


def _start(service, slug, url, set_spec, dry_run, bypass_review, full, metadata_prefix,
           doi_policy):
    try:
        return service.start(system_identity, slug, url, set_spec, dry_run, bypass_review,
                             full, metadata_prefix=metadata_prefix, trusted=True,
                             doi_policy=doi_policy)
    except TenantError as error:
        _fail(str(error))
    except ValidationError as error:
        _fail("; ".join(f"{field}: {' '.join(map(str, messages))}"
                        for field, messages in error.normalized_messages().items()))


def _process(service, identity, run, slug, dry_run):
    """Read RUN's source and give every item its state, with a progress bar."""
    records = service.harvest_checked(run)
    if records is None:
        _fail(f"the source could not be harvested: {run.error}")
    run.started_by = identity.id
    with click.progressbar(length=len(records), label="Items", show_pos=True,
                           show_eta=True) as bar:
        service.process(identity, run, records, progress=bar.update)
    counts = service.dump_run(run, slug)["counts"]
    click.echo(("Dry run: " if dry_run else "") + ", ".join(
        f"{state} {number}" for state, number in counts.items()))
    click.echo(f"Report: invenio tenants import report {slug} {run.id}")


@imports.command("bag")
@click.argument("slug")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@click.option("--dry-run", is_flag=True, help="Map and report, write nothing.")
@click.option("--bypass-review", is_flag=True,
              help="Publish at once even where the library's curators review deposits.")
@click.option("--as", "email", required=True,
              help="Deposit as this person, a manager of the library (the works' owner).")
@click.option("--doi", "doi_policy", type=click.Choice(DOI_POLICIES),
              help="The works' DOIs: keep the CSV's (its identifiers column), register new "
              "ones under the library's prefix, or none (default: new where the library "
              "has a DOI prefix, else none).")
@with_appcontext
def bag_command(slug, folder, dry_run, bypass_review, email, doi_policy):
    """Import the items of the BagIt bag FOLDER (data/metadata.csv and the files it names)
    into library SLUG; the bag's checksums are verified first."""
    service = _service()
    identity = _identity(email)
    folder = str(Path(folder).resolve())
    run = _start(service, slug, folder, None, dry_run, bypass_review, True, "csv",
                 doi_policy)
    click.echo(f"Run {run.id}: reading the bag {folder} …")
    _process(service, identity, run, slug, dry_run)


@imports.command("report")
@click.argument("slug")
@click.argument("run_id")
@click.option("--state", type=click.Choice(["created", "updated", "unchanged", "deleted",
                                             "failed"]))
@click.option("--format", "output", type=click.Choice(["csv", "json"]), default="csv")
@with_appcontext
def report(slug, run_id, state, output):
    """Every item of run RUN_ID with its state and reason."""
    try:
        items = _service().items(system_identity, slug, run_id, state,
                                 with_payload=output == "json")
    except TenantError as error:
        _fail(str(error))
    if output == "json":
        click.echo(json.dumps(items, ensure_ascii=False, indent=2))
        return
    writer = csv.writer(sys.stdout)
    writer.writerow(["source_id", "datestamp", "state", "reason", "record"])
    for item in items:
        writer.writerow([item["source_id"], item["datestamp"], item["state"],
                         item["reason"] or "", item["record"] or ""])
