"""`invenio platform …`: idempotent initialisation of the instance.

One process runs every set-up step InvenioRDM needs (each `invenio …` start
costs ~8 s), and each step first checks whether its work is already done, so
running `invenio platform init` twice is harmless.
"""

import io
import json
import shlex
import sys
import time
from pathlib import Path

import click
import yaml
from alembic.migration import MigrationContext
from botocore.exceptions import ClientError
from consortium_tenants.coar import VERSION_FIELD as OA_VERSION_FIELD
from consortium_tenants.imports.models import ImportRunModel
from consortium_tenants.imports.service import STATES, person_identity
from consortium_tenants.oa.rules import REASON_FIELD as OA_REASON_FIELD
from consortium_tenants.proxies import current_consortium
from consortium_tenants.proxies import current_tenants_service as tenants_service
from consortium_tenants.proxies import current_workflows_service as workflows
from consortium_tenants.storage.accounts import account_of
from consortium_tenants.storage.s3 import s3_client
from consortium_tenants.tenants import theme as library_theme
from consortium_tenants.tenants.models import TenantModel
from consortium_tenants.workflows import checks as workflow_checks
from consortium_tenants.workflows.rules import AGREEMENT_FIELD, preset_of
from consortium_tenants.workflows.schema import unknown_terms
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.models import ActionRoles
from invenio_access.permissions import authenticated_user, system_identity
from invenio_access.utils import get_identity
from invenio_accounts.proxies import current_datastore
from invenio_app.cli import cli as invenio_cli
from invenio_communities.generators import CommunityRoleNeed
from invenio_communities.proxies import current_communities
from invenio_db import db
from invenio_files_rest.models import Location
from invenio_rdm_records.proxies import current_rdm_records_service as records
from invenio_requests.proxies import current_requests_service as requests
from invenio_search.proxies import current_search_client
from invenio_search.utils import build_alias_name
from invenio_users_resources.proxies import current_users_service
from invenio_users_resources.records.api import UserAggregate
from invenio_vocabularies.proxies import current_service as vocabularies_service
from invenio_vocabularies.records.models import VocabularyType
from PIL import Image, ImageDraw
from sqlalchemy import inspect
from sqlalchemy_utils import database_exists

from . import backup, consistency
from . import jobs as scheduled_jobs

# role name -> access action granted to it
ROLES = {
    "admin": "superuser-access",
    "administration": "administration-access",
    "administration-moderation": "administration-moderation",
    "consortium-admin": "consortium-admin",
}


def run_cli(command):
    """Run an `invenio` sub-command in this process; fail loudly on error."""
    click.secho(f"  $ invenio {command}", fg="blue")
    # The top-level `invenio` group: it also carries entry-point commands.
    result = current_app.test_cli_runner().invoke(invenio_cli, args=shlex.split(command))
    if result.exit_code != 0:
        click.echo(result.output)
        raise click.ClickException(f"`invenio {command}` failed: {result.exception!r}")


def pending_migrations():
    """Alembic heads of installed packages not yet applied to the database."""
    alembic = current_app.extensions["invenio-db"].alembic
    with db.engine.connect() as connection:
        applied = set(MigrationContext.configure(connection).get_current_heads())
    revisions = alembic.script_directory.revision_map
    reached = {r.revision for r in revisions.iterate_revisions(tuple(applied), "base")}
    return set(alembic.script_directory.get_heads()) - reached


OER_RESOURCE_TYPE = {
    "id": "oer",
    "type": "resourcetypes",
    "icon": "graduation",
    "title": {"en": "Open educational resource", "cs": "Otevřený vzdělávací zdroj"},
    "props": {
        "csl": "document", "datacite_general": "InteractiveResource", "datacite_type": "OER",
        "openaire_resourceType": "0010", "openaire_type": "other",
        "eurepo": "info:eu-repo/semantics/other", "schema.org": "https://schema.org/LearningResource",
        "subtype": "", "type": "oer", "marc21_type": "lesson", "marc21_subtype": "",
    },
    "tags": ["depositable", "linkable"],
}
"""Open educational resources (OER) as a resource type of their own."""


def records_mapping_has(field):
    """Whether the records index maps custom field FIELD."""
    index = build_alias_name("rdmrecords-records")
    mappings = current_search_client.indices.get_mapping(index=index)
    return any(
        field in m["mappings"]["properties"].get("custom_fields", {}).get("properties", {})
        for m in mappings.values()
    )


