"""A source without OAI-PMH (issue 28): a CSV of items with their files in a BagIt bag
(RFC 8493), imported by `invenio tenants import bag`; the bag's manifests are verified
before anything is read (a tampered or unlisted file fails the run, nothing written); each
row ends in its state with its reason; a second run changes nothing."""

import csv
import hashlib
import io

from helpers import browser_of, invoke_cli

PAPER = b"%PDF-1.4 " + b"x" * 50_000
HEADER = ["id", "title", "creators", "date", "type", "language", "subjects",
          "description", "rights", "publisher", "identifiers", "files"]
ROWS = [
    ["kniha-1", "Kronika města", "Novák, Jan; Malá, Eva", "1923", "book", "cs",
     "kroniky; města", "Kronika z let 1900–1923.",
     "https://creativecommons.org/licenses/by/4.0/", "Městská knihovna",
     "https://doi.org/10.5555/kronika.1", "kronika.pdf"],
    ["clanek-2", "Článek bez souborů", "Dvořák, Petr", "2020-05", "article", "cs", "", "",
     "", "", "", ""],
    ["chybi-3", "Chybějící soubor", "Svoboda, Karel", "2021", "report", "cs", "", "", "",
     "", "", "neni-v-balicku.pdf"],
    ["bez-autora-4", "Bez autora", "", "2022", "report", "cs", "", "", "", "", "", ""],
]


def make_bag(root, payload=None):
    """A BagIt bag at ROOT with data/metadata.csv (ROWS) and PAYLOAD (path → bytes),
    both manifests (md5, sha256) listing every payload file."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(ROWS)
    payload = {"metadata.csv": out.getvalue().encode(), **(payload or {
        "kronika.pdf": PAPER})}
    for name, content in payload.items():
        (root / "data" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "data" / name).write_bytes(content)
    (root / "bagit.txt").write_text("BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")
    for algorithm in ("md5", "sha256"):
        (root / f"manifest-{algorithm}.txt").write_text("".join(
            f"{hashlib.new(algorithm, content).hexdigest()}  data/{name}\n"
            for name, content in payload.items()))
    return root


def run_bag(app, people, slug, folder, *args):
    return invoke_cli(app, ["tenants", "import", "bag", slug, str(folder), "--bypass-review",
                            *args, "--as", people["managers_user"].email])


def test_a_bag_of_items_comes_in_with_its_files_and_every_row_in_a_state(
        app, make_tenant, tmp_path):
    tenant, people = make_tenant("imp-bag")
    slug, client = tenant["slug"], app.test_client()
    folder = make_bag(tmp_path / "bag")
    result = run_bag(app, people, slug, folder)
    assert result.exit_code == 0, result.output
    assert "created 2, updated 0, unchanged 0, deleted 0, failed 2" in result.output
    run_id = result.output.split("Run ", 1)[1].split(":", 1)[0]
    items = {i["source_id"]: i for i in client.get(
        f"/api/tenants/{slug}/imports/{run_id}/items", headers=people["managers"]
    ).json["items"]}
    assert items["chybi-3"]["state"] == "failed"
    assert "neni-v-balicku.pdf: not in the bag's data/" in items["chybi-3"]["reason"]
    assert items["bez-autora-4"]["state"] == "failed"
    assert items["bez-autora-4"]["reason"] == "no creator (column creators)"
    assert items["kniha-1"]["original"].startswith("id,title,creators")  # the CSV row
    work = client.get(f"/api/records/{items['kniha-1']['record']}").json
    assert work["metadata"]["title"] == "Kronika města"
    assert [c["person_or_org"]["family_name"] for c in work["metadata"]["creators"]] == [
        "Novák", "Malá"]
    assert work["metadata"]["resource_type"]["id"] == "publication-book"
    assert {"identifier": "10.5555/kronika.1", "scheme": "doi"} in \
        work["metadata"]["identifiers"]
    (entry,) = client.get(f"/api/records/{work['id']}/files").json["entries"]
    assert (entry["key"], entry["size"], entry["checksum"]) == (
        "kronika.pdf", len(PAPER), "md5:" + hashlib.md5(PAPER).hexdigest())
    page = browser_of(app, people["managers_user"]).get(f"/libraries/{slug}/imports/{run_id}")
    assert page.status_code == 200 and str(folder) in page.get_data(as_text=True)

    # the same bag again: nothing changes
    again = run_bag(app, people, slug, folder)
    assert "created 0, updated 0, unchanged 2, deleted 0, failed 2" in again.output


def test_a_bag_that_does_not_verify_fails_the_run_and_writes_nothing(
        app, make_tenant, tmp_path):
    tenant, people = make_tenant("imp-bag-bad")
    slug, client = tenant["slug"], app.test_client()
    tampered = make_bag(tmp_path / "tampered")
    (tampered / "data" / "kronika.pdf").write_bytes(PAPER + b"!")
    unlisted = make_bag(tmp_path / "unlisted")
    (unlisted / "data" / "navic.pdf").write_bytes(b"%PDF navic")
    no_bag = tmp_path / "folder"
    (no_bag / "data").mkdir(parents=True)
    for folder, reason in ((tampered, "data/kronika.pdf: its md5 checksum differs"),
                           (unlisted, "data/navic.pdf is in the bag but not in manifest-md5"),
                           (no_bag, "no bagit.txt")):
        result = run_bag(app, people, slug, folder)
        assert result.exit_code == 1 and reason in result.output, result.output
    runs = client.get(f"/api/tenants/{slug}/imports", headers=people["managers"]).json
    assert [r["status"] for r in runs["runs"]] == ["failed"] * 3
    assert all(sum(r["counts"].values()) == 0 for r in runs["runs"])
    assert client.get(f"/api/communities/{tenant['community_id']}/records").json[
        "hits"]["total"] == 0
