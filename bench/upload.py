"""Upload benchmark: REST deposit API vs direct S3, quota module on vs off.

Runs the application in-process (served over HTTP by a threaded server) on a
database, index prefix and bucket of its own, against the same local S3
server as everything else, and prints side by side:

1. throughput of one large file (default 200 MB) uploaded through the REST
   deposit API (init, content, commit) vs a direct boto3 upload;
2. throughput of one large file (default 1 GB) uploaded by presigned multipart
   (init with `"transfer": {"type": "M"}`, 8 parts PUT in parallel straight to
   S3, commit) vs boto3 `upload_file` of the same file, and the CPU time the web
   application spent on each upload (its request threads);
   Beside them, the same file uploaded through the deposit form on the library's
   host (Chromium driven by Playwright, InvenioRDM's Uppy uploader): seconds from the
   file chosen to its commit answered, parts sent, web CPU;
3. per-file latency of many small uploads (init + content + commit) with the
   quota module enabled vs disabled, interleaved in rounds to share noise.

Usage (services running, `scripts/services.sh start`; Debian's chromium for the form):
    .venv/bin/python bench/upload.py [--large-mb 200] [--multipart-mb 1000] [--parts 8]
                                     [--no-form] [--small 60] [--small-kb 16]
"""

import argparse
import mmap
import os
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from instance import LOCAL, api_app_of, bar, free_port, make_app, serve

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
PASSWORD = "Mereni-Heslo-2026"
CHECKSUM_TASK = (
    "invenio_records_resources.services.files.tasks.recompute_multipart_checksum_task")

def bench_depositor(app):
    """A fresh library with one depositor; returns API headers."""
    from invenio_access.permissions import system_identity
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db
    from invenio_oauth2server.models import Token

    from consortium_tenants.proxies import current_tenants_service as tenants

    from datetime import datetime, timezone

    from flask_security.utils import hash_password

    slug = f"bench-{secrets.token_hex(3)}"
    with app.app_context():
        tenants.create(system_identity, {
            "slug": slug, "names": {"cs": "Měřicí knihovna", "en": "Benchmark library"},
            "short_name": "BENCH", "contact_email": f"repo@{slug}.example",
        })
        user = current_datastore.create_user(  # logs in to the deposit form too
            email=f"dep@{slug}.example", active=True, password=hash_password(PASSWORD),
            confirmed_at=datetime.now(timezone.utc))
        db.session.commit()
        tenants.add_member(system_identity, slug, {"email": user.email, "role": "depositors"})
        token = Token.create_personal("bench", user.id, scopes=[], is_internal=False)
        db.session.commit()
        return slug, {"Authorization": f"Bearer {token.access_token}"}


class Deposit:
    """REST deposit calls of one depositor."""

    def __init__(self, base, headers):
        import requests

        self.http = requests.Session()
        self.http.headers.update(headers)
        self.base = base

    def draft(self):
        body = {"metadata": {"title": "Benchmark", "publication_date": "2026-11-25",
                             "resource_type": {"id": "dataset"}, "publisher": "Bench",
                             "creators": [{"person_or_org": {"type": "personal",
                                                             "family_name": "Bench"}}]},
                "files": {"enabled": True}}
        res = self.http.post(f"{self.base}/api/records", json=body)
        res.raise_for_status()
        return res.json()["id"]

    def upload(self, draft_id, key, body, size):
        url = f"{self.base}/api/records/{draft_id}/draft/files"
        self.http.post(url, json=[{"key": key, "size": size}]).raise_for_status()
        res = self.http.put(f"{url}/{key}/content", data=body,
                            headers={"Content-Type": "application/octet-stream",
                                     "Content-Length": str(size)})
        res.raise_for_status()
        self.http.post(f"{url}/{key}/commit").raise_for_status()

    def multipart_upload(self, draft_id, key, path, size, parts):
        """Declare KEY as PARTS parts, PUT them in parallel to their presigned URLs, commit."""
        part_size = -(-size // parts)
        url = f"{self.base}/api/records/{draft_id}/draft/files"
        entry = {"key": key, "size": size,
                 "transfer": {"type": "M", "parts": parts, "part_size": part_size}}
        res = self.http.post(url, json=[entry])
        res.raise_for_status()
        links = next(e for e in res.json()["entries"] if e["key"] == key)["links"]["parts"]
        with open(path, "rb") as f, mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ) as data:
            view = memoryview(data)

            def send(link):
                import requests

                start = (link["part"] - 1) * part_size
                chunk = view[start:start + part_size]
                try:
                    requests.put(link["url"], data=chunk, timeout=600).raise_for_status()
                finally:
                    chunk.release()

            with ThreadPoolExecutor(parts) as pool:
                list(pool.map(send, links))
            view.release()
        self.http.post(f"{url}/{key}/commit").raise_for_status()

    def discard(self, draft_id):
        self.http.delete(f"{self.base}/api/records/{draft_id}/draft")


