"""`invenio platform backup` → wipe everything → `invenio platform restore` reproduces it."""

import hashlib
import json
import re
import time

from helpers import (
    wipe_test_state,
    TEST_BUCKET,
    deposit,
    invoke_cli,
    publish_in_library,
    request_action,
    submit_review,
)


def _consortium_state(app, client, s3):
    """Everything a restore must bring back, read from the database, S3, the index and OAI."""
    from consortium_tenants.storage.models import TenantStorageModel
    from consortium_tenants.tenants.models import TenantModel
    from invenio_db import db
    from invenio_files_rest.models import FileInstance
    from invenio_rdm_records.records.models import RDMDraftMetadata, RDMRecordMetadata
    from invenio_requests.records.models import RequestMetadata

    db.session.expire_all()

    def rows(model):
        return sorted((str(r.id), r.version_id, json.dumps(r.json, sort_keys=True))
                      for r in model.query.filter(model.is_deleted.is_(False)))

    objects = {}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=TEST_BUCKET):
        for item in page.get("Contents", []):
            # S3Proxy's multipart leftovers (.mpus-…) are not the consortium's data: the
            # backup skips them on purpose (counted in its manifest), as the restore does.
            if not item["Key"].endswith("/") and not item["Key"].startswith(".mpus-"):
                body = s3.get_object(Bucket=TEST_BUCKET, Key=item["Key"])["Body"].read()
                objects[item["Key"]] = hashlib.md5(body).hexdigest()
    oai = client.get("/oai2d?verb=ListRecords&metadataPrefix=oai_dc").get_data(as_text=True)
    found = client.get("/api/records", query_string={"size": 100, "sort": "newest"}).json
    return {
        "records": rows(RDMRecordMetadata),
        "drafts": rows(RDMDraftMetadata),
        "requests": sorted((str(r.id), (r.json or {}).get("status"))
                           for r in RequestMetadata.query),
        "tenants": sorted(json.dumps([t.slug, t.names, t.status, t.branding, t.workflow,
                                      t.storage, str(t.community_id)], sort_keys=True)
                          for t in TenantModel.query),  # storage: the quotas
        "usage": sorted((str(u.tenant_id), u.bytes, u.files)
                        for u in TenantStorageModel.query),
        "files": sorted((f.uri, f.size, f.checksum) for f in FileInstance.query),
        "objects": objects,
        "search": sorted(hit["id"] for hit in found["hits"]["hits"]),
        "oai": _without_times(oai),
    }


def _without_times(oai):
    """An OAI-PMH answer without what names the moment it was made: the response date,
    and a resumption token's expiry and value (signed with the time it was issued); its
    list size and cursor stay."""
    oai = re.sub(r"<responseDate>[^<]*</responseDate>", "", oai)
    return re.sub(r"<resumptionToken([^>]*)>[^<]*</resumptionToken>",
                  lambda m: "<resumptionToken {}/>".format(" ".join(sorted(
                      re.findall(r'(?:completeListSize|cursor)="[^"]*"', m.group(1))))), oai)


def _wipe(app, api_app):
    """Lose everything: drop the database, delete the indices, empty the bucket."""
    from invenio_db import db

    db.session.remove()
    wipe_test_state()
    for flask_app in (app, api_app):
        with flask_app.app_context():
            db.engine.dispose()


def test_backup_wipe_restore_reproduces_the_consortium(app, api_app, client, s3, make_tenant,
                                                       tmp_path):
    tenant, people = make_tenant("bak")
    dep, cur, cid = people["depositors"], people["curators"], tenant["community_id"]
    published = deposit(client, dep, cid, title="Published", content=b"published " * 50)
    publish_in_library(client, people, cid, published["id"])
    deposit(client, dep, cid, title="Only a draft", content=b"draft")
    submitted = deposit(client, dep, cid, title="Waiting", content=b"waiting")
    assert submit_review(client, dep, submitted["id"]).status_code == 202
    changes = deposit(client, dep, cid, title="To change", content=b"change me")
    res = submit_review(client, dep, changes["id"])
    assert request_action(client, cur, res.json["id"], "request_changes",
                          "Doplňte abstrakt.").status_code == 200

    before = _consortium_state(app, client, s3)
    assert len(before["objects"]) >= 4 and published["id"] in before["search"]
    assert {"submitted", "accepted", "changes_requested"} <= {s for _, s in before["requests"]}

    started = time.monotonic()
    result = invoke_cli(app, ["platform", "backup", str(tmp_path / "backup")])
    backup_seconds = time.monotonic() - started
    assert result.exit_code == 0, (result.output, result.exception)
    manifest = json.loads((tmp_path / "backup" / "manifest.json").read_text())
    assert {k: o["md5"] for k, o in manifest["objects"].items()} == before["objects"]

    # A second backup into the same folder is refused: nothing is overwritten.
    result = invoke_cli(app, ["platform", "backup", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "is not empty" in result.output

    _wipe(app, api_app)
    started = time.monotonic()
    result = invoke_cli(app, ["platform", "restore", str(tmp_path / "backup")])
    restore_seconds = time.monotonic() - started
    assert result.exit_code == 0, (result.output, repr(result.exception))
    print(f"backup {backup_seconds:.1f} s, restore {restore_seconds:.1f} s, "
          f"{len(before['records'])} records, {len(before['objects'])} objects")

    after = _consortium_state(app, client, s3)
    for key in before:
        assert after[key] == before[key], key

    # Restoring over a live instance is refused.
    result = invoke_cli(app, ["platform", "restore", str(tmp_path / "backup")])
    assert result.exit_code == 1 and "is not empty" in result.output

    result = invoke_cli(app, ["platform", "check", "--deep"])
    assert result.exit_code == 0, result.output


def test_restore_refuses_a_damaged_backup(app, tmp_path):
    folder = tmp_path / "backup"
    assert invoke_cli(app, ["platform", "backup", str(folder)]).exit_code == 0
    dump = folder / "database.dump"
    dump.write_bytes(dump.read_bytes()[:-10])
    result = invoke_cli(app, ["platform", "restore", str(folder)])
    assert result.exit_code == 1
    assert "database.dump does not match the manifest's checksum" in result.output
