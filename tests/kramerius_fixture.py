"""A library's Kramerius on this machine, for tests (never the internet): a small HTTP
server in a thread answering

- `/uuid/<uuid>`: the Kramerius client's page of a work: 200 for the uuids in `works`,
  404 for others; a uuid in `slow` answers after `delay` seconds (a timeout);
- `/iiif/<uuid>/manifest`: the IIIF gateway's Presentation 3 manifest of a work in
  `works` (one canvas, a static PNG served at `/iiif/<uuid>/page.png`), CORS `*`.
"""

import io
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from PIL import Image

PAGE = (400, 300)


def _png():
    out = io.BytesIO()
    Image.new("RGB", PAGE, (90, 120, 160)).save(out, "PNG")
    return out.getvalue()


class Kramerius:
    """The server; `base` is its address (http://127.0.0.1:<port>)."""

    def __init__(self, works=(), slow=(), delay=3.0):
        self.works, self.slow, self.delay = set(works), set(slow), delay
        self.requests = []
        self.png = _png()
        fixture = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_HEAD(self):
                self._answer(body=False)

            def do_GET(self):
                self._answer(body=True)

            def _answer(self, body):
                fixture.requests.append((self.command, self.path))
                status, kind, content = fixture.route(self.path)
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(content)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.end_headers()
                if body:
                    try:
                        self.wfile.write(content)
                    except (BrokenPipeError, ConnectionResetError):
                        pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def route(self, path):
        parts = path.split("?", 1)[0].strip("/").split("/")
        if len(parts) == 2 and parts[0] == "uuid":
            if parts[1] in self.slow:
                time.sleep(self.delay)
            if parts[1] in self.works | self.slow:
                return 200, "text/html", b"<!DOCTYPE html><title>Kramerius</title>"
        if len(parts) == 3 and parts[0] == "iiif" and parts[1] in self.works:
            if parts[2] == "manifest":
                return 200, "application/ld+json", json.dumps(self.manifest(parts[1])).encode()
            if parts[2] == "page.png":
                return 200, "image/png", self.png
        return 404, "text/plain", b"not found"

    def manifest(self, uuid):
        base = f"{self.base}/iiif/{uuid}"
        canvas = f"{base}/canvas/1"
        return {
            "@context": "http://iiif.io/api/presentation/3/context.json",
            "id": f"{base}/manifest", "type": "Manifest",
            "label": {"cs": ["Mapa z Krameria"], "en": ["A map from Kramerius"]},
            "items": [{
                "id": canvas, "type": "Canvas", "label": {"none": ["1"]},
                "width": PAGE[0], "height": PAGE[1],
                "items": [{"id": f"{canvas}/page", "type": "AnnotationPage", "items": [{
                    "id": f"{canvas}/page/image", "type": "Annotation",
                    "motivation": "painting", "target": canvas,
                    "body": {"id": f"{base}/page.png", "type": "Image",
                             "format": "image/png", "width": PAGE[0], "height": PAGE[1]},
                }]}],
            }],
        }

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
