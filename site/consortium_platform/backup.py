"""`invenio platform backup DIR` and `invenio platform restore DIR`.

A backup folder holds:

- `database.dump`: `pg_dump --format=custom` of the whole database (one
  snapshot: consistent even while people deposit);
- `s3/<key>`: every object of the bucket (all libraries' prefixes), copied
  after the dump: file instances never change once written, so every object
  the dump names is there (objects written later are harmless extras);
  S3Proxy's `.mpus-…` multipart parts are skipped (counted in the manifest);
- `config/invenio.cfg`: the instance configuration;
- `manifest.json`: when, what, and size + MD5 of every object.

Restore goes into an empty instance: database, then objects (checked against
the manifest), then the search indices, rebuilt from the database.
"""

import glob
import hashlib
import json
import os
import shutil
import subprocess
from datetime import datetime, timezone
from pathlib import Path

from consortium_tenants.storage.audit import MULTIPART_LEFTOVER
from consortium_tenants.storage.s3 import bucket_objects, s3_client
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_indexer.proxies import current_indexer_registry
from invenio_records_resources.proxies import current_service_registry
from invenio_search import current_search_client
from invenio_search.utils import prefix_index
from sqlalchemy import inspect
from sqlalchemy_utils import create_database, database_exists

MANIFEST = "manifest.json"
DUMP = "database.dump"


class BackupError(Exception):
    """A backup or restore step failed; the message says which and why."""


def postgres_tool(name):
    """Path of a PostgreSQL client program (Debian's /usr/lib/postgresql/<v>/bin first)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
                   key=lambda p: int(Path(p).parts[-3]))
    path = found[-1] if found else shutil.which(name)
    if not path:
        raise BackupError(f"{name} not found: install the postgresql-client package.")
    return path


def _connection_args():
    """pg_dump/pg_restore arguments and environment for the configured database."""
    url = db.engine.url
    args = ["--host", url.host or "127.0.0.1", "--port", str(url.port or 5432),
            "--username", url.username, "--dbname", url.database]
    return args, {**os.environ, "PGPASSWORD": url.password or ""}


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {result.stderr.strip()}")


def _bucket():
    return current_app.config["CONSORTIUM_S3_BUCKET"]


def bucket_keys():
    """Keys of the objects to back up, and {objects, bytes} of the multipart parts skipped.

    Not S3Proxy's folder markers, nor the parts its file system backend keeps
    as `.mpus-…` objects (of unfinished uploads, or stray ones sent after an
    upload ended): no file instance refers to them and a restore cannot use them.
    """
    keys, skipped = [], {"objects": 0, "bytes": 0}
    for key, item in sorted(bucket_objects(_bucket()).items()):
        if key.startswith(MULTIPART_LEFTOVER):
            skipped["objects"] += 1
            skipped["bytes"] += item["size"]
        else:
            keys.append(key)
    return keys, skipped


def md5_of(path):
    digest = hashlib.md5()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup(folder, progress):
    """Write a backup into FOLDER (new or empty); PROGRESS wraps the object keys. The manifest."""
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty.")
    (folder / "s3").mkdir(parents=True)
    started = datetime.now(timezone.utc)
    args, env = _connection_args()
    db.session.commit()  # no transaction of ours holds locks during the dump
    _run([postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-acl",
          "--file", str(folder / DUMP), *args], env)
    client, objects = s3_client(), {}
    to_copy, skipped = bucket_keys()
    with progress(to_copy) as keys:
        for key in keys:
            target = folder / "s3" / key
            target.parent.mkdir(parents=True, exist_ok=True)
            client.download_file(_bucket(), key, str(target))
            objects[key] = {"size": target.stat().st_size, "md5": md5_of(target)}
    (folder / "config").mkdir()
    config = Path(current_app.instance_path) / "invenio.cfg"
    if config.exists():
        shutil.copyfile(config.resolve(), folder / "config" / "invenio.cfg")
    manifest = {
        "format": 1,
        "started": started.isoformat(),
        "finished": datetime.now(timezone.utc).isoformat(),
        "database": {"file": DUMP, "name": db.engine.url.database,
                     "md5": md5_of(folder / DUMP)},
        "bucket": _bucket(),
        "objects": objects,
        "bytes": sum(o["size"] for o in objects.values()),
        "skipped_multipart_parts": skipped,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def read_manifest(folder):
    """The backup's manifest, its database dump checked against it."""
    path = Path(folder) / MANIFEST
    if not path.exists():
        raise BackupError(f"{path} not found: not a backup folder.")
    manifest = json.loads(path.read_text())
    if md5_of(Path(folder) / DUMP) != manifest["database"]["md5"]:
        raise BackupError(f"{DUMP} does not match the manifest's checksum.")
    return manifest


def restore_database(folder):
    """Load the dump into the configured database, which must be empty."""
    url = db.engine.url
    if not database_exists(url):
        create_database(url)
    elif inspect(db.engine).get_table_names():
        raise BackupError(f"Database {url.database} is not empty: restore needs an empty "
                          "instance.")
    db.session.remove()
    args, env = _connection_args()
    _run([postgres_tool("pg_restore"), "--no-owner", "--no-acl", "--exit-on-error",
          *args, str(Path(folder) / DUMP)], env)


def restore_objects(folder, manifest, progress):
    """Upload the objects into the bucket (created if needed), each checked first."""
    client, bucket = s3_client(), _bucket()
    if bucket not in {b["Name"] for b in client.list_buckets()["Buckets"]}:
        client.create_bucket(Bucket=bucket)
    with progress(sorted(manifest["objects"].items())) as items:
        for key, expected in items:
            source = Path(folder) / "s3" / key
            if not source.exists() or md5_of(source) != expected["md5"]:
                raise BackupError(f"Object {key} is missing or damaged in the backup.")
            client.upload_file(str(source), bucket, key)


def rebuild_indices():
    """Index everything from the database, as `invenio rdm rebuild-all-indices` + `index run`."""
    for service in current_service_registry._services.values():
        if hasattr(service, "rebuild_index"):
            try:
                service.rebuild_index(system_identity)
            except NotImplementedError:
                continue
    for indexer in current_indexer_registry.all().values():
        indexer.process_bulk_queue()
    # Searchable when the restore says it is done (not at the next refresh interval).
    current_search_client.indices.refresh(index=prefix_index("*"))
