"""`invenio tenants …`: manage member libraries from the command line."""

import hashlib
import json
import sys
from pathlib import Path

import click
import yaml
from flask import current_app
from flask.cli import with_appcontext
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_i18n import force_locale
from invenio_rdm_records.proxies import current_rdm_records_service as records
from marshmallow import ValidationError

from .proxies import current_tenants_service as service
from .proxies import (
    current_billing_service,
    current_datacite_service,
    current_kramerius_service,
    current_oa_service,
    current_storage_service,
    current_workflows_service,
)
from .iiif import tiles as iiif_tiles
from .imports.cli import imports as import_commands
from .oa.cli import oa as oa_commands
from .sso.cli import sso as sso_commands
from .stats.cli import stats as stats_commands
from .billing import formats
from .dois import crypto
from .dois import failures as doi_failures
from .dois import retry as doi_retry
from .dois.accounts import dump_failure, rotate_passwords
from .storage.audit import bucket_unresolved, unresolved
from .units import format_size
from .tenants.errors import TenantError, TenantNotFound
from .tenants.models import TenantModel


def fail(message):
    """Print MESSAGE to stderr and exit 1."""
    click.secho(f"Error: {message}", fg="red", err=True)
    sys.exit(1)


def run(call, *args):
    """Call the service; turn its errors into a message and exit code 1."""
    try:
        return call(system_identity, *args)
    except ValidationError as e:
        fail(f"invalid input: {json.dumps(e.messages, ensure_ascii=False)}")
    except TenantError as e:
        fail(e.message)


def all_slugs():
    """Slugs of every library, in order."""
    return [t["slug"] for t in run(service.search_all)]


def show_json(data):
    """Pretty JSON on stdout."""
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group()
def tenants():
    """Member libraries (tenants) of the consortium."""


@tenants.command("create")
@click.argument("slug")
@click.option("--name-cs", required=True, help="Czech name.")
@click.option("--name-en", required=True, help="English name.")
@click.option("--short-name", required=True)
@click.option("--contact-email", required=True)
@click.option("--ror", default=None)
@click.option("--host", "hosts", multiple=True, help="Custom host name (repeatable).")
@click.option("--email-domain", "email_domains", multiple=True, help="Repeatable.")
@with_appcontext
def create(slug, name_cs, name_en, short_name, contact_email, ror, hosts, email_domains):
    """Create a member library with its community and roles."""
    data = {
        "slug": slug, "names": {"cs": name_cs, "en": name_en}, "short_name": short_name,
        "contact_email": contact_email, "ror": ror, "hosts": list(hosts),
        "email_domains": list(email_domains),
    }
    show_json(run(service.create, data))


@tenants.command("list")
@click.option("-q", "--query", default=None)
@with_appcontext
def list_(query):
    """List member libraries."""
    page, rows = 1, []
    while True:
        result = run(service.search, query, "slug", page, 100)
        rows += result["hits"]["hits"]
        if "next" not in result["links"]:
            break
        page += 1
    for t in rows:
        click.echo(f"{t['slug']:<20} {t['status']:<10} {t['short_name']:<10} {t['names']['en']}")
    click.echo(f"{len(rows)} member libraries")


@tenants.command("show")
@click.argument("slug")
@with_appcontext
def show(slug):
    """Show one member library."""
    show_json(run(service.read, slug))


@tenants.command("update")
@click.argument("slug")
@click.argument("json_data")
@with_appcontext
def update(slug, json_data):
    """Update fields given as JSON, e.g. '{"short_name": "MZK"}'."""
    try:
        data = json.loads(json_data)
    except json.JSONDecodeError as e:
        fail(f"not valid JSON: {e}")
    show_json(run(service.update, slug, data))


@tenants.command("suspend")
@click.argument("slug")
@with_appcontext
def suspend(slug):
    """Suspend a library: no new deposits or uploads, records stay visible."""
    run(service.set_status, slug, "suspended")
    click.echo(f"{slug} suspended")


@tenants.command("resume")
@click.argument("slug")
@with_appcontext
def resume(slug):
    """Resume a suspended library."""
    run(service.set_status, slug, "active")
    click.echo(f"{slug} active")


@tenants.command("delete")
@click.argument("slug")
@click.confirmation_option(prompt="Delete this member library?")
@with_appcontext
def delete(slug):
    """Delete a library that has no records."""
    run(service.delete, slug)
    click.echo(f"{slug} deleted")


