"""nginx's access log never holds a SUSHI api_key (it travels in the query string).

The local platform's nginx.conf (scripts/nginx.conf, rendered as scripts/app.sh does)
is run by a real nginx on a free port (its uWSGI upstreams absent: a 502 is logged like
any answer); the production
configuration (docker/nginx/nginx.conf) carries the same masking block.
"""

import contextlib
import os
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
SECRET = "Zq7-sushi-SECRET-91"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _masking_block(text):
    start = text.index("  # The SUSHI api_key travels")
    return text[start:text.index("  log_format main", start)]


@contextlib.contextmanager
def _nginx(tmp_path, upstream):
    """The platform's nginx on a free port in front of UPSTREAM (a uWSGI port)."""
    if not os.path.exists(NGINX):
        pytest.fail("nginx is needed (scripts/app.sh and scripts/test.sh install it)")
    port = _free_port()
    (tmp_path / "instance").mkdir(parents=True, exist_ok=True)
    conf = (ROOT / "scripts" / "nginx.conf").read_text()
    for name, value in {"USER_LINE": "", "NGINX_DIR": str(tmp_path), "LOG_DIR": str(tmp_path),
                        "UI_PORT": str(upstream), "API_PORT": str(upstream),
                        "WEB_PORT": str(port),
                        "INSTANCE": str(tmp_path / "instance"), "ROOT": str(ROOT)}.items():
        conf = conf.replace(f"@{name}@", value)
    conf = conf.replace("buffer=64k flush=2s", "")  # written at once, for the test to read
    (tmp_path / "nginx.conf").write_text(conf)
    process = subprocess.Popen([NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"),
                                "-e", str(tmp_path / "error.log"), "-g", "daemon off;"])
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                assert process.poll() is None, (tmp_path / "error.log").read_text()
                time.sleep(0.1)
        yield f"http://127.0.0.1:{port}", tmp_path / "nginx-access.log"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
def nginx(tmp_path):
    with _nginx(tmp_path, _free_port()) as running:  # nobody behind it
        yield running


def test_api_key_is_masked_in_the_access_log(nginx):
    base, log = nginx
    for url in (f"/api/sushi/r51/reports/tr?customer_id=mzk&api_key={SECRET}&begin_date=2026-01",
                f"/api/sushi/r51/reports?API_KEY={SECRET}",
                f"/api/sushi/r51/members?api_key={SECRET}x&requestor_id=r&api_key={SECRET}y"):
        response = requests.get(base + url, headers={
            "Host": "127.0.0.1", "Referer": f"http://127.0.0.1/x?api_key={SECRET}"}, timeout=10)
        assert response.status_code == 502  # nobody behind it: logged all the same
    for _ in range(50):  # nginx writes the line once the answer is sent
        text = log.read_text()
        lines = [line for line in text.splitlines() if "/api/sushi/" in line]
        if len(lines) == 3:
            break
        time.sleep(0.1)
    assert len(lines) == 3, text
    assert SECRET not in text
    assert "customer_id=mzk&api_key=***&begin_date=2026-01" in lines[0]
    assert "API_KEY=***" in lines[1]
    assert "api_key=***&requestor_id=r&api_key=***" in lines[2]
    assert all("/x?api_key=***" in line for line in lines)


def test_production_nginx_masks_the_same_way():
    local = (ROOT / "scripts" / "nginx.conf").read_text()
    production = (ROOT / "docker" / "nginx" / "nginx.conf").read_text()
    assert _masking_block(local) == _masking_block(production)
    for text in (local, production):
        log_format = re.search(r"log_format main (.*?);", text, re.S)[1]
        assert "$consortium_request" in log_format and "$consortium_referer" in log_format
        assert "$request " not in log_format and "$request\"" not in log_format
        assert "$http_referer" not in log_format


UWSGI = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "uwsgi"
APP = """
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""


def test_uwsgi_logs_requests_without_their_query_string(tmp_path):
    """uWSGI logs one line per request too (docker/uwsgi/*.ini, used by make run and
    production): the path only, so the api_key stays out of it. The UI's ini runs here
    (the REST one mounts the whole application); both carry the same log-format."""
    if not UWSGI.exists():
        pytest.fail("the venv's uwsgi is needed (scripts/app.sh installs it)")
    (tmp_path / "tinyapp.py").write_text(APP)
    formats = {re.search(r"^log-format = .*$", (ROOT / "docker" / "uwsgi" / name).read_text(),
                         re.M)[0] for name in ("uwsgi_rest.ini", "uwsgi_ui.ini")}
    assert len(formats) == 1 and "%(uri)" not in formats.pop()
    for ini in ("uwsgi_ui.ini",):
        port, log = _free_port(), tmp_path / f"{ini}.log"
        env = {**os.environ, "UWSGI_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "1"}
        uwsgi = subprocess.Popen(
            [str(UWSGI), "--ini", str(ROOT / "docker" / "uwsgi" / ini),
             "--module", "tinyapp:application", "--pythonpath", str(tmp_path),
             "--stats", f"127.0.0.1:{_free_port()}", "--logto", str(log)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        try:
            with _nginx(tmp_path / ini.replace(".", "-"), port) as (base, _access):
                for _ in range(100):
                    if "spawned uWSGI worker" in (log.read_text() if log.exists() else ""):
                        break
                    time.sleep(0.1)
                url = f"{base}/api/sushi/r51/reports/tr?customer_id=mzk&api_key={SECRET}"
                response = requests.get(url, headers={"Host": "127.0.0.1"}, timeout=10)
                assert response.status_code == 200, response.text
                time.sleep(0.5)
        finally:
            uwsgi.terminate()
            uwsgi.wait(15)
        text = log.read_text()
        assert "GET /api/sushi/r51/reports/tr => 200" in text, text[-2000:]
        assert SECRET not in text and "customer_id" not in text