def libraries_to_migrate():
    """Libraries created before workflows: no preset stored or no rules check."""
    unchecked = {t.id for t in workflow_checks.libraries_without_check()}
    return [t for t in TenantModel.query
            if t.id in unchecked or not (t.workflow or {}).get("preset")]


def step(title, done):
    """Print a step header; return True when the step still has to run."""
    click.secho(f"{title}: {'already done' if done else 'running'}", fg="green")
    return not done


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
    pending = pending_migrations()
    if step("schema migrations" + (f" ({', '.join(sorted(pending))})" if pending else ""),
            not pending):
        run_cli("alembic upgrade heads")

    bucket = current_app.config["CONSORTIUM_S3_BUCKET"]
    created = ensure_bucket(bucket)
    step(f"S3 bucket {bucket}", not created)
    if step("default files location", Location.get_default() is not None):
        run_cli(f"files location create --default consortium s3://{bucket}")
    unplaced = [t for t in TenantModel.query if account_of(t, create=False) is None]
    if step("storage locations of member libraries", not unplaced):
        for tenant in unplaced:
            account_of(tenant)
        db.session.commit()

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
    if step("resource type oer", not unknown_terms("resourcetypes", ["oer"])):
        vocabularies_service.create(system_identity, OER_RESOURCE_TYPE)
    if step(f"custom field {AGREEMENT_FIELD}", records_mapping_has(AGREEMENT_FIELD)):
        run_cli(f"rdm-records custom-fields init -f {AGREEMENT_FIELD}")
    for field in (OA_REASON_FIELD, OA_VERSION_FIELD):
        if step(f"custom field {field}", records_mapping_has(field)):
            run_cli(f"rdm-records custom-fields init -f {field}")
    old = libraries_to_migrate()
    if step("deposit workflows of member libraries", not old):
        for tenant in old:
            workflows.adopt(tenant)
    stale = library_theme.libraries_with_outdated_theme()
    if step("community themes of member libraries", not stale):
        for tenant in stale:
            library_theme.refresh(tenant)

    logoless = [t.slug for t in TenantModel.query.order_by(TenantModel.slug)
                if t.community_id is not None and not tenants_service.has_logo(t)]
    if step("logos of member libraries" + (f" ({', '.join(logoless)})" if logoless else ""),
            not logoless):
        tenants_service.generate_missing_logos(system_identity)

    unscheduled = scheduled_jobs.missing_jobs()
    if step("scheduled jobs" + (f" ({', '.join(unscheduled)})" if unscheduled else ""),
            not unscheduled):
        scheduled_jobs.create_jobs(unscheduled)

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


DEMO_PASSWORD = "demo-Heslo-2026"
PENDING_RECORD = ("Kronika obce Bílovice 1923–1948", "Chronicle of Bílovice 1923–1948")
DEMO_RECORDS = [
    ("Digitalizace rukopisů: metodika a zkušenosti", "Manuscript digitisation: method and lessons"),
    ("Otevřená data knihovních katalogů", "Open data of library catalogues"),
]
# A digitised work per library: page scans viewed in Mirador (IIIF) on its landing page
DIGITISED_RECORD = ("Herbář z roku 1790 (digitalizovaný)", "A herbarium of 1790 (digitised)")
# In a library that set its Kramerius (tenants.yaml `kramerius:`), the digitised work also
# carries a Kramerius uuid: its page links to that library's Kramerius (issue 30). The uuid
# is a map in MZK's digital library; opening the link needs the internet.
DEMO_KRAMERIUS_UUID = "uuid:ba4934d1-0a1e-4a01-a89d-c948477ca833"
DIGITISED_PAGES = 8
# One library (the first of tenants.yaml) also has a printed work deposited as a PDF only:
# its pages are tiled after publish and read in Mirador, the PDF itself in pdf.js.
PDF_RECORD = ("Výroční zpráva knihovny 1905 (tisk)", "The library's annual report of 1905 (print)")
PDF_PAGES = 4
# One library's finished import of its old repository (a small EPrints answering OAI-PMH,
# scripts/demo_source.py, started by `make run`): three works, one item failed
DEMO_IMPORT_LIBRARY = "svkos"