def large_file(path, megabytes):
    """A file of random bytes (written once, reused)."""
    size = megabytes * 10**6
    if not path.exists() or path.stat().st_size != size:
        with open(path, "wb") as f:
            for _ in range(megabytes):
                f.write(os.urandom(10**6))
    return size


def bench_large(app, deposit, megabytes):
    """(REST seconds, boto3 seconds, size) for one large file."""
    from consortium_tenants.storage.s3 import s3_client

    path = LOCAL / "bench" / f"large-{megabytes}mb.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    size = large_file(path, megabytes)
    draft_id = deposit.draft()
    with open(path, "rb") as f:
        start = time.perf_counter()
        deposit.upload(draft_id, "large.bin", f, size)
        rest = time.perf_counter() - start
    deposit.discard(draft_id)
    with app.app_context():
        client = s3_client()
        key = f"direct/{secrets.token_hex(4)}"
        start = time.perf_counter()
        client.upload_file(str(path), app.config["CONSORTIUM_S3_BUCKET"], key)
        direct = time.perf_counter() - start
        client.delete_object(Bucket=app.config["CONSORTIUM_S3_BUCKET"], Key=key)
    return rest, direct, size


class RequestCPU:
    """WSGI middleware: CPU seconds the application's request threads spend (summed)."""

    def __init__(self, wsgi_app):
        self.wsgi_app, self.seconds, self.lock = wsgi_app, 0.0, threading.Lock()
        self.active = 0

    def __call__(self, environ, start_response):
        start = time.thread_time()
        with self.lock:
            self.active += 1
        try:
            yield from self.wsgi_app(environ, start_response)
        finally:
            with self.lock:
                self.seconds += time.thread_time() - start
                self.active -= 1

    def spent(self, timeout=30):
        """The CPU seconds, once no request is in flight: a thread adds its share after
        the client already has the answer."""
        deadline = time.monotonic() + timeout
        while self.active and time.monotonic() < deadline:
            time.sleep(0.05)
        return self.seconds


class WorkerClock:
    """Wall and CPU seconds of the Celery task NAME run eagerly inside a request.

    The bench runs tasks eagerly; in production a worker runs the multipart
    checksum (it reads the whole object back from S3) after the commit answered.
    """

    def __init__(self, name):
        from celery.signals import task_postrun, task_prerun

        self.name, self.wall, self.cpu, self.started = name, 0.0, 0.0, {}
        # Celery tells receivers apart by function, not instance: each clock its own uid
        task_prerun.connect(self._start, weak=False, dispatch_uid=f"start-{id(self)}")
        task_postrun.connect(self._stop, weak=False, dispatch_uid=f"stop-{id(self)}")

    def _start(self, task_id=None, task=None, **kwargs):
        if task.name == self.name:
            self.started[task_id] = (time.perf_counter(), time.thread_time())

    def _stop(self, task_id=None, task=None, **kwargs):
        if task_id in self.started:
            wall, cpu = self.started.pop(task_id)
            self.wall += time.perf_counter() - wall
            self.cpu += time.thread_time() - cpu


def bench_multipart(app, deposit, cpu, megabytes, parts):
    """Presigned multipart vs boto3 upload_file: seconds of each, the web app's CPU seconds.

    The multipart checksum task, run eagerly inside the commit here, is taken out of
    the upload's time and the web CPU (a worker's, after the answer) and reported.
    """
    from consortium_tenants.storage.s3 import s3_client

    checksum = WorkerClock(CHECKSUM_TASK)

    path = LOCAL / "bench" / f"large-{megabytes}mb.bin"
    path.parent.mkdir(parents=True, exist_ok=True)
    size = large_file(path, megabytes)
    draft_id = deposit.draft()
    cpu.seconds = 0.0
    start = time.perf_counter()
    deposit.multipart_upload(draft_id, "large.bin", path, size, parts)
    multipart = time.perf_counter() - start - checksum.wall
    multipart_cpu = cpu.spent() - checksum.cpu
    deposit.discard(draft_id)
    with app.app_context():
        client = s3_client()
        key = f"direct/{secrets.token_hex(4)}"
        start = time.perf_counter()
        client.upload_file(str(path), app.config["CONSORTIUM_S3_BUCKET"], key)
        direct = time.perf_counter() - start
        client.delete_object(Bucket=app.config["CONSORTIUM_S3_BUCKET"], Key=key)
    return {"multipart": multipart, "direct": direct, "cpu": multipart_cpu, "size": size,
            "checksum_wall": checksum.wall, "checksum_cpu": checksum.cpu}


