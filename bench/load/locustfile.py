"""Locust users of the load bench: what visitors, harvesters, depositors and curators do.

Every request goes to 127.0.0.1 with the Host of the site it is meant for
(`<slug>.localhost:<port>` for a library). bench/load/run.py fills RECORDS
([{id, slug, file}]) and TOKENS ({role@slug: token}) and sets the think time.
"""

import itertools
import os
import random
import re
import threading

from locust import HttpUser, between, tag, task

RECORDS = []
TOKENS = {}
SLUGS = ["mzk"]
REVIEWED = "mzk"  # the demo library whose curators review every deposit
AGREEMENT_FIELD = "consortium:deposit_agreement"
QUERIES = ["", "knihovny", "libraries", "data", "kronika", "open"]
FACETS = ["", "&resource_type=publication", "&access_status=open", "&language=ces"]
JSON = {"Accept": "application/json"}

# Deposits counted across users: submitted by depositors, accepted by curators.
LEDGER = {"submitted": set(), "accepted": set(), "lock": threading.Lock()}


class Visit(HttpUser):
    """Someone (or a crawler) browsing: front pages, searches, landing pages, files."""

    abstract = True
    wait_time = between(1, 3)
    numbers = itertools.count(1)

    def on_start(self):
        # each simulated person is a client of its own (the rate limiter tells clients
        # apart by user agent + address, and all of them come from 127.0.0.1)
        self.client.headers["User-Agent"] = (
            f"Mozilla/5.0 (X11; Linux x86_64) consortium-load-bench/{next(self.numbers)}")

    def port(self):
        return self.host.rsplit(":", 1)[-1]

    def on(self, slug):
        """Headers of a request to SLUG's site (None: the consortium's)."""
        return {"Host": f"{slug}.localhost:{self.port()}"} if slug else {}

    def record(self):
        return random.choice(RECORDS)


class Visitor(Visit):
    """Anonymous reader."""

    weight = 6

    @tag("read")
    @task(2)
    def consortium_home(self):
        self.client.get("/", name="page: consortium home")

    @tag("read")
    @task(2)
    def library_home(self):
        slug = random.choice(SLUGS)
        self.client.get(f"/communities/{slug}/records", headers=self.on(slug),
                        name="page: library home")

    @tag("read")
    @task(3)
    def search(self):
        q, facet = random.choice(QUERIES), random.choice(FACETS)
        self.client.get(f"/api/records?q={q}&size=10&sort=bestmatch{facet}", headers=JSON,
                        name="api: search with facets")

    @tag("read")
    @task(1)
    def library_search(self):
        slug = random.choice(SLUGS)
        self.client.get(f"/api/communities/{slug}/records?q=&size=10{random.choice(FACETS)}",
                        headers={**JSON, **self.on(slug)}, name="api: library search")

    @tag("read")
    @task(1)
    def search_page(self):
        self.client.get(f"/search?q={random.choice(QUERIES)}", name="page: search")

    @tag("read")
    @task(3)
    def landing_page(self):
        rec = self.record()
        self.client.get(f"/records/{rec['id']}", headers=self.on(rec["slug"]),
                        name="page: record landing")

    @tag("read")
    @task(1)
    def download(self):
        """The file link answers with a redirect to a presigned S3 URL, then fetched."""
        rec = self.record()
        if not rec.get("file"):
            return
        with self.client.get(f"/records/{rec['id']}/files/{rec['file']}?download=1",
                             headers=self.on(rec["slug"]), allow_redirects=False,
                             name="file: download link", catch_response=True) as res:
            if res.status_code != 302:
                return res.failure(f"{res.status_code}, expected a redirect to S3")
            location = res.headers["Location"]
        # the presigned URL is signed for the S3 host: no library Host header there
        self.client.get(location, name="file: S3 object (presigned)")

    @tag("read")
    @task(1)
    def static(self):
        self.client.get("/static/favicon.ico", name="static: favicon")


class Searcher(Visit):
    """A search page's requests for 25 hits (bench/load/run.py --search-compare): the
    consortium's and a library's, in the search page's UI serialization and in JSON."""

    abstract = False
    UI = {"Accept": "application/vnd.inveniordm.v1+json"}

    @task(2)
    def search_page_hits(self):
        self.client.get(f"/api/records?q={random.choice(QUERIES)}&size=25&sort=newest",
                        headers=self.UI, name="search: 25 hits, UI")

    @task(1)
    def library_search_hits(self):
        slug = random.choice(SLUGS)
        self.client.get(f"/api/communities/{slug}/records?size=25&sort=newest",
                        headers={**self.UI, **self.on(slug)}, name="search: library, UI")

    @task(1)
    def search_json(self):
        self.client.get(f"/api/records?q={random.choice(QUERIES)}&size=25&sort=newest",
                        headers=JSON, name="search: 25 hits, JSON")


