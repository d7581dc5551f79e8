"""nginx serves the front end's statics with the content types browsers require.

pdf.js (the PDF previewer of landing pages, request pages and curators' review) loads
its viewer and worker as ES modules (`.mjs`); Debian's mime.types has no `mjs`, so
nginx sent them as application/octet-stream and the browser refused them: every PDF
preview was an empty grey box. The local platform's nginx config (scripts/nginx.conf,
rendered as scripts/app.sh does) is started here for real over a static folder; the
production config must include the same types file at the same level.
"""

import re

import pytest
import requests

from helpers import ROOT
from local_web import running_nginx

@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """The local platform's nginx over a static folder, on a free port (no upstream needed)."""
    with running_nginx(tmp_path_factory.mktemp("nginx")) as (url, _, instance):
        static = instance / "static" / "dist" / "js"
        static.mkdir(parents=True)
        for name in ("pdf.worker.min.mjs", "viewer.mjs", "app.js", "style.css"):
            (static / name).write_text("export {};\n")
        yield url


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