def bench_form(base, slug, cpu, megabytes):
    """The large file through the deposit form on the library's host, as a person uploads
    it: {seconds from file chosen to commit answered, parts, web CPU seconds}.

    The checksum task (run eagerly inside the commit here) is taken out, as above.
    """
    from urllib.parse import urlsplit

    from playwright.sync_api import sync_playwright

    path = LOCAL / "bench" / f"large-{megabytes}mb.bin"
    size = large_file(path, megabytes)
    checksum = WorkerClock(CHECKSUM_TASK)
    library = f"http://{slug}.localhost:{urlsplit(base).port}"
    parts, through_app = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.set_default_timeout(120_000)
        page.goto(f"{library}/login/")
        form = page.locator("form:has(input[name=password])")
        form.locator("input[name=email]").fill(f"dep@{slug}.example")
        form.locator("input[name=password]").fill(PASSWORD)
        form.locator("button[type=submit]").click()
        page.wait_for_url(lambda url: "/login" not in urlsplit(url).path)
        page.goto(f"{library}/uploads/new")
        page.wait_for_load_state("networkidle")

        def count_puts(request):
            if request.method == "PUT" and "partNumber=" in request.url:
                parts.append(request.url)
            elif request.method == "PUT" and request.url.endswith("/content"):
                through_app.append(request.url)

        page.on("request", count_puts)
        cpu.seconds = 0.0
        start = time.perf_counter()
        with page.expect_response(lambda r: r.url.endswith("/commit"),
                                  timeout=3_600_000) as committed:
            page.locator(".uppy-Dashboard-input").first.set_input_files(str(path))
            page.locator(".uppy-StatusBar-actionBtn--upload").click()
        seconds = time.perf_counter() - start - checksum.wall
        if committed.value.status != 200:
            sys.exit(f"the form's upload failed: {committed.value.status} "
                     f"{committed.value.text()}")
        web_cpu = cpu.spent() - checksum.cpu
        browser.close()
    return {"seconds": seconds, "size": size, "parts": len(parts),
            "through_app": len(through_app), "cpu": web_cpu,
            "checksum_wall": checksum.wall, "checksum_cpu": checksum.cpu}