def _demo_scans():
    """(file name, PNG) of the digitised work's pages: paper, a text block, a page number."""

    pages = []
    for number in range(1, DIGITISED_PAGES + 1):
        image = Image.new("RGB", (1000, 1400), (238, 228, 204))
        draw = ImageDraw.Draw(image)
        for line in range(24):
            y = 180 + line * 44
            draw.rectangle((120, y, 880 - (line * 37 + number * 53) % 260, y + 14),
                           fill=(92, 74, 58))
        draw.text((480, 1300), str(number), fill=(40, 30, 20))
        out = io.BytesIO()
        image.save(out, "PNG", optimize=True)
        pages.append((f"strana-{number:03}.png", out.getvalue()))
    return pages


def _demo_pdf():
    """(file name, PDF) of the printed work: PDF_PAGES pages of lines of text."""
    import io

    from PIL import Image, ImageDraw

    pages = []
    for number in range(1, PDF_PAGES + 1):
        page = Image.new("RGB", (827, 1169), (250, 248, 240))  # A4 at 100 dpi
        draw = ImageDraw.Draw(page)
        for line in range(30):
            y = 120 + line * 30
            draw.rectangle((90, y, 737 - (line * 41 + number * 67) % 220, y + 10),
                           fill=(30, 30, 30))
        draw.text((405, 1110), str(number), fill=(0, 0, 0))
        pages.append(page)
    out = io.BytesIO()
    pages[0].save(out, "PDF", save_all=True, append_images=pages[1:], resolution=100)
    return [("vyrocni-zprava-1905.pdf", out.getvalue())]


def _demo_identity(user):
    """Identity of USER with the needs a login gives them, community roles included.

    Built without Flask-Principal's `identity_loaded` signal and the community
    identity cache: both read the current request or session, which a CLI
    command does not have.
    """
    identity = get_identity(user)
    identity.provides.add(authenticated_user)
    members = current_communities.service.members.config.record_cls
    for community_id, role in members.get_memberships(identity):  # curators review
        identity.provides.add(CommunityRoleNeed(community_id, role))
    return identity


def _demo_deposited(community_id, title):
    """Whether a draft or record titled TITLE was deposited into the community."""
    current_search_client.indices.refresh(index=build_alias_name("rdmrecords"))
    query = (f'metadata.title:"{title}" AND (parent.communities.ids:"{community_id}" '
             f'OR parent.review.receiver.community:"{community_id}")')
    return records.search_drafts(system_identity, params={"q": query}).total > 0


def _demo_record(identity, curator, community_id, title_cs, title_en, slug, review=True,
                 files=None, resource_type="publication-report", identifiers=None):
    """Deposit, upload FILES (a text report by default), submit to the library; its
    curator accepts when REVIEW.

    Libraries publishing directly (open preset, or curators depositing) accept on
    submission; without REVIEW the submission waits in the curators' queue.
    """

    data = {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "title": title_cs,
            "additional_titles": [
                {"title": title_en, "type": {"id": "translated-title"}, "lang": {"id": "eng"}}
            ],
            "publication_date": "2026-11-01",
            "resource_type": {"id": resource_type},
            "languages": [{"id": "ces"}],
            "rights": [{"id": "cc-by-4.0"}],
            "creators": [{"person_or_org": {"type": "personal", "given_name": "Jan",
                                             "family_name": "Novák"}}],
            "publisher": "Library Consortium Repository",
            "description": f"<p>{title_en} ({slug}).</p>",
            "subjects": [{"subject": "knihovny"}, {"subject": "libraries"}],
            **({"identifiers": identifiers} if identifiers else {}),
        },
        "custom_fields": {AGREEMENT_FIELD: True},  # the library's deposit agreement
    }
    if resource_type.startswith("publication"):  # MZK's OA policy asks which version
        data["custom_fields"][OA_VERSION_FIELD] = "published"
    draft = records.create(identity, data)
    files = files or [("zprava.txt", f"{title_cs}\n{title_en}\n".encode() * 50)]
    records.draft_files.init_files(identity, draft.id, [{"key": key} for key, _ in files])
    for key, content in files:
        records.draft_files.set_file_content(
            identity, draft.id, key, io.BytesIO(content), len(content)
        )
        records.draft_files.commit_file(identity, draft.id, key)
    records.review.update(
        identity,
        draft.id,
        {"receiver": {"community": str(community_id)}, "type": "community-submission"},
    )
    request = records.review.submit(identity, draft.id)
    if review and request.data["status"] == "submitted":
        requests.execute_action(curator, request.id, "accept")


