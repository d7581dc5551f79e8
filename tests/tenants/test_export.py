"""`invenio tenants export SLUG DIR`: a leaving library takes its records and files."""

import hashlib
import json

from helpers import deposit, invoke_cli, publish_in_library


def test_export_writes_the_librarys_records_and_files_only(app, client, make_tenant, tmp_path):
    leaving, people = make_tenant("exp")
    other, other_people = make_tenant("stay")
    cid = leaving["community_id"]
    first = deposit(client, people["depositors"], cid, title="První", content=b"first " * 30)
    first = publish_in_library(client, people, cid, first["id"])
    second = deposit(client, people["depositors"], cid, title="Druhý", content=b"second")
    second = publish_in_library(client, people, cid, second["id"])
    deposit(client, people["depositors"], cid, title="Unpublished draft", content=b"draft")
    theirs = deposit(client, other_people["depositors"], other["community_id"], title="Jiná")
    publish_in_library(client, other_people, other["community_id"], theirs["id"])
    from invenio_search.proxies import current_search_client

    current_search_client.indices.refresh()

    folder = tmp_path / "export"
    result = invoke_cli(app, ["tenants", "export", leaving["slug"], str(folder)])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    assert f"Exported 2 records and 2 files of {leaving['slug']}" in result.stdout

    listing = json.loads((folder / "records.json").read_text())
    assert sorted(r["id"] for r in listing["records"]) == sorted([first["id"], second["id"]])
    for record, content in ((first, b"first " * 30), (second, b"second")):
        saved = json.loads((folder / record["id"] / "record.json").read_text())
        assert saved["metadata"]["title"] == record["metadata"]["title"]
        assert (folder / record["id"] / "files" / "work.pdf").read_bytes() == content
        [entry] = next(r for r in listing["records"] if r["id"] == record["id"])["files"]
        assert entry["checksum"] == f"md5:{hashlib.md5(content).hexdigest()}"

    result = invoke_cli(app, ["tenants", "export", leaving["slug"], str(folder)])
    assert result.exit_code == 1 and "is not empty" in result.output
    result = invoke_cli(app, ["tenants", "export", "no-such-library", str(tmp_path / "x")])
    assert result.exit_code == 1 and "no-such-library" in result.output
