"""Long URLs get an answer or a 414, never a 502 (issue 25 §3).

uWSGI (docker/uwsgi/*.ini) takes a request only if its whole uwsgi packet (the URL
twice, as REQUEST_URI and QUERY_STRING, and every header) fits its buffer-size; with
8 KB a search, OAI or SUSHI URL of 4-8 KB was dropped and nginx answered 502. The
platform's nginx (scripts/nginx.conf with docker/nginx/consortium/app.conf, shared by
production) and the real uWSGI of the venv with the project's ini are started here, over
a small WSGI app that answers the length of the URL it got.
"""

import os
import re
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from helpers import ROOT

NGINX = "/usr/sbin/nginx"
UWSGI = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "uwsgi"
APP = '''
def application(environ, start_response):
    body = str(len(environ.get("REQUEST_URI", ""))).encode()
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(body)))])
    return [body]
'''


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, proc, log):
    for _ in range(200):
        try:
            return requests.get(url, timeout=1)
        except requests.ConnectionError:
            if proc.poll() is not None:
                pytest.fail(f"did not start: {Path(log).read_text()[-2000:]}")
            time.sleep(0.1)
    pytest.fail(f"{url} did not answer")


@pytest.fixture(scope="module")
def web(tmp_path_factory):
    """nginx (the platform's config) in front of uWSGI (the UI's ini) on free ports."""
    if not Path(NGINX).exists() or not UWSGI.exists():
        pytest.fail("nginx and the venv's uwsgi are needed (scripts/test.sh installs them)")
    base = tmp_path_factory.mktemp("web")
    (base / "tinyapp.py").write_text(APP)
    (base / "instance" / "static").mkdir(parents=True)
    app_port, web_port = free_port(), free_port()
    env = {**os.environ, "UWSGI_BIND": f"127.0.0.1:{app_port}", "WEB_WORKERS": "1"}
    uwsgi_log = base / "uwsgi.log"
    uwsgi = subprocess.Popen(
        [str(UWSGI), "--ini", str(ROOT / "docker" / "uwsgi" / "uwsgi_ui.ini"),
         "--module", "tinyapp:application", "--pythonpath", str(base),
         "--stats", f"127.0.0.1:{free_port()}", "--logto", str(uwsgi_log)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    values = {
        "@USER_LINE@": "user root;" if os.getuid() == 0 else "",
        "@NGINX_DIR@": str(base), "@LOG_DIR@": str(base), "@UI_PORT@": str(app_port),
        "@API_PORT@": str(app_port), "@WEB_PORT@": str(web_port),
        "@INSTANCE@": str(base / "instance"), "@ROOT@": str(ROOT),
    }
    conf = (ROOT / "scripts" / "nginx.conf").read_text()
    for key, value in values.items():
        conf = conf.replace(key, value)
    (base / "nginx.conf").write_text(conf)
    nginx = subprocess.Popen([NGINX, "-p", str(base), "-c", str(base / "nginx.conf"),
                              "-e", str(base / "error.log"), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{web_port}"
    for _ in range(100):
        if "spawned uWSGI worker" in (uwsgi_log.read_text() if uwsgi_log.exists() else ""):
            break
        time.sleep(0.1)
    res = wait_for(url + "/", nginx, base / "error.log")
    assert res.status_code == 200, res.text
    yield url
    for proc in (nginx, uwsgi):
        proc.terminate()
        proc.wait(15)


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