def _member_command(name, service_method, help_text):
    """`tenants add-member|remove-member SLUG EMAIL --role ROLE`."""

    @tenants.command(name, help=help_text)
    @click.argument("slug")
    @click.argument("email")
    @click.option("--role", required=True, type=click.Choice(["managers", "curators", "depositors"]))
    @with_appcontext
    def command(slug, email, role):
        show_json(run(getattr(service, service_method), slug, {"email": email, "role": role}))

    return command


add_member = _member_command("add-member", "add_member", "Give a user a role in a library.")
remove_member = _member_command(
    "remove-member", "remove_member", "Take a role in a library from a user."
)


@tenants.command("tiles")
@click.argument("recids", nargs=-1)
@click.option("--all", "all_records", is_flag=True, help="Every published work.")
@click.option("--now", is_flag=True, help="Make them here instead of queueing for the worker.")
@with_appcontext
def tiles(recids, all_records, now):
    """(Re)make the IIIF tiles of published works (their images and PDFs' pages, a PDF
    counted as one image; public and restricted ones apart); tiles of files no longer
    in a work, or of deleted works, are removed."""
    if not recids and not all_records:
        fail("Name the works' ids, or --all.")
    for recid, count in iiif_tiles.regenerate(None if all_records else list(recids), now=now):
        state = "not found" if count is None else f"{count} image(s)"
        click.echo(f"{recid}: {state} {'made' if now else 'queued'}" if count else f"{recid}: {state}")


@tenants.command("load")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def load(path):
    """Create or update the libraries listed in a YAML file (idempotent).

    An entry's `logo:` names a PNG, JPEG or SVG file (relative to the YAML file)
    that becomes the library's logo, as `PUT /api/tenants/<slug>/logo` sets it.
    """
    try:
        with open(path, encoding="utf-8") as f:
            document = yaml.safe_load(f) or {}
    except yaml.YAMLError as e:
        fail(f"{path} is not valid YAML: {e}")
    entries = document.get("tenants") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        fail(f"{path} must have a top-level 'tenants:' list")
    with click.progressbar(entries, label="Loading member libraries") as bar:
        for entry in bar:
            entry = dict(entry)
            members = entry.pop("members", {}) or {}
            workflow = entry.pop("workflow", None)
            logo = entry.pop("logo", None)  # a file, relative to the YAML file
            datacite_account = entry.pop("datacite", None)  # see `tenants datacite set`
            oa_policy = entry.pop("oa_policy", None)  # see `tenants oa set`
            kramerius = entry.pop("kramerius", None)  # PUT /api/tenants/<slug>/kramerius
            try:
                service.read(system_identity, entry.get("slug", ""))
                run(service.update, entry["slug"], entry)
            except TenantNotFound:
                run(service.create, entry)
            if workflow is not None:
                run(current_workflows_service.update, entry["slug"], workflow)
            if datacite_account is not None:
                run(current_datacite_service.set, entry["slug"], datacite_account)
            if oa_policy is not None:
                run(current_oa_service.update, entry["slug"], oa_policy)
            if kramerius is not None:
                run(current_kramerius_service.update, entry["slug"], kramerius)
            if logo is not None:
                logo_path = Path(path).parent / logo
                if not logo_path.is_file():
                    fail(f"{entry['slug']}: logo {logo_path} not found")
                run(service.set_logo, entry["slug"], logo_path.read_bytes())
            for role, emails in members.items():
                for email in emails:
                    run(service.add_member, entry["slug"], {"email": email, "role": role})
    click.echo(f"{len(entries)} member libraries loaded")


def _bar(percent, width=20):
    """A text bar of PERCENT used, for comparing libraries at a glance."""
    if percent is None:
        return " " * width
    filled = min(width, round(width * percent / 100))
    return "█" * filled + "·" * (width - filled)


@tenants.command("quota")
@click.argument("slug")
@click.option("--quota", default=None, help='Storage quota, e.g. "200 GB"; "default" resets.')
@click.option("--max-file-size", default=None, help='Largest file, e.g. "5 GB"; "default" resets.')
@click.option("--max-files", default=None, help='Files per record; "default" resets.')
@with_appcontext
def quota(slug, quota, max_file_size, max_files):
    """Show or set a library's storage limits (consortium administrators)."""
    tenant = run(service.read, slug)
    changes = {
        key: (None if value == "default" else value)
        for key, value in (("quota", quota), ("max_file_size", max_file_size),
                           ("max_files", max_files))
        if value is not None
    }
    if "max_files" in changes and changes["max_files"] is not None:
        try:
            changes["max_files"] = int(changes["max_files"])
        except ValueError:
            fail("--max-files must be a whole number")
    if changes:
        own = {**service.get(slug).storage, **changes}
        tenant = run(service.update, slug, {"storage": own})
    limits = tenant["storage"]
    click.echo(f"{slug}: quota {format_size(limits['quota'])}, "
               f"max file size {format_size(limits['max_file_size'])}, "
               f"max files per record {limits['max_files'] or '-'}")


