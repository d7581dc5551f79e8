"""A CSV of items with their files in a BagIt bag (RFC 8493): a source without OAI-PMH.

The bag is a folder on the server (an operator's command: `invenio tenants import bag`):
`bagit.txt` (the declaration), `manifest-<algorithm>.txt` (md5, sha1, sha256 or sha512:
one line `<checksum> <path>` per payload file) and the payload in `data/`, whose
`metadata.csv` (UTF-8, a header row) lists the items, one a row:

    id, title, creators, date, type, language, subjects, description, rights, publisher,
    identifiers, files

`id` names the item (its source id), `creators`, `subjects`, `identifiers` and `files`
hold several values separated by `;` (creators "Family, Given"), `files` paths inside
`data/`. The values map as Dublin Core's do (dublincore.map_oai_dc): a row without title,
creator or date fails with that reason.

Before any item is read the bag is validated: the declaration, every manifest's checksum
of every file it lists (read in chunks), and every payload file listed; a bag that is not
valid fails the run naming what is wrong, nothing written. A file the CSV names that is
not in the bag fails its item. The MD5 of each file (from `manifest-md5.txt`, else
computed) goes with its entry, and the stored file is compared with it, as for an OAI
source's checksums.
"""

import csv
import hashlib
import io
from pathlib import Path

from .dublincore import map_oai_dc, unique_keys

ALGORITHMS = ("md5", "sha1", "sha256", "sha512")
CSV_NAME = "metadata.csv"
COLUMNS = {  # CSV column → Dublin Core element (several values: ";"-separated)
    "title": ("title", False), "creators": ("creator", True), "date": ("date", False),
    "type": ("type", False), "language": ("language", True),
    "subjects": ("subject", True), "description": ("description", False),
    "rights": ("rights", False), "publisher": ("publisher", False),
    "identifiers": ("identifier", True),
}
CHUNK = 1 << 20
PROBLEMS = {  # Dublin Core's reasons, in the CSV's words
    "no dc:title": "no title (column title)",
    "no dc:creator": "no creator (column creators)",
    "no dc:date in the form YYYY[-MM[-DD]]": "no date (column date) in the form "
                                             "YYYY[-MM[-DD]]",
}
BAG_SCHEME = "bag:"
"""A file entry's address inside the run's bag (`bag:data/<path>`, opened by files.py)."""


class BagProblem(Exception):
    """The bag is not valid (the run fails with this reason)."""


def _digest(path, algorithm):
    hashed = hashlib.new(algorithm)
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            hashed.update(chunk)
    return hashed.hexdigest()


def validate(folder):
    """{payload path: md5} of the valid bag at FOLDER; BagProblem otherwise."""
    root = Path(folder)
    declaration = root / "bagit.txt"
    if not declaration.is_file():
        raise BagProblem(f"{root}: no bagit.txt, not a BagIt bag")
    text = declaration.read_text("utf-8", errors="replace")
    if "BagIt-Version:" not in text or "Tag-File-Character-Encoding:" not in text:
        raise BagProblem("bagit.txt does not declare BagIt-Version and "
                         "Tag-File-Character-Encoding")
    payload = {p.relative_to(root).as_posix() for p in (root / "data").rglob("*")
               if p.is_file()}
    manifests = [a for a in ALGORITHMS if (root / f"manifest-{a}.txt").is_file()]
    if not manifests:
        raise BagProblem("the bag has no payload manifest (manifest-<algorithm>.txt)")
    md5 = {}
    for algorithm in manifests:
        listed = {}
        lines = (root / f"manifest-{algorithm}.txt").read_text("utf-8").splitlines()
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            checksum, _, path = line.strip().partition(" ")
            path = path.strip().lstrip("*")
            if not checksum or not path.startswith("data/") or ".." in Path(path).parts:
                raise BagProblem(f"manifest-{algorithm}.txt line {number} is not "
                                 "'<checksum> data/<path>'")
            listed[path] = checksum.lower()
        for path, checksum in sorted(listed.items()):
            if path not in payload:
                raise BagProblem(f"{path} is in manifest-{algorithm}.txt but not in the bag")
            if _digest(root / path, algorithm) != checksum:
                raise BagProblem(f"{path}: its {algorithm} checksum differs from "
                                 f"manifest-{algorithm}.txt")
        unlisted = sorted(payload - set(listed))
        if unlisted:
            raise BagProblem(f"{unlisted[0]} is in the bag but not in "
                             f"manifest-{algorithm}.txt")
        if algorithm == "md5":
            md5 = listed
    return {path: md5.get(path) or _digest(root / path, "md5") for path in payload}


class Row:
    """One CSV row as the import reads a harvested record: header, raw text, content."""

    class Header:
        def __init__(self, identifier):
            self.identifier, self.datestamp, self.deleted = identifier, None, False

    def __init__(self, values, raw):
        self.header = self.Header(values.get("id", "").strip())
        self.raw, self.xml = raw, values  # `xml`: what the format's read() is given


def rows(folder):
    """The Rows of the bag's metadata.csv (the bag validated first: BagProblem)."""
    checksums = validate(folder)
    path = Path(folder) / "data" / CSV_NAME
    if not path.is_file():
        raise BagProblem(f"the bag has no data/{CSV_NAME}")
    text = path.read_text("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text))
    missing = {"id", "title"} - set(reader.fieldnames or [])
    if missing:
        raise BagProblem(f"data/{CSV_NAME} has no column {', '.join(sorted(missing))}")
    found = []
    for values in reader:
        out = io.StringIO()
        csv.DictWriter(out, fieldnames=reader.fieldnames).writerow(values)
        values = {key: (value or "") for key, value in values.items() if key}
        values["_bag"], values["_checksums"] = str(Path(folder).resolve()), checksums
        row = Row(values, ",".join(reader.fieldnames) + "\n" + out.getvalue())
        if row.header.identifier:
            found.append(row)
    return found


def _split(value):
    return [part.strip() for part in value.split(";") if part.strip()]


def read(values, source_id, licences=None):
    """(metadata, files, problems) of a CSV row (Row.xml), as every format module."""
    fields = {}
    for column, (element, several) in COLUMNS.items():
        value = values.get(column, "")
        fields[element] = _split(value) if several else ([value] if value.strip() else [])
    metadata, problems = map_oai_dc(fields, source_id, licences)
    if problems:
        return None, [], [PROBLEMS.get(problem, problem) for problem in problems]
    root, checksums, files = Path(values["_bag"]), values["_checksums"], []
    for name in _split(values.get("files", "")):
        path = f"data/{name.lstrip('/')}"
        if path not in checksums or ".." in Path(name).parts:
            return None, [], [f"{name}: not in the bag's data/"]
        md5 = checksums[path]
        files.append({"key": Path(name).name, "url": f"{BAG_SCHEME}{path}",
                      "size": (root / path).stat().st_size, "checksum": f"md5:{md5}",
                      "mimetype": None})
    return metadata, unique_keys(files), []
