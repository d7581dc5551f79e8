"""`invenio platform …`: idempotent initialisation of the instance.

One process runs every set-up step InvenioRDM needs (each `invenio …` start
costs ~8 s), and each step first checks whether its work is already done, so
running `invenio platform init` twice is harmless.
"""

import shlex

import boto3
import click
from botocore.exceptions import ClientError
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.models import ActionRoles
from invenio_accounts.proxies import current_datastore
from invenio_db import db
from invenio_files_rest.models import Location
from invenio_search.proxies import current_search_client
from invenio_search.utils import build_alias_name
from invenio_vocabularies.records.models import VocabularyType
from sqlalchemy import inspect
from sqlalchemy_utils import database_exists

# role name -> access action granted to it
ROLES = {
    "admin": "superuser-access",
    "administration": "administration-access",
    "administration-moderation": "administration-moderation",
}


def run_cli(command):
    """Run an `invenio` sub-command in this process; fail loudly on error."""
    click.secho(f"  $ invenio {command}", fg="blue")
    # The top-level `invenio` group: it also carries entry-point commands.
    from invenio_app.cli import cli as invenio_cli

    result = current_app.test_cli_runner().invoke(invenio_cli, args=shlex.split(command))
    if result.exit_code != 0:
        click.echo(result.output)
        raise click.ClickException(f"`invenio {command}` failed: {result.exception!r}")


def step(title, done):
    """Print a step header; return True when the step still has to run."""
    click.secho(f"{title}: {'already done' if done else 'running'}", fg="green")
    return not done


def s3_client():
    """A boto3 client for the configured S3 endpoint."""
    cfg = current_app.config
    return boto3.client(
        "s3",
        endpoint_url=cfg["S3_ENDPOINT_URL"],
        aws_access_key_id=cfg["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=cfg["S3_SECRET_ACCESS_KEY"],
        region_name=cfg.get("S3_REGION_NAME") or "us-east-1",
    )


def ensure_bucket(name):
    """Create the S3 bucket NAME unless it exists."""
    client = s3_client()
    try:
        client.head_bucket(Bucket=name)
        return False
    except ClientError:
        client.create_bucket(Bucket=name)
        return True


@click.group()
def platform():
    """Consortium platform operations."""


@platform.command("init")
@click.option("--admin-email", default="admin@consortium.example", show_default=True)
@click.option("--admin-password", default="consortium-admin", show_default=True)
@with_appcontext
def init(admin_email, admin_password):
    """Initialise database, S3 storage, indices, vocabularies and the admin."""
    url = db.engine.url
    if step("database", database_exists(url)):
        run_cli("db init")
    if step("tables", inspect(db.engine).has_table("accounts_user")):
        run_cli("db create")

    bucket = current_app.config["CONSORTIUM_S3_BUCKET"]
    created = ensure_bucket(bucket)
    step(f"S3 bucket {bucket}", not created)
    if step("default files location", Location.get_default() is not None):
        run_cli(f"files location create --default consortium s3://{bucket}")

    for role, action in ROLES.items():
        if step(f"role {role}", current_datastore.find_role(role) is not None):
            run_cli(f"roles create {role}")
        granted = (
            ActionRoles.query.join(ActionRoles.role)
            .filter(ActionRoles.action == action)
            .filter_by(name=role)
            .first()
        )
        if step(f"  {action} for {role}", granted is not None):
            run_cli(f"access allow {action} role {role}")

    records_index = build_alias_name("rdmrecords-records")
    if step("search indices", current_search_client.indices.exists(index=records_index)):
        run_cli("index init")
        run_cli("rdm-records custom-fields init")
        run_cli("communities custom-fields init")
        run_cli("rdm fixtures")
        run_cli("queues declare")

    if step("vocabularies", VocabularyType.query.count() > 0):
        run_cli("rdm-records fixtures")

    if step(f"admin {admin_email}", current_datastore.find_user(email=admin_email) is not None):
        run_cli(
            f"users create {admin_email} --password {shlex.quote(admin_password)} "
            "--active --confirm"
        )
    user = current_datastore.find_user(email=admin_email)
    for role in ("admin", "administration"):
        if not user.has_role(role):
            current_datastore.add_role_to_user(user, role)
    db.session.commit()
    click.secho("Instance initialised.", fg="green", bold=True)