@tenants.command("export")
@click.argument("slug")
@click.argument("folder", type=click.Path(file_okay=False))
@with_appcontext
def export(slug, folder):
    """Export a library's published records into FOLDER: metadata JSON and files.

    For a library that leaves the consortium: FOLDER/<record id>/record.json (the
    record as the REST API returns it) and files/<key>, listed with their
    checksums in FOLDER/records.json. Restricted records are included.
    """
    tenant = run(service.read, slug)
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        fail(f"{folder} is not empty.")
    found = list(records.scan(system_identity,
                              params={"q": f'parent.communities.ids:"{tenant["community_id"]}"'}))
    listing = []
    with click.progressbar(found, label="Exporting records", file=sys.stderr) as bar:
        for hit in bar:
            record = records.read(system_identity, hit["id"]).to_dict()
            target = folder / record["id"]
            (target / "files").mkdir(parents=True)
            (target / "record.json").write_text(
                json.dumps(record, indent=2, ensure_ascii=False), encoding="utf-8")
            files = []
            if record["files"]["enabled"]:
                for entry in records.files.list_files(system_identity, record["id"]).entries:
                    content = records.files.get_file_content(
                        system_identity, record["id"], entry["key"])
                    digest = hashlib.md5()
                    with content.get_stream("rb") as stream, \
                            open(target / "files" / entry["key"], "wb") as out:
                        for chunk in iter(lambda: stream.read(1 << 20), b""):
                            digest.update(chunk)
                            out.write(chunk)
                    if f"md5:{digest.hexdigest()}" != entry["checksum"]:
                        fail(f"{record['id']}/{entry['key']}: checksum differs from the "
                             "stored one; run `invenio platform check --deep`.")
                    files.append({"key": entry["key"], "size": entry["size"],
                                  "checksum": entry["checksum"]})
            listing.append({"id": record["id"], "title": record["metadata"]["title"],
                            "files": files})
    (folder / "records.json").write_text(json.dumps(
        {"library": slug, "records": listing}, indent=2, ensure_ascii=False), encoding="utf-8")
    click.echo(f"Exported {len(listing)} records and "
               f"{sum(len(r['files']) for r in listing)} files of {slug} into {folder}.")


@tenants.command("usage")
@click.argument("slugs", nargs=-1)
@click.option("--recompute", is_flag=True,
              help="Recount from the database and repair counters; with --check-s3, also "
                   "remove from S3 what no draft or record uses.")
@click.option("--check-s3", is_flag=True, help="Compare with the objects and uploads in S3.")
@click.option("--json", "as_json", is_flag=True, help="Print the full reports as JSON.")
@with_appcontext
def usage(slugs, recompute, check_s3, as_json):
    """Storage usage per library; reconcile counters with the database and S3.

    Exits 1 when a difference remains: counter drift without --recompute;
    S3 bytes not counted in usage (objects of files no draft or record uses,
    objects unknown to the database), missing or mismatched objects, stale or
    oversized multipart uploads. With --recompute --check-s3 the first are
    removed (unknown ones once older than CONSORTIUM_STORAGE_ORPHAN_GRACE).

    Without SLUGS, --check-s3 also accounts for every byte of the bucket:
    the libraries' objects, parts of unfinished uploads, stray multipart
    parts (sent after an upload ended), the platform's own files and unknown
    objects. Stray parts and unknown objects are findings; --recompute
    removes stray parts older than the grace period.
    """
    given, slugs = bool(slugs), slugs or all_slugs()
    reports, findings = [], 0
    with click.progressbar(slugs, label="Checking storage", file=sys.stderr) as bar:
        for slug in bar:
            report = {"usage": run(current_storage_service.usage, slug)}
            if recompute or check_s3:
                report.update(run(current_storage_service.audit, slug, recompute, check_s3))
                report["usage"] = run(current_storage_service.usage, slug)
                findings += unresolved(report)
            report["tenant"] = slug
            reports.append(report)
    bucket = None
    if check_s3 and not given:  # the whole bucket, not only the libraries' prefixes
        bucket = run(current_storage_service.audit_bucket, recompute)
        findings += bucket_unresolved(bucket)
    if as_json:
        show_json({"libraries": reports, "bucket": bucket} if bucket else reports)
    else:
        for report in reports:
            _print_report(report)
        if bucket:
            _print_bucket(bucket)
    sys.exit(1 if findings else 0)