def _demo_name(user):
    """Give a demo account a username and a full name, unless it has them.

    Request pages, timelines and member lists name people by these (their
    e-mail is private); an account made by `invenio users create` has neither
    and shows as "Anonymous user". researcher@mzk.example: researcher-mzk,
    "Researcher MZK".
    """
    if user.username and (user.user_profile or {}).get("full_name"):
        return
    local, domain = user.email.split("@")
    library = domain.split(".")[0]
    user.username = user.username or f"{local}-{library}"
    user.user_profile = {**(user.user_profile or {}),
                         "full_name": f"{local.capitalize()} {library.upper()}"}
    db.session.commit()
    current_users_service.indexer.index(UserAggregate.get_record(user.id))


def _demo_import(entry, url):
    """ENTRY's library imports the demo's old repository at URL (OAI-PMH, oai_dc) as its
    manager, once: a finished run over URL is never repeated (nor are its works)."""
    slug = entry["slug"]
    tenant = tenants_service.get(slug)
    finished = (ImportRunModel.query.filter_by(tenant_id=tenant.id, status="finished")
                .filter(ImportRunModel.source["url"].as_string() == url).count())
    if finished:
        click.echo(f"Demo import into {slug}: done before")
        return
    service = current_consortium.imports_service
    manager = current_datastore.find_user(email=entry["members"]["managers"][0])
    run = service.start(system_identity, slug, url, trusted=True)
    run.started_by = manager.id
    harvested = service.harvest_checked(run)
    if harvested is None:
        raise click.ClickException(f"the demo import's source {url} could not be "
                                   f"harvested: {run.error}")
    service.process(person_identity(manager.id), run, harvested)
    counts = ", ".join(f"{state} {run.counts[state]}" for state in STATES
                       if run.counts.get(state))
    click.echo(f"Demo import into {slug}: {run.status} ({counts})")


@platform.command("demo")
@click.option("--import-from", "import_url", metavar="URL",
              help="The demo's old repository (OAI-PMH): SVKOS imports it once.")
@with_appcontext
def demo(import_url):
    """Demo consortium: libraries from app_data/tenants.yaml, users, records, and with
    --import-from a finished import of an old repository into one library."""


    path = Path(current_app.instance_path) / "app_data" / "tenants.yaml"
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    emails = {
        email
        for entry in document["tenants"]
        for members in (entry.get("members") or {}).values()
        for email in members
    }
    for email in sorted(emails):
        if current_datastore.find_user(email=email) is None:
            run_cli(f"users create {email} --password {DEMO_PASSWORD} --active --confirm")
        _demo_name(current_datastore.find_user(email=email))
    run_cli(f"tenants load {path}")

    with click.progressbar(document["tenants"], label="Demo records") as bar:
        for entry in bar:
            tenant = tenants_service.get(entry["slug"])
            group = "curators" if preset_of(tenant) == "closed" else "depositors"
            depositor = _demo_identity(
                current_datastore.find_user(email=entry["members"][group][0]))
            curator = _demo_identity(
                current_datastore.find_user(email=entry["members"]["curators"][0]))
            wanted = [(titles, True) for titles in DEMO_RECORDS]
            if preset_of(tenant) == "mediated":  # something in the curators' queue
                wanted.append((PENDING_RECORD, False))
            for (title_cs, title_en), review in wanted:
                if not _demo_deposited(tenant.community_id, title_cs):
                    _demo_record(depositor, curator, tenant.community_id, title_cs, title_en,
                                 entry["slug"], review=review)
            if not _demo_deposited(tenant.community_id, DIGITISED_RECORD[0]):
                linked = "kramerius" in entry  # the library set its Kramerius
                _demo_record(depositor, curator, tenant.community_id, *DIGITISED_RECORD,
                             entry["slug"], files=_demo_scans(),
                             resource_type="publication-book",
                             identifiers=[{"scheme": "kramerius",
                                           "identifier": DEMO_KRAMERIUS_UUID}] if linked
                             else None)
            if entry is document["tenants"][0] and not _demo_deposited(
                    tenant.community_id, PDF_RECORD[0]):
                _demo_record(depositor, curator, tenant.community_id, *PDF_RECORD,
                             entry["slug"], files=_demo_pdf(),
                             resource_type="publication-report")
    if import_url:
        _demo_import(next(e for e in document["tenants"] if e["slug"] == DEMO_IMPORT_LIBRARY),
                     import_url)
    click.secho(f"Demo data loaded (user password: {DEMO_PASSWORD}).", fg="green")