def bench_small(api_app, deposit, count, kilobytes, rounds=4):
    """Per-file latencies (s) of small uploads, quota module on and off."""
    latencies = {True: [], False: []}
    body = os.urandom(kilobytes * 1000)
    per_round = max(1, count // rounds)
    for _ in range(rounds):
        for enabled in (True, False):
            api_app.config["CONSORTIUM_STORAGE_QUOTAS_ENABLED"] = enabled
            draft_id = deposit.draft()
            for i in range(per_round):
                start = time.perf_counter()
                deposit.upload(draft_id, f"f{i}.bin", body, len(body))
                latencies[enabled].append(time.perf_counter() - start)
            deposit.discard(draft_id)
    api_app.config["CONSORTIUM_STORAGE_QUOTAS_ENABLED"] = True
    return latencies


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--large-mb", type=int, default=200)
    parser.add_argument("--multipart-mb", type=int, default=1000,
                        help="file size of the multipart run (0: skip it)")
    parser.add_argument("--parts", type=int, default=8, help="parallel parts")
    parser.add_argument("--no-form", action="store_true",
                        help="skip the upload through the deposit form (Chromium)")
    parser.add_argument("--small", type=int, default=60, help="small uploads per mode")
    parser.add_argument("--small-kb", type=int, default=16)
    args = parser.parse_args()

    print("Preparing the bench instance (database consortium_bench) …", file=sys.stderr)
    port = free_port()  # links on pages name the served port, as on `make run`
    app = make_app(SITE_UI_URL=f"http://127.0.0.1:{port}",
                   SITE_API_URL=f"http://127.0.0.1:{port}/api")
    api_app = api_app_of(app)
    cpu = RequestCPU(app.wsgi_app)
    app.wsgi_app = cpu
    base = serve(app, port)
    slug, headers = bench_depositor(app)
    deposit = Deposit(base, headers)

    print(f"Large file: {args.large_mb} MB …", file=sys.stderr)
    cpu.seconds = 0.0
    rest, direct, size = bench_large(app, deposit, args.large_mb)
    rest_cpu = cpu.spent()
    if args.multipart_mb:
        print(f"Multipart: {args.multipart_mb} MB in {args.parts} parts …", file=sys.stderr)
        multipart = bench_multipart(app, deposit, cpu, args.multipart_mb, args.parts)
        form = None
        if not args.no_form:
            print(f"Deposit form: {args.multipart_mb} MB in Chromium …", file=sys.stderr)
            form = bench_form(base, slug, cpu, args.multipart_mb)
    print(f"Small files: {args.small} × {args.small_kb} kB per mode …", file=sys.stderr)
    small = bench_small(api_app, deposit, args.small, args.small_kb)

    rest_mbs, direct_mbs = size / rest / 1e6, size / direct / 1e6
    print(f"\n== Large file, {size / 1e6:.0f} MB, same S3 server (S3Proxy, filesystem) ==")
    top = max(rest_mbs, direct_mbs)
    print(f"REST deposit API  {rest_mbs:8.1f} MB/s  {rest:6.2f} s  {bar(rest_mbs, top)}")
    print(f"boto3 direct      {direct_mbs:8.1f} MB/s  {direct:6.2f} s  {bar(direct_mbs, top)}")
    print(f"REST / direct throughput ratio: {rest_mbs / direct_mbs:.2f}")
    print(f"web CPU during the REST upload: {rest_cpu:.2f} s")

    if args.multipart_mb:
        m = multipart
        multi_mbs, boto_mbs = m["size"] / m["multipart"] / 1e6, m["size"] / m["direct"] / 1e6
        print(f"\n== Large file, {m['size'] / 1e6:.0f} MB, presigned multipart "
              f"({args.parts} parallel parts) vs boto3 upload_file ==")
        form_mbs = form["size"] / form["seconds"] / 1e6 if form else 0
        top = max(multi_mbs, boto_mbs, form_mbs)
        if form:
            print(f"deposit form        {form_mbs:8.1f} MB/s  {form['seconds']:6.2f} s  "
                  f"{bar(form_mbs, top)}")
        print(f"presigned multipart {multi_mbs:8.1f} MB/s  {m['multipart']:6.2f} s  "
              f"{bar(multi_mbs, top)}")
        print(f"boto3 upload_file   {boto_mbs:8.1f} MB/s  {m['direct']:6.2f} s  "
              f"{bar(boto_mbs, top)}")
        print(f"multipart / boto3 throughput ratio: {multi_mbs / boto_mbs:.2f} (goal >= 0.9)")
        print(f"web CPU during the multipart upload (init + commit): {m['cpu']:.2f} s")
        if form:
            print(f"deposit form / boto3 throughput ratio: {form_mbs / boto_mbs:.2f}; "
                  f"{form['parts']} parts straight to S3, {form['through_app']} content "
                  f"PUTs through the app")
            print(f"web CPU during the form's upload: {form['cpu']:.2f} s (draft save, "
                  f"init, commit, the page's other calls); its checksum task (a worker's): "
                  f"{form['checksum_wall']:.2f} s, CPU {form['checksum_cpu']:.2f} s")
        print(f"checksum task after the commit (a worker's): {m['checksum_wall']:.2f} s, "
              f"CPU {m['checksum_cpu']:.2f} s")

    print(f"\n== Small uploads, {args.small_kb} kB, init + content + commit ==")
    medians = {k: statistics.median(v) * 1000 for k, v in small.items()}
    p95 = {k: sorted(v)[int(0.95 * (len(v) - 1))] * 1000 for k, v in small.items()}
    top = max(p95.values())
    for enabled, label in ((True, "quota module on "), (False, "quota module off")):
        print(f"{label}  median {medians[enabled]:6.1f} ms  p95 {p95[enabled]:6.1f} ms  "
              f"n={len(small[enabled])}  {bar(medians[enabled], top)}")
    print(f"on / off median latency ratio: {medians[True] / medians[False]:.2f}")


if __name__ == "__main__":
    main()