def _print_bucket(report):
    """Every byte of the bucket: the libraries' objects, upload parts, stray ones."""
    def amount(part):
        return f"{part['objects']} objects, {format_size(part['bytes'])} ({part['bytes']} B)"

    reserved, uploads = report["reserved"], report["uploads"]
    click.echo(f"bucket {report['bucket']}: {amount(report)}")
    click.echo(f"    stored under library prefixes: {amount(report['libraries'])}; "
               f"counted in usage: {format_size(report['counted'])} ({report['counted']} B)")
    click.echo(f"    reserved for multipart uploads: {reserved['files']} files, "
               f"{format_size(reserved['bytes'])} ({reserved['bytes']} B) declared; "
               f"{uploads['count']} unfinished uploads hold {format_size(uploads['bytes'])} "
               f"({uploads['bytes']} B)")
    click.echo(f"    parts of unfinished uploads listed as objects: "
               f"{amount(report['upload_parts'])}")
    click.echo(f"    stray multipart parts (sent after the upload ended; in no usage, "
               f"not backed up): {amount(report['stray_multipart'])}")
    for key in report["stray_multipart"]["keys"][:20]:
        click.echo(f"      stray part: {key}")
    click.echo(f"    files of the platform outside the library prefixes (e.g. community "
               f"logos): {amount(report['platform'])}")
    click.echo(f"    unknown objects outside every library prefix: {amount(report['unknown'])}")
    for key in report["unknown"]["keys"][:20]:
        click.echo(f"      unknown: {key}")
    removed = report["removed"]
    if removed["objects"]:
        click.echo(f"    removed {removed['objects']} stray multipart parts "
                   f"({format_size(removed['bytes'])})")
    elif report["stray_multipart"]["objects"]:
        click.echo(f"    stray parts are removed by --recompute --check-s3 once older than "
                   f"{report['grace'] / 3600:g} h")


@tenants.command("submissions")
@click.argument("slugs", nargs=-1)
@click.option("--json", "as_json", is_flag=True, help="Print the counts as JSON.")
@with_appcontext
def submissions(slugs, as_json):
    """Deposits waiting for each library's curators, side by side."""
    slugs = slugs or all_slugs()
    rows = []
    with click.progressbar(slugs, label="Reading queues", file=sys.stderr) as bar:
        for slug in bar:
            queue = run(current_workflows_service.queue, slug, "submitted", 1, 1)
            preset = run(current_workflows_service.read, slug)["preset"]
            rows.append({"tenant": slug, "preset": preset, "counts": queue["counts"]})
    if as_json:
        show_json(rows)
        return
    most = max([r["counts"]["submitted"] for r in rows] + [1])
    click.echo(f"{'library':<14} {'preset':<9} {'waiting':<20} {'':>4}  changes requested, accepted")
    for row in rows:
        counts = row["counts"]
        click.echo(f"{row['tenant']:<14} {row['preset']:<9} "
                   f"{_bar(100 * counts['submitted'] / most)} {counts['submitted']:>4}  "
                   f"{counts['changes_requested']}, {counts['accepted']}")


def _print_report(report):
    use = report["usage"]
    percent = f"{use['percent']:5.1f} %" if use["percent"] is not None else "    - "
    click.echo(f"{report['tenant']:<14} {_bar(use['percent'])} {percent}  "
               f"{format_size(use['bytes']):>9} of {format_size(use['quota']):>9}  {use['files']} files")
    if "actual" in report:
        drift = report["drift"]
        if report["consistent"]:
            click.echo("    counters match the database")
        else:
            state = "repaired" if report.get("repaired") else "not repaired (use --recompute)"
            click.echo(f"    counter drift {drift['bytes']:+d} B, {drift['files']:+d} files; "
                       f"{len(report['uncounted_files'])} uncounted, "
                       f"{len(report['stale_files'])} stale: {state}")
    s3 = report.get("s3")
    if s3 and s3.get("checked"):
        _print_s3(s3)
    elif s3:
        click.echo(f"    S3 not checked: {s3['reason']}")


