"""nginx serves the front end's statics with the content types browsers require.

pdf.js (the PDF previewer of landing pages, request pages and curators' review) loads
its viewer and worker as ES modules (`.mjs`); Debian's mime.types has no `mjs`, so
nginx sent them as application/octet-stream and the browser refused them: every PDF
preview was an empty grey box. The local platform's nginx config (scripts/nginx.conf,
rendered as scripts/app.sh does) is started here for real over a static folder; the
production config must include the same types file at the same level.
"""

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from helpers import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """The local platform's nginx over a static folder, on a free port (no upstream needed)."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is not installed: `make run` (scripts/app.sh) installs Debian's nginx")
    base = tmp_path_factory.mktemp("nginx")
    static = base / "instance" / "static" / "dist" / "js"
    static.mkdir(parents=True)
    for name in ("pdf.worker.min.mjs", "viewer.mjs", "app.js", "style.css"):
        (static / name).write_text("export {};\n")
    port = free_port()
    values = {
        "@USER_LINE@": "user root;" if __import__("os").getuid() == 0 else "",
        "@NGINX_DIR@": str(base), "@LOG_DIR@": str(base), "@UI_PORT@": str(free_port()),
        "@API_PORT@": str(free_port()), "@WEB_PORT@": str(port),
        "@INSTANCE@": str(base / "instance"), "@ROOT@": str(ROOT),
    }
    conf = (ROOT / "scripts" / "nginx.conf").read_text()
    for key, value in values.items():
        conf = conf.replace(key, value)
    assert "@" not in re.sub(r"#.*", "", conf).replace("$request_id", ""), "unrendered placeholder"
    (base / "nginx.conf").write_text(conf)
    proc = subprocess.Popen([NGINX, "-p", str(base), "-c", str(base / "nginx.conf"),
                             "-e", str(base / "error.log"), "-g", "daemon off;"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            requests.get(url + "/static/dist/js/app.js", timeout=1)
            break
        except requests.ConnectionError:
            if proc.poll() is not None:
                pytest.fail(f"nginx did not start: {proc.stderr.read().decode()}")
            time.sleep(0.1)
    yield url
    proc.terminate()
    proc.wait(10)


@pytest.mark.parametrize("name,media_type", [
    ("pdf.worker.min.mjs", "text/javascript"),
    ("viewer.mjs", "text/javascript"),
    ("app.js", "application/javascript"),
    ("style.css", "text/css"),
])
def test_statics_have_the_type_browsers_need(nginx, name, media_type):
    response = requests.get(f"{nginx}/static/dist/js/{name}", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media_type


def test_production_config_includes_the_same_types_at_http_level():
    """docker/nginx/nginx.conf adds the types file right after mime.types, inside http {}."""
    conf = (ROOT / "docker" / "nginx" / "nginx.conf").read_text()
    http = conf[conf.index("http {"):]
    assert re.search(r"include /etc/nginx/mime\.types;\s*include /etc/nginx/consortium/types\.conf;",
                     http)
    compose = (ROOT / "docker" / "docker-compose.yml").read_text()
    assert "./nginx/consortium:/etc/nginx/consortium" in compose
    assert re.search(r"text/javascript\s+mjs;",
                     (ROOT / "docker" / "nginx" / "consortium" / "types.conf").read_text())
