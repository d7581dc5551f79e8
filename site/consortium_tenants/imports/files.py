"""A source item's files, fetched from the old repository and streamed into the work.

Each file is opened first (`open_files`: the status and length of every file are known
before anything is written: a file that cannot be fetched — 404, timeout, connection
refused — fails its item before a draft exists), then read in chunks straight into
the draft's file through InvenioRDM's draft files service (`Download.read`: never
whole in memory); the files service's storage computes the MD5 the import compares
with the source's.

A file entry, as the format modules give it: {"key", "url", "size" (bytes or None),
"checksum" ("md5:<hex>" or None), "mimetype" (or None)}.
"""

from pathlib import Path
from urllib.parse import urljoin

import requests

from .schema import public_address

TIMEOUT = (10, 60)  # connecting, and between two chunks of a download
REDIRECTS = 5


class FileProblem(Exception):
    """A file of the item could not be fetched or is not what the source says."""


def changed(entries, stored):
    """The ENTRIES (source files) that differ from STORED ({key: {"size", "checksum"}},
    the work's files): new keys, or a size or checksum the source states and the work's
    file does not have."""
    different = []
    for entry in entries:
        have = stored.get(entry["key"])
        if have is None:
            different.append(entry)
        elif entry.get("size") is not None and entry["size"] != have.get("size"):
            different.append(entry)
        elif entry.get("checksum") and entry["checksum"] != have.get("checksum"):
            different.append(entry)
    return different


class Download:
    """An open download: its length, and `read(n)` for the files service."""

    def __init__(self, entry, response):
        self.entry, self.response = entry, response
        length = response.headers.get("Content-Length")
        self.length = int(length) if length and length.isdigit() else None
        if entry.get("size") is not None and self.length is not None \
                and self.length != entry["size"]:
            self.close()
            raise FileProblem(f"{entry['key']}: the source says {entry['size']} bytes, "
                              f"its server sends {self.length}")
        self.size = entry["size"] if entry.get("size") is not None else self.length

    def read(self, size=-1):
        try:
            return self.response.raw.read(None if size is None or size < 0 else size,
                                          decode_content=True)
        except requests.RequestException as error:
            raise OSError(f"{self.entry['url']}: {error}") from error
        except Exception as error:  # urllib3's timeouts and protocol errors
            raise OSError(f"{self.entry['url']}: {type(error).__name__}: {error}") from error

    def close(self):
        self.response.close()


def _get(session, url, private):
    """The response of URL (redirects followed, each address checked), streamed."""
    for _hop in range(REDIRECTS + 1):
        if not private and not public_address(url):
            raise FileProblem(f"{url}: not a public address")
        response = session.get(url, stream=True, timeout=TIMEOUT, allow_redirects=False,
                               headers={"Accept-Encoding": "identity"})
        if response.is_redirect and response.headers.get("Location"):
            response.close()
            url = urljoin(url, response.headers["Location"])
            continue
        return response
    raise FileProblem(f"{url}: more than {REDIRECTS} redirects")


class LocalFile:
    """A file of a bag on the server's disk, read as a Download is."""

    def __init__(self, entry, path):
        self.entry, self.stream = entry, open(path, "rb")  # noqa: SIM115 - closed by close()
        self.size = self.length = path.stat().st_size
        if entry.get("size") is not None and entry["size"] != self.size:
            self.close()
            raise FileProblem(f"{entry['key']}: the bag says {entry['size']} bytes, the "
                              f"file has {self.size}")

    def read(self, size=-1):
        return self.stream.read(None if size is None or size < 0 else size)

    def close(self):
        self.stream.close()


def _local(entry, folder):
    """The LocalFile of a `bag:data/<path>` ENTRY inside FOLDER."""
    relative = entry["url"][len("bag:"):]
    path = (Path(folder) / relative).resolve() if folder else None
    if path is None or Path(folder).resolve() not in path.parents or not path.is_file():
        raise FileProblem(f"{entry['key']} ({relative}) is not in the bag")
    return LocalFile(entry, path)


def open_files(entries, private=False, session=None, folder=None):
    """The open Downloads of ENTRIES; FileProblem (all closed) when one cannot be fetched.
    PRIVATE allows addresses of the platform's own network (an operator's test source);
    FOLDER is the bag whose files (`bag:` addresses) are read from the disk."""
    session = session or requests.Session()
    opened = []
    try:
        for entry in entries:
            if entry["url"].startswith("bag:"):
                opened.append(_local(entry, folder))
                continue
            try:
                response = _get(session, entry["url"], private)
            except requests.RequestException as error:
                raise FileProblem(f"{entry['key']} ({entry['url']}) could not be fetched: "
                                  f"{type(error).__name__}") from error
            if response.status_code != 200:
                response.close()
                raise FileProblem(f"{entry['key']} ({entry['url']}) could not be fetched: "
                                  f"HTTP {response.status_code}")
            opened.append(Download(entry, response))
    except Exception:
        close_all(opened)
        raise
    return opened


def close_all(downloads):
    for download in downloads:
        download.close()