class Harvester(Visit):
    """An OAI-PMH harvester walking a library's ListRecords with resumption tokens."""

    weight = 1

    @tag("read")
    @task
    def harvest(self):
        slug = random.choice(SLUGS)
        prefix = random.choice(["oai_dc", "oai_datacite", "oai_openaire", "marcxml"])
        url = f"/oai2d?verb=ListRecords&metadataPrefix={prefix}"
        for _ in range(5):
            res = self.client.get(url, headers=self.on(slug), name=f"oai: ListRecords {prefix}")
            token = re.search(r"<resumptionToken[^>]*>([^<]+)<", res.text or "")
            if not token:
                break
            url = f"/oai2d?verb=ListRecords&resumptionToken={token.group(1)}"


class Depositor(Visit):
    """A logged-in depositor of the reviewing library: draft, file, submission."""

    weight = 2

    def headers(self):
        return {**JSON, **self.on(REVIEWED),
                "Authorization": f"Bearer {TOKENS[f'depositor@{REVIEWED}']}"}

    @tag("write")
    @task
    def deposit(self):
        n = random.randrange(10**6)
        body = {
            "access": {"record": "public", "files": "public"},
            "files": {"enabled": True},
            "metadata": {
                "title": f"Zátěžový test {n}", "publication_date": "2026-11-30",
                "resource_type": {"id": "publication-report"},
                "creators": [{"person_or_org": {"type": "personal", "given_name": "Jana",
                                                 "family_name": "Nováková"}}],
                "publisher": "Library Consortium Repository",
                "description": f"<p>Load test deposit {n}.</p>",
                "subjects": [{"subject": "knihovny"}],
            },
            "custom_fields": {AGREEMENT_FIELD: True},
        }
        headers = self.headers()
        with self.client.post("/api/records", json=body, headers=headers,
                              name="deposit: create draft", catch_response=True) as res:
            if res.status_code != 201:
                return res.failure(f"{res.status_code} {res.text[:200]}")
            draft = res.json()["id"]
        base = f"/api/records/{draft}/draft/files"
        content = os.urandom(64 * 1024)
        steps = [
            ("post", base, {"json": [{"key": "data.bin"}]}, "deposit: init file"),
            ("put", f"{base}/data.bin/content",
             {"data": content, "headers": {**headers, "Content-Type": "application/octet-stream"}},
             "deposit: upload 64 KiB"),
            ("post", f"{base}/data.bin/commit", {}, "deposit: commit file"),
            ("put", f"/api/records/{draft}/draft/review",
             {"json": {"receiver": {"community": TOKENS[f"community@{REVIEWED}"]},
                       "type": "community-submission"}}, "deposit: set review"),
            ("post", f"/api/records/{draft}/draft/actions/submit-review",
             {"json": {"payload": {"content": "Prosím o zveřejnění.", "format": "html"}}},
             "deposit: submit"),
        ]
        for method, url, kwargs, name in steps:
            kwargs.setdefault("headers", headers)
            with getattr(self.client, method)(url, name=name, catch_response=True,
                                              **kwargs) as res:
                if res.status_code not in (200, 201, 202):
                    return res.failure(f"{res.status_code} {res.text[:200]}")
        with LEDGER["lock"]:
            LEDGER["submitted"].add(res.json()["id"])


class Curator(Visit):
    """A curator of the reviewing library working through the submission queue."""

    weight = 1

    def headers(self):
        return {**JSON, **self.on(REVIEWED),
                "Authorization": f"Bearer {TOKENS[f'curator@{REVIEWED}']}"}

    @tag("write")
    @task
    def accept_one(self):
        with LEDGER["lock"]:
            waiting = sorted(LEDGER["submitted"] - LEDGER["accepted"])
            request_id = random.choice(waiting) if waiting else None
            if request_id:
                LEDGER["accepted"].add(request_id)
        if request_id is None:
            self.client.get(f"/api/tenants/{REVIEWED}/submissions?status=submitted",
                            headers=self.headers(), name="curate: queue")
            return
        with self.client.post(f"/api/requests/{request_id}/actions/accept", json={},
                              headers=self.headers(), name="curate: accept",
                              catch_response=True) as res:
            if res.status_code != 200:
                with LEDGER["lock"]:
                    LEDGER["accepted"].discard(request_id)
                res.failure(f"{res.status_code} {res.text[:200]}")
