"""First view of a page of a digitised work: IIIF tiles from IIPImage vs on the fly.

Makes a work of --pages generated page scans (--width x --height JPEGs, different on
every page) in a library of the benchmarks' own instance (bench/instance.py: its own
database, index prefix and bucket, the local S3), publishes it, makes every page's
pyramidal TIFF with the platform's tiles task (`vips`, --workers at a time, as a worker
with that concurrency would), then serves the application over HTTP in this process
(or, with --platform, makes the work in the running platform of `make run` and goes through
its nginx + uWSGI, where public tiles come from iipsrv without the app) and opens pages as the viewer does on first view: the page's info.json, then the tiles
of the levels OpenSeadragon loads to fit the page into a --viewport square (the whole
page in one tile, then each finer level up to the fitting one), --parallel requests at a
time like a browser. Each page is opened once with its tiles (iipsrv, scripts/services.sh
`iip`, through the app's access check) and once without (its tiles folder moved aside
for that request: InvenioRDM's on-the-fly path, Pillow over the original in S3),
alternating which goes first, so both share the machine's background load. Pages are
sampled over the whole work; none is opened twice in the same mode (no warm cache).

Usage (services running: scripts/services.sh start; scripts/env.sh sourced, for TILES_DIR):
    .venv/bin/python bench/iiif.py [--pages 300] [--sample 60] [--width 2500 --height 3500]
"""

import argparse
import io
import math
import os
import random
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import requests

from instance import bar, ensure_library, make_app, platform_app, serve, web_base


