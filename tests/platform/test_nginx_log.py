"""nginx's access log never holds a SUSHI api_key (it travels in the query string).

The local platform's nginx.conf (scripts/nginx.conf, rendered as scripts/app.sh does)
is run by a real nginx on a free port (its uWSGI upstreams absent: a 502 is logged like
any answer); the production
configuration (docker/nginx/nginx.conf) carries the same masking block.
"""

import re
import time

import pytest
import requests

from helpers import ROOT
from local_web import running_nginx, running_uwsgi

SECRET = "Zq7-sushi-SECRET-91"


def _masking_block(text):
    start = text.index("  # The SUSHI api_key travels")
    return text[start:text.index("  log_format main", start)]


@pytest.fixture
def nginx(tmp_path):
    with running_nginx(tmp_path, unbuffered_log=True) as (base, log, _):  # nobody behind it
        yield base, log


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
    # each answer is logged by the worker that sent it, once sent: two workers may write
    # their lines in either order
    by_path = {re.search(r"GET /api/sushi/r51/(\w+)", line)[1]: line for line in lines}
    assert sorted(by_path) == ["members", "reports"] and len(set(lines)) == 3, lines
    [tr] = [line for line in lines if "/reports/tr?" in line]
    [listing] = [line for line in lines if "/reports?" in line]
    assert "customer_id=mzk&api_key=***&begin_date=2026-01" in tr
    assert "API_KEY=***" in listing
    assert "api_key=***&requestor_id=r&api_key=***" in by_path["members"]
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


APP = """
def application(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
    return [b"ok"]
"""


def test_uwsgi_logs_requests_without_their_query_string(tmp_path):
    """uWSGI logs one line per request too (docker/uwsgi/*.ini, used by make run and
    production): the path only, so the api_key stays out of it. The UI's ini runs here
    (the REST one mounts the whole application); both carry the same log-format."""
    formats = {re.search(r"^log-format = .*$", (ROOT / "docker" / "uwsgi" / name).read_text(),
                         re.M)[0] for name in ("uwsgi_rest.ini", "uwsgi_ui.ini")}
    assert len(formats) == 1 and "%(uri)" not in formats.pop()
    for ini in ("uwsgi_ui.ini",):
        with running_uwsgi(tmp_path / "app", APP, ini) as (port, log):
            with running_nginx(tmp_path / ini.replace(".", "-"), port) as (base, _, _):
                url = f"{base}/api/sushi/r51/reports/tr?customer_id=mzk&api_key={SECRET}"
                response = requests.get(url, headers={"Host": "127.0.0.1"}, timeout=10)
                assert response.status_code == 200, response.text
                time.sleep(0.5)
        text = log.read_text()
        assert "GET /api/sushi/r51/reports/tr => 200" in text, text[-2000:]
        assert SECRET not in text and "customer_id" not in text