def _print_differences(differences):
    """One line per difference, grouped by area and name."""
    for area, names in differences.items():
        for name, found in names.items():
            click.secho(f"{area} / {name}: {len(found)} difference(s)", fg="red", bold=True)
            for item in found:
                subject = item.get("id") or item.get("key") or item.get("tenant") \
                    or item.get("set") or ""
                details = ", ".join(f"{k}={v}" for k, v in item.items()
                                    if k not in ("id", "key", "tenant", "set", "problem"))
                click.echo(f"  {item['problem']}: {subject}" + (f" ({details})" if details else ""))


@platform.command("check")
@click.option("--repair", is_flag=True,
              help="Reindex from the database, drop index ghosts, recount usage counters. "
                   "Never deletes an S3 object.")
@click.option("--deep", is_flag=True, help="Also compare every live file's checksum with S3.")
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON.")
@with_appcontext
def check(repair, deep, as_json):
    """Prove that database, search indices, S3, usage counters and OAI-PMH sets agree.

    Exits 1 while a difference remains (after --repair: one that repair could not mend,
    such as an object missing in S3: restore it from a backup).
    """

    def progress(items):
        return click.progressbar(items, label="Checking", file=sys.stderr,
                                 item_show_func=lambda s: s and f"{s[0]} {s[1]}")

    report = consistency.run_checks(repair=repair, deep=deep, progress=progress)
    left = consistency.count(report["differences"])
    if as_json:
        click.echo(json.dumps(report, indent=2, sort_keys=True, default=str))
    else:
        if repair and report["repaired"]:
            click.secho(f"Found {consistency.count(report['repaired'])} difference(s); "
                        "repaired what the database can mend:", fg="yellow")
            _print_differences(report["repaired"])
        if left:
            click.secho(f"{left} difference(s) remain:", fg="red", bold=True)
            _print_differences(report["differences"])
        else:
            click.secho("Database, search indices, S3, usage counters and OAI-PMH sets agree.",
                        fg="green")
    sys.exit(1 if left else 0)


@platform.command("backup")
@click.argument("folder", type=click.Path(file_okay=False))
@with_appcontext
def backup_command(folder):
    """Back up database (pg_dump), S3 objects (with checksums) and configuration into FOLDER."""

    started = time.monotonic()
    try:
        manifest = backup.backup(folder, lambda keys: click.progressbar(
            keys, label="Copying S3 objects", file=sys.stderr))
    except backup.BackupError as error:
        raise click.ClickException(str(error))
    click.secho(f"Backed up database {manifest['database']['name']} and "
                f"{len(manifest['objects'])} objects ({manifest['bytes']} B) into {folder} "
                f"in {time.monotonic() - started:.1f} s.", fg="green")
    skipped = manifest["skipped_multipart_parts"]
    if skipped["objects"]:
        click.echo(f"Skipped {skipped['objects']} multipart parts ({skipped['bytes']} B) "
                   "that no file refers to (`invenio tenants usage --check-s3` lists them).")


@platform.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False))
@with_appcontext
def restore_command(folder):
    """Restore a backup from FOLDER into an empty instance; indices are rebuilt."""

    started = time.monotonic()
    try:
        manifest = backup.read_manifest(folder)
        click.echo("Restoring the database")
        backup.restore_database(folder)
        backup.restore_objects(folder, manifest, lambda items: click.progressbar(
            items, label="Restoring S3 objects", file=sys.stderr))
    except backup.BackupError as error:
        raise click.ClickException(str(error))
    click.echo("Rebuilding the search indices from the database")
    records_index = build_alias_name("rdmrecords-records")
    if not current_search_client.indices.exists(index=records_index):
        run_cli("index init")
        run_cli("rdm-records custom-fields init")
        run_cli("communities custom-fields init")
    run_cli("queues declare")
    backup.rebuild_indices()
    click.secho(f"Restored {len(manifest['objects'])} objects and the database of "
                f"{manifest['started']} in {time.monotonic() - started:.1f} s. "
                "Run `invenio platform check` to confirm.", fg="green")