def scan(number, width, height):
    """A generated page scan (JPEG): paper tone, lines of 'text', the page number."""
    from PIL import Image, ImageDraw

    rng = random.Random(number)
    page = Image.new("RGB", (width, height), (236 - rng.randint(0, 20), 224, 196))
    draw = ImageDraw.Draw(page)
    for y in range(height // 12, height - height // 12, 42):
        x, end = width // 10, width - width // 10 - rng.randint(0, width // 4)
        while x < end:
            word = rng.randint(30, 160)
            draw.rectangle([x, y, min(x + word, end), y + 18], fill=(60, 50, 40))
            x += word + 18
    draw.text((width // 2, height - height // 20), str(number), fill=(0, 0, 0))
    out = io.BytesIO()
    page.save(out, "JPEG", quality=85)
    return out.getvalue()


def make_work(app, pages, width, height, workers):
    """The published work's id and library slug; its pages' tiles made."""
    from invenio_access.permissions import system_identity
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service as records

    from consortium_tenants.iiif.tiles import generate_tiles, tiles_ready

    with app.app_context():
        library = ensure_library("iiif-bench", "Měřicí knihovna IIIF", "IIIF benchmark library")
        db.session.commit()
        data = {"access": {"record": "public", "files": "public"}, "files": {"enabled": True},
                "metadata": {"title": f"Skenovaná kniha ({pages} stran)",
                             "publication_date": "2026-12-07",
                             "resource_type": {"id": "publication-book"},
                             "publisher": "Bench",
                             "creators": [{"person_or_org": {"type": "personal",
                                                             "family_name": "Bench"}}]}}
        draft = records.create(system_identity, data)
        # headed to the library first: its uploads are charged to the library
        records.review.update(system_identity, draft.id, {
            "receiver": {"community": str(library["community_id"])},
            "type": "community-submission"})
        files = records.draft_files
        keys = [f"page-{n:04d}.jpg" for n in range(1, pages + 1)]
        start = time.monotonic()
        for n, key in enumerate(keys, 1):
            body = scan(n, width, height)
            files.init_files(system_identity, draft.id, [{"key": key, "size": len(body)}])
            files.set_file_content(system_identity, draft.id, key, io.BytesIO(body),
                                   content_length=len(body))
            files.commit_file(system_identity, draft.id, key)
            print(f"\r  uploaded {n}/{pages}", end="", flush=True)
        print(f"\r  {pages} scans uploaded in {time.monotonic() - start:.0f} s")
        app.config["IIIF_TILES_GENERATION_ENABLED"] = False  # tiles below, in parallel
        recid = _publish(draft.id)
        app.config["IIIF_TILES_GENERATION_ENABLED"] = True
    start = time.monotonic()
    durations = []

    def one(key):
        with app.app_context():
            began = time.monotonic()
            generate_tiles(recid, key)
            durations.append(time.monotonic() - began)
            return tiles_ready(recid, key)

    with ThreadPoolExecutor(workers) as pool:
        made = sum(pool.map(one, keys))
    total = time.monotonic() - start
    print(f"  tiles of {made}/{pages} pages in {total:.0f} s ({workers} at a time; "
          f"{statistics.median(durations):.2f} s per page median)")
    return recid, library["slug"], keys, total


def _publish(draft_id):
    """Submit the draft to its library and accept it (system identity); the record id."""
    from invenio_access.permissions import system_identity
    from invenio_rdm_records.proxies import current_rdm_records_service as records
    from invenio_requests.proxies import current_requests_service as requests_service

    request = records.review.submit(system_identity, draft_id)
    if request.data["status"] == "submitted":
        requests_service.execute_action(system_identity, request.id, "accept")
    return draft_id


def first_view_urls(info, viewport):
    """The tiles OpenSeadragon asks for first: every level from the whole page in one
    tile up to the finest one not denser than the screen (for 2500x3500 in 1000 px:
    1 + 4 + 12 tiles)."""
    width, height = info["width"], info["height"]
    tile = info.get("tiles", [{"width": 256}])[0]["width"]
    fit = max(width, height) / viewport
    urls = []
    for scale in (16, 8, 4, 2, 1):
        if fit / scale > 1.1:  # finer than the screen shows (OpenSeadragon's maxPixelRatio)
            break
        region = tile * scale
        for y in range(0, height, region):
            for x in range(0, width, region):
                w, h = min(region, width - x), min(region, height - y)
                urls.append(f"{x},{y},{w},{h}/{math.ceil(w / scale)},/0/default.jpg")
    return urls


def open_page(http, base, host, path, viewport, parallel):
    """Seconds from asking for info.json to the last first-view tile; requests made.
    Each page is opened by a reader of its own (a user agent of its own: the platform's
    rate limits count per user agent and address, and one client opening 120 pages in
    two minutes is beyond a guest's 500 requests a minute)."""
    headers = {"Host": host, "User-Agent": f"iiif-bench-reader/{path}"}
    began = time.monotonic()
    res = http.get(f"{base}{path}/info.json", headers=headers, timeout=120)
    res.raise_for_status()
    urls = first_view_urls(res.json(), viewport)

    def get(url):
        answer = http.get(f"{base}{path}/{url}", headers=headers, timeout=120)
        answer.raise_for_status()
        return len(answer.content)

    with ThreadPoolExecutor(parallel) as pool:
        list(pool.map(get, urls))
    return time.monotonic() - began, 1 + len(urls)


def p95(values):
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--sample", type=int, default=60, help="pages opened in each mode")
    parser.add_argument("--width", type=int, default=2500)
    parser.add_argument("--height", type=int, default=3500)
    parser.add_argument("--viewport", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=6)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--platform", action="store_true",
                        help="the running platform (`make run`): the work in its database, "
                             "pages opened through its nginx + uWSGI on WEB_PORT")
    args = parser.parse_args()
    if not os.environ.get("TILES_DIR"):
        # without it the tiles go under the bench's instance folder, where iipsrv (serving
        # TILES_DIR) never finds them: every "tiles" request would quietly be on the fly
        sys.exit("TILES_DIR is not set: `source scripts/env.sh` first (with your ports)")

    # InvenioRDM allows 100 files per record (RDM_RECORDS_MAX_FILES_COUNT); a book has more pages
    limit = {"RDM_RECORDS_MAX_FILES_COUNT": args.pages + 10}
    if args.platform:  # the pages are uploaded here, under the platform's limits but this one
        from consortium_tenants.config import CONSORTIUM_STORAGE_DEFAULTS as defaults

        limit["CONSORTIUM_STORAGE_DEFAULTS"] = {**defaults, "max_files": args.pages + 10}
    app = platform_app(api=False, **limit) if args.platform else make_app(**limit)
    from consortium_tenants.iiif.tiles import record_path, tiles_root

    where = ("the platform's nginx + uWSGI" if args.platform
             else "this process (werkzeug, threaded)")
    print(f"Work of {args.pages} pages, {args.width}x{args.height} JPEG scans; served by {where}")
    recid, slug, keys, _ = make_work(app, args.pages, args.width, args.height, args.workers)
    base = web_base() if args.platform else serve(app)
    port = base.rsplit(":", 1)[1]
    host = f"{slug}.localhost:{port}"
    with app.app_context():
        folder = tiles_root() / record_path(recid)
    aside = folder.with_name(folder.name + ".aside")
    http = requests.Session()
    http.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=args.parallel * 2))

    step = max(1, len(keys) // args.sample)
    sample = keys[::step][:args.sample]
    times = {"tiles": [], "on the fly": []}
    counts = {}
    print(f"Opening {len(sample)} pages in each mode ({args.parallel} requests at a time, "
          f"viewport {args.viewport} px)")
    for n, key in enumerate(sample):
        path = f"/api/iiif/record:{recid}:{key}"
        order = ["tiles", "on the fly"] if n % 2 == 0 else ["on the fly", "tiles"]
        for mode in order:
            if mode == "on the fly":
                os.rename(folder, aside)
            try:
                seconds, requests_made = open_page(http, base, host, path, args.viewport,
                                                   args.parallel)
            finally:
                if mode == "on the fly":
                    os.rename(aside, folder)
            times[mode].append(seconds)
            counts[mode] = requests_made
        print(f"\r  {n + 1}/{len(sample)}", end="", flush=True)
    print()
    load = os.getloadavg()
    top = max(max(v) for v in times.values())
    print(f"\nFirst view of a page (info.json + first tiles), {len(sample)} pages each, "
          f"served by {where}, load average {load[0]:.1f}")
    print(f"{'':12} {'requests':>8} {'p50 s':>7} {'p95 s':>7} {'max s':>7}")
    for mode, values in times.items():
        print(f"{mode:12} {counts[mode]:>8} {statistics.median(values):>7.2f} "
              f"{p95(values):>7.2f} {max(values):>7.2f}  {bar(p95(values), top)}")
    ratio = p95(times["on the fly"]) / p95(times["tiles"])
    print(f"p95 on the fly / with tiles: {ratio:.1f}x")
    return 0 if p95(times["tiles"]) < 1.0 else 1


if __name__ == "__main__":
    sys.exit(main())
