"""The platform's own nginx (and uWSGI) started by tests, on free ports.

scripts/nginx.conf is rendered as scripts/app.sh renders it, into a folder of the test's
own, and run by Debian's nginx; uWSGI runs the project's ini (docker/uwsgi) over a
small WSGI module of the test's.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

from helpers import ROOT

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
UWSGI = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "uwsgi"


def free_port():
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_port(port, process, log):
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if process.poll() is not None:
                pytest.fail(f"did not start: {Path(log).read_text()[-2000:]}")
            time.sleep(0.1)
    pytest.fail(f"nothing answers on port {port}")


@contextlib.contextmanager
def running_nginx(folder, upstream=None, unbuffered_log=False, tiles=None, iip_port=None):
    """The platform's nginx in FOLDER (its config, logs and an empty instance/static),
    in front of UPSTREAM (a uWSGI port; none: a free port nobody answers on), with TILES
    as its tiles folder and the IIPImage server's nginx on IIP_PORT (defaults: the
    stack's TILES_DIR and IIP_PORT). Yields (base URL, access log path, instance folder)."""
    if not Path(NGINX).exists():
        pytest.fail("nginx is needed (scripts/app.sh and scripts/test.sh install it)")
    folder = Path(folder)
    instance = folder / "instance"
    (instance / "static").mkdir(parents=True, exist_ok=True)
    upstream = upstream or free_port()
    port = free_port()
    values = {
        "USER_LINE": "user root;" if os.getuid() == 0 else "",
        "NGINX_DIR": str(folder), "LOG_DIR": str(folder), "UI_PORT": str(upstream),
        "API_PORT": str(upstream), "WEB_PORT": str(port), "INSTANCE": str(instance),
        "ROOT": str(ROOT),
        "TILES_DIR": str(tiles or os.environ.get("TILES_DIR", folder / "tiles")),
        "IIP_PORT": str(iip_port or os.environ.get("IIP_PORT", free_port())),
    }
    conf = (ROOT / "scripts" / "nginx.conf").read_text()
    for name, value in values.items():
        conf = conf.replace(f"@{name}@", value)
    if unbuffered_log:  # written at once, for the test to read
        conf = conf.replace("buffer=64k flush=2s", "")
    (folder / "nginx.conf").write_text(conf)
    process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"),
                                "-e", str(folder / "error.log"), "-g", "daemon off;"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for_port(port, process, folder / "error.log")
        yield f"http://127.0.0.1:{port}", folder / "nginx-access.log", instance
    finally:
        process.terminate()
        process.wait(10)


@contextlib.contextmanager
def running_uwsgi(folder, application, ini="uwsgi_ui.ini"):
    """The project's uWSGI INI (docker/uwsgi) serving APPLICATION (the source of a module
    defining `application`) from FOLDER. Yields (port, uWSGI's log path)."""
    if not UWSGI.exists():
        pytest.fail("the venv's uwsgi is needed (scripts/app.sh installs it)")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tinyapp.py").write_text(application)
    port, log = free_port(), folder / f"{ini}.log"
    env = {**os.environ, "UWSGI_BIND": f"127.0.0.1:{port}", "WEB_WORKERS": "1"}
    process = subprocess.Popen(
        [str(UWSGI), "--ini", str(ROOT / "docker" / "uwsgi" / ini),
         "--module", "tinyapp:application", "--pythonpath", str(folder),
         "--stats", f"127.0.0.1:{free_port()}", "--logto", str(log)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        for _ in range(200):
            if "spawned uWSGI worker" in (log.read_text() if log.exists() else ""):
                break
            if process.poll() is not None:
                pytest.fail(f"uWSGI did not start: {log.read_text()[-2000:]}")
            time.sleep(0.1)
        yield port, log
    finally:
        process.terminate()
        process.wait(15)