def _print_s3(s3):
    """The S3 part of a usage report: what S3 holds beyond the counted usage."""
    uncounted, retained, uploads = s3["uncounted"], s3["retained"], s3["uploads"]
    click.echo(f"    S3: {s3['objects']} objects, {format_size(s3['object_bytes'])}; "
               f"not counted in usage: {uncounted['objects']} objects, "
               f"{format_size(uncounted['bytes'])}; missing {len(s3['missing'])}, "
               f"size mismatch {len(s3['size_mismatch'])}")
    removed = s3.get("removed")
    if removed:
        click.echo(f"      removed {removed['objects']} objects ({format_size(removed['bytes'])}), "
                   f"{removed['uploads']} unfinished uploads")
    for label, keys in (("unused:  ", s3["unused"]), ("orphaned:", s3["orphaned"]),
                        ("missing: ", s3["missing"]), ("size:    ", s3["size_mismatch"]),
                        ("stale upload:", uploads["stale"]),
                        ("oversized upload:", uploads["oversized"])):
        for key in keys[:20]:
            click.echo(f"      {label} {key}")
    if s3["recent"]:
        hours = s3["grace"] / 3600
        click.echo(f"      {len(s3['recent'])} unknown to the database but younger than "
                   f"{hours:g} h, kept (uploads may be in flight)")
    if retained["objects"]:
        click.echo(f"      kept for deleted records (restorable): {retained['objects']} "
                   f"objects, {format_size(retained['bytes'])}")
    if uploads["count"]:
        click.echo(f"      unfinished multipart uploads: {uploads['count']}, "
                   f"{format_size(uploads['bytes'])}")
    for upload in uploads.get("pending", [])[:20]:
        click.echo(f"      pending upload: {upload['key']} ({format_size(upload['bytes'])} sent, "
                   f"started {upload['started'][:16]}, aborted after {upload['expires'][:16]})")


tenants.add_command(stats_commands)
tenants.add_command(sso_commands)
tenants.add_command(oa_commands)
tenants.add_command(import_commands)


# --- billing -----------------------------------------------------------------
@tenants.group("snapshots")
def snapshots_group():
    """Daily usage snapshots of the libraries (billing)."""


@snapshots_group.command("take")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]),
              default=None, help="Take the clock as this UTC moment (default: now).")
@with_appcontext
def snapshots_take(now):
    """Snapshot every (library, day) missing up to yesterday (the daily task does it)."""
    result = run(current_billing_service.catch_up_snapshots, now)
    click.echo(f"{result['made']} snapshots taken up to {result['last_day']}")
    for slug, error in sorted(result["failed"].items()):
        click.secho(f"Error: {slug}: {error}", fg="red", err=True)
    if result["failed"]:
        sys.exit(1)


@snapshots_group.command("backfill")
@click.option("--from", "first", required=True, type=click.DateTime(["%Y-%m-%d"]))
@click.option("--to", "last", required=True, type=click.DateTime(["%Y-%m-%d"]))
@with_appcontext
def snapshots_backfill(first, last):
    """Fill the days without a snapshot from FIRST to LAST (existing ones are kept).

    A past day's storage is what the ledger still holds of it: files deleted
    since are not known, so a backfilled day may count less than was stored.
    """
    days = run(current_billing_service.backfill, first.date(), last.date())
    made = 0
    with click.progressbar(days, label="Taking snapshots", file=sys.stderr) as bar:
        for day in bar:
            made += current_billing_service.take_snapshots(system_identity, day)
    click.echo(f"{made} snapshots taken for {len(days)} days")


@tenants.group("billing")
def billing_group():
    """Billing periods (months): close one, issuing every library's statement."""


