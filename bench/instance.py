"""The benchmarks' own instance: database, index prefix and bucket apart from dev and tests.

`make_app()` creates the application from the project's invenio.cfg with
BENCH_CONFIG and initialises it with `invenio platform init` (idempotent);
`serve()` serves it over HTTP in a thread.
"""

import logging
import os
import sys
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LOCAL = Path(os.environ.get("LOCAL_DIR", ROOT / ".local"))
PG_PORT = int(os.environ.get("PG_PORT", 5433))
REDIS = f"redis://127.0.0.1:{os.environ.get('REDIS_PORT', 6380)}"
BENCH_CONFIG = {
    "SQLALCHEMY_DATABASE_URI":
        f"postgresql+psycopg2://consortium:consortium@127.0.0.1:{PG_PORT}/consortium_bench",
    "SEARCH_INDEX_PREFIX": "bench-consortium-",
    "CONSORTIUM_S3_BUCKET": "consortium-bench",
    "CELERY_TASK_ALWAYS_EAGER": True,
    # Redis databases of its own (the platform uses 0-5, the tests 8-13): a shared
    # community identity cache once took the platform's curators' roles away.
    "CACHE_REDIS_URL": f"{REDIS}/16",
    "ACCOUNTS_SESSION_REDIS_URL": f"{REDIS}/17",
    "CELERY_RESULT_BACKEND": f"{REDIS}/18",
    "RATELIMIT_STORAGE_URI": f"{REDIS}/19",
    "COMMUNITIES_IDENTITIES_CACHE_REDIS_URL": f"{REDIS}/20",
    "BROKER_URL": f"{REDIS}/21",
    "CELERY_BROKER_URL": f"{REDIS}/21",
    "RATELIMIT_ENABLED": False,
    "MAIL_SUPPRESS_SEND": True,
    "CONSORTIUM_STORAGE_DEFAULTS": {"quota": 10**12, "max_file_size": 10**11, "max_files": 10000},
}


def make_app():
    """The application on the bench database, initialised by `platform init`."""
    instance = LOCAL / "bench-instance"
    instance.mkdir(parents=True, exist_ok=True)
    for name in ("invenio.cfg", "templates", "app_data"):
        link = instance / name
        if link.is_symlink() or link.exists():  # a dangling link "does not exist"
            link.unlink()
        if (ROOT / name).exists():
            link.symlink_to(ROOT / name)
    os.environ["INVENIO_INSTANCE_PATH"] = str(instance)
    os.environ["INVENIO_STATIC_FOLDER"] = str(LOCAL / "instance" / "static")
    from invenio_app.cli import cli
    from invenio_app.factory import create_app

    app = create_app(**BENCH_CONFIG)
    result = app.test_cli_runner().invoke(cli, ["platform", "init"])
    if result.exit_code != 0:
        sys.exit(f"platform init failed:\n{result.output}")
    return app


def api_app_of(app):
    """The REST application mounted at /api (its config is separate)."""
    wsgi = app.wsgi_app
    while not hasattr(wsgi, "mounts"):
        wsgi = wsgi.app
    mounted = wsgi.mounts["/api"]
    return getattr(mounted, "__self__", mounted)


def serve(app):
    """Serve APP over HTTP on a free port; return its base URL."""
    from werkzeug.serving import make_server

    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_port}"


def bar(value, top, width=40):
    """A text bar of VALUE on a scale of TOP."""
    return "█" * max(1, round(width * value / top)) if top else ""
