"""What a newcomer sees after `make run`, checked over HTTP from outside the app.

Every request goes to the web app on 127.0.0.1 with the Host header of the
site it is meant for (Python does not resolve `*.localhost` itself). Exits 1
with one line per failed check.
"""

import os
import re
import sys
from pathlib import Path

import requests
import yaml

ROOT = Path(__file__).resolve().parents[1]
PORT = int(os.environ.get("WEB_PORT", 5000))
BASE = f"http://127.0.0.1:{PORT}"
PASSWORD = "demo-Heslo-2026"  # README: demo users' password
PENDING_TITLE = "Kronika obce Bílovice"  # the deposit waiting in MZK's queue
LIBRARIES = yaml.safe_load((ROOT / "app_data" / "tenants.yaml").read_text("utf-8"))["tenants"]

failures = []


def check(what, condition, detail=""):
    print(("ok    " if condition else "FAIL  ") + what + ("" if condition else f": {detail}"))
    if not condition:
        failures.append(what)


def get(session, path, host=None, headers=None):
    """GET PATH on HOST, following redirects on the same host."""
    headers = {**(headers or {}), **({"Host": f"{host}:{PORT}"} if host else {})}
    for _ in range(5):
        res = session.get(BASE + path, headers=headers, allow_redirects=False, timeout=60)
        if res.status_code not in (301, 302, 303, 307, 308):
            return res
        path = re.sub(r"^https?://[^/]+", "", res.headers["Location"])
    return res


def login(session, email, host):
    """Log EMAIL in on HOST through the login form; True when the session is a user's."""
    form = get(session, "/login/", host)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form.text)
    res = session.post(
        f"{BASE}/login/", headers={"Host": f"{host}:{PORT}", "Referer": f"http://{host}/login/"},
        data={"email": email, "password": PASSWORD, "csrf_token": token and token.group(1)},
        allow_redirects=False, timeout=60,
    )
    uploads = get(session, "/me/uploads", host)  # anonymous people go to /login/
    return res.status_code in (302, 303) and uploads.status_code == 200 \
        and "/login/" not in uploads.url and email in uploads.text


def _library_records(session, slug):
    """The published records of a library's community (REST, anonymous)."""
    json = {"Accept": "application/json"}
    found = get(session, f"/api/communities?q=slug:{slug}", headers=json)
    hits = found.json()["hits"]["hits"] if found.ok else []
    if not hits:
        return []
    records = get(session, f"/api/communities/{hits[0]['id']}/records?size=50", headers=json)
    return records.json()["hits"]["hits"] if records.ok else []


def main():
    anonymous = requests.Session()
    home = get(anonymous, "/")
    check("consortium home page answers 200", home.status_code == 200, home.status_code)

    for library in LIBRARIES:
        host = f"{library['slug']}.localhost"
        page = get(anonymous, "/", host)
        names = library["names"]
        check(f"{host} shows the library's name",
              page.status_code == 200 and (names["cs"] in page.text or names["en"] in page.text),
              f"{page.status_code}, name not in page")

    records = get(anonymous, "/api/records", headers={"Accept": "application/json"})
    total = records.json()["hits"]["total"] if records.ok else None
    check("/api/records lists the demo records (2 per library)",
          records.ok and total >= 2 * len(LIBRARIES), f"{records.status_code}, total {total}")

    for library in LIBRARIES:
        prefix = (library.get("datacite") or {}).get("prefix")
        if not prefix:
            continue
        own = _library_records(anonymous, library["slug"])
        dois = [h.get("pids", {}).get("doi", {}).get("identifier", "") for h in own]
        check(f"{library['slug']}'s published works have DOIs under its own prefix {prefix}",
              own and all(d.startswith(prefix + "/") for d in dois), dois)

    for library in LIBRARIES:  # the digitised work: its pages in a IIIF manifest, and the viewer
        scans = [h for h in _library_records(anonymous, library["slug"])
                 if h["metadata"]["resource_type"]["id"] == "publication-book"]
        manifest = get(anonymous, f"/api/iiif/3/record:{scans[0]['id']}/manifest") \
            if scans else None
        pages = len(manifest.json()["items"]) if manifest is not None and manifest.ok else 0
        check(f"{library['slug']}'s digitised work has a IIIF manifest of its pages",
              pages == 8, pages)
    viewer = get(anonymous, "/static/vendor/mirador/mirador.min.js")
    check("the IIIF viewer (Mirador) is served", viewer.status_code == 200, viewer.status_code)

    libraries = get(anonymous, "/libraries")
    check("/libraries lists every member library",
          libraries.status_code == 200 and all(
              lib["names"]["cs"] in libraries.text or lib["names"]["en"] in libraries.text
              for lib in LIBRARIES), libraries.status_code)

    sushi = get(anonymous, "/api/sushi/r51/status", headers={"Accept": "application/json"})
    check("the SUSHI status endpoint answers", sushi.status_code == 200, sushi.status_code)

    oai = get(anonymous, "/oai2d?verb=Identify", "mzk.localhost")
    check("MZK's OAI-PMH Identify names the library",
          oai.status_code == 200 and "<Identify>" in oai.text
          and LIBRARIES[0]["names"]["en"] in oai.text, oai.text[:200])

    curator = requests.Session()
    check("curator@mzk.example logs in on mzk.localhost",
          login(curator, "curator@mzk.example", "mzk.localhost"))
    queue = get(curator, "/api/tenants/mzk/submissions?status=submitted", "mzk.localhost",
                headers={"Accept": "application/json"})
    titles = [hit.get("title") or str(hit) for hit in queue.json().get("hits", {}).get(
        "hits", [])] if queue.ok else []
    check("MZK's curators' queue holds the pending deposit",
          any(PENDING_TITLE in t for t in titles), f"{queue.status_code}, {titles}")
    page = get(curator, "/libraries/mzk/submissions", "mzk.localhost")
    check("the queue page shows it", page.status_code == 200 and PENDING_TITLE in page.text,
          page.status_code)

    if failures:
        print(f"\n{len(failures)} smoke check(s) failed", file=sys.stderr)
        sys.exit(1)
    print("\nsmoke check passed")


if __name__ == "__main__":
    main()