@billing_group.command("close")
@click.argument("period")
@click.option("--now", type=click.DateTime(["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]),
              default=None, help="Take the clock as this UTC moment (default: now).")
@with_appcontext
def billing_close(period, now):
    """Issue every library's statement of PERIOD (a month, 2026-11) once it is over and
    every library has its daily snapshots; refuses naming the missing days."""
    result = run(current_billing_service.close, period, now)
    click.echo(f"{result['period']}: {result['issued']} statements issued"
               + (f", {result['already']} issued before" if result["already"] else ""))


@tenants.command("statement")
@click.option("--period", required=True, help="2026-11, 2026-Q4 or 2026.")
@click.option("--library", "slug", default=None, help="One library (default: all).")
@click.option("--format", "kind", type=click.Choice(["json", "csv", "html"]), default="json")
@click.option("--language", type=click.Choice(["en", "cs"]), default="en")
@with_appcontext
def statement(period, slug, kind, language):
    """A library's statement, or the summary of all libraries (csv) for a period."""
    if slug is None and kind == "html":
        fail("--format html needs --library")
    with current_app.test_request_context(), force_locale(language):
        if slug is None and kind == "csv":
            click.echo(formats.summary_csv(
                run(current_billing_service.summary, period, language)), nl=False)
            return
        slugs = [slug] if slug else all_slugs()
        data = [run(current_billing_service.statement, s, period) for s in slugs]
        if kind == "json":
            show_json(data[0] if slug else data)
        elif kind == "csv":
            click.echo(formats.statement_csv(data[0]), nl=False)
        else:
            click.echo(formats.statement_html(data[0]))


@tenants.group("datacite")
def datacite():
    """A library's DataCite account (consortium administrators)."""


@datacite.command("set")
@click.argument("slug")
@click.option("--prefix", required=True, help="DOI prefix, e.g. 10.12345.")
@click.option("--repository-id", required=True, help="Repository account, e.g. CZ.NKP.REPO.")
@click.option("--password", prompt=True, hide_input=True,
              help="The repository account's password (asked when omitted).")
@click.option("--test/--production", "test_mode", default=True,
              help="DataCite's test system (default) or production.")
@click.option("--enable/--disable", "enabled", default=True,
              help="Disabled: the library's new works use the consortium's account.")
@with_appcontext
def datacite_set(slug, prefix, repository_id, password, test_mode, enabled):
    """Set SLUG's DataCite account; the password is stored encrypted."""
    show_json(run(current_datacite_service.set, slug, {
        "prefix": prefix, "repository_id": repository_id, "password": password,
        "test_mode": test_mode, "enabled": enabled}))


@datacite.command("show")
@click.argument("slug")
@with_appcontext
def datacite_show(slug):
    """SLUG's DataCite account (never its password)."""
    show_json(run(current_datacite_service.read, slug))


@datacite.command("rotate")
@with_appcontext
def datacite_rotate():
    """Re-encrypt every stored DataCite password with the first key of
    CONSORTIUM_DATACITE_KEYS (put the new key first, rotate, then drop the old key).
    Exits 1 when some password no key can read (set those again)."""
    try:
        rotated, unreadable = rotate_passwords()
    except crypto.MissingKeys as error:
        fail(str(error))
    db.session.commit()
    show_json({"rotated": rotated, "unreadable": unreadable})
    if unreadable:
        fail(f"no key of CONSORTIUM_DATACITE_KEYS decrypts the password of "
             f"{', '.join(unreadable)}: set it again (invenio tenants datacite set)")


@datacite.command("remove")
@click.argument("slug")
@with_appcontext
def datacite_remove(slug):
    """Forget SLUG's account: its new works use the consortium's, if any."""
    show_json(run(current_datacite_service.remove, slug))


@tenants.command("dois")
@click.option("--failed", is_flag=True, required=True,
              help="List the DOIs DataCite has not registered yet.")
@click.option("--retry", is_flag=True, help="Try to register them now.")
@click.argument("slugs", nargs=-1)
@with_appcontext
def dois(failed, retry, slugs):
    """DOIs DataCite refused or missed, per library; exits 1 while some remain."""
    tenant_ids = [service.get(slug).id for slug in slugs] if slugs else None
    if retry:  # every one now, back-off or not; never beside another run
        try:
            done, _left = doi_retry.retry_all(tenant_ids, force=True)
        except doi_retry.RetryRunning as error:
            fail(str(error))
        click.echo(f"{done} DOI operation(s) taken by DataCite", err=True)
    rows = doi_failures.failed(tenant_ids)
    slugs_by_id = {t.id: t.slug for t in (service.get(s) for s in slugs)} if slugs else None
    for row in rows:
        item = dump_failure(row)
        library = (slugs_by_id or {}).get(row.tenant_id) or _slug_of_id(row.tenant_id)
        click.echo(f"{item['doi']}\t{library}\trecord {item['record']}"
                   f"{' (concept)' if item['concept'] else ''}\t{item['attempts']} attempt(s)"
                   f"\t{item['error']}")
    click.echo(f"{len(rows)} DOI(s) not registered", err=True)
    sys.exit(1 if rows else 0)


def _slug_of_id(tenant_id):
    tenant = TenantModel.query.get(tenant_id) if tenant_id else None
    return tenant.slug if tenant else "-"
