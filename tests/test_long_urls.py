"""Long URLs get an answer or a 414, never a 502 (issue 25 §3).

uWSGI (docker/uwsgi/*.ini) takes a request only if its whole uwsgi packet (the URL
twice, as REQUEST_URI and QUERY_STRING, and every header) fits its buffer-size; with
8 KB a search, OAI or SUSHI URL of 4-8 KB was dropped and nginx answered 502. The
platform's nginx (scripts/nginx.conf with docker/nginx/consortium/app.conf, shared by
production) and the real uWSGI of the venv with the project's ini are started here, over
a small WSGI app that answers the length of the URL it got.
"""

import re

import pytest
import requests

from helpers import ROOT
from local_web import running_nginx, running_uwsgi

APP = '''
def application(environ, start_response):
    body = str(len(environ.get("REQUEST_URI", ""))).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """nginx (the platform's config) in front of uWSGI (the UI's ini) on free ports."""
    base = tmp_path_factory.mktemp("web")
    with running_uwsgi(base / "app", APP) as (port, _):
        with running_nginx(base / "nginx", port) as (url, _, _):
            res = requests.get(url + "/", timeout=10)
            assert res.status_code == 200, res.text
            yield url


@pytest.mark.parametrize("path", ["/search", "/oai2d", "/api/sushi/r51/reports/pr"])
@pytest.mark.parametrize("length", [4_000, 8_000, 11_000])
def test_a_long_url_reaches_the_application(web, path, length):
    query = "q=" + "a" * length
    res = requests.get(f"{web}{path}?{query}", timeout=10)
    assert res.status_code == 200, (res.status_code, res.text[:200])
    assert int(res.text) == len(path) + 1 + len(query)


def test_a_longer_url_is_a_414(web):
    res = requests.get(f"{web}/search?q={'a' * 13_000}", timeout=10)
    assert res.status_code == 414


def test_the_longest_request_nginx_takes_still_fits_uwsgi(web):
    """A URL and headers as large as nginx takes (4 buffers of 12 KB) fit uWSGI's packet."""
    headers = {f"X-Long-{i}": "h" * 11_000 for i in range(2)}
    res = requests.get(f"{web}/search?q={'a' * 11_500}", headers=headers, timeout=10)
    assert res.status_code != 502
    assert res.status_code in (200, 400, 414, 494), res.status_code


def test_production_uses_the_same_limits():
    for name in ("uwsgi_ui.ini", "uwsgi_rest.ini"):
        ini = (ROOT / "docker" / "uwsgi" / name).read_text()
        assert re.search(r"^buffer-size = 65535$", ini, re.M), name
    app_conf = (ROOT / "docker" / "nginx" / "consortium" / "app.conf").read_text()
    assert re.search(r"^large_client_header_buffers 4 12k;$", app_conf, re.M)
    default = (ROOT / "docker" / "nginx" / "conf.d" / "default.conf").read_text()
    assert "include /etc/nginx/consortium/app.conf;" in default
