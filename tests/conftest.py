"""Fixtures: one InvenioRDM application over the real local services.

The application is created once per test session from the project's own
invenio.cfg, with a test database, index prefix, S3 bucket and Redis
databases of its own. It is initialised by the real `invenio platform init`,
so every test also depends on the set-up path that `make run` uses.
"""

import json
import os
import secrets
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jsonschema import Draft202012Validator, FormatChecker

from helpers import (
    wipe_test_state,
    TEST_CONFIG,
    tenant_payload,
    LOCAL,
    PORT,
    REDIS,
    ROOT,
    SUSHI_API,
    TEST_BUCKET,
    TEST_DB_URI,
    TEST_INDEX_PREFIX,
    TEST_INSTANCE,
    invoke_cli,
    s3_client,
)



class RequestIsolatedClient(FlaskClient):
    """Test client whose every request runs in a fresh application context.

    The session-wide app context of the fixtures would otherwise be reused by
    requests, sharing `g` (the logged-in user, the identity) between clients.
    """

    def open(self, *args, **kwargs):
        with self.application.app_context():
            return super().open(*args, **kwargs)


@pytest.fixture(scope="session")
def app():
    """The application, initialised by `invenio platform init` on test services."""
    instance = TEST_INSTANCE
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    for name in ("invenio.cfg", "templates", "app_data"):
        (instance / name).symlink_to(ROOT / name)
    os.environ["INVENIO_INSTANCE_PATH"] = str(instance)
    # Front-end assets as built by `scripts/setup.sh assets`.
    os.environ["INVENIO_STATIC_FOLDER"] = str(LOCAL / "instance" / "static")
    wipe_test_state()

    from invenio_app.factory import create_app

    application = create_app(**TEST_CONFIG)
    application.test_client_class = RequestIsolatedClient
    result = invoke_cli(application, ["platform", "init"])
    assert result.exit_code == 0, result.output
    application.config["PLATFORM_INIT_OUTPUT"] = result.output
    with application.app_context():
        yield application


@pytest.fixture()
def client(app):
    """A test client of the combined UI + REST application."""
    return app.test_client()


@pytest.fixture(scope="session")
def make_user(app):
    """Factory: an active user with a personal API token; returns (user, headers)."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db
    from invenio_oauth2server.models import Token
    from invenio_users_resources.proxies import current_users_service
    from invenio_users_resources.records.api import UserAggregate

    def _make(email=None, password="Heslo-123456"):
        email = email or f"user-{secrets.token_hex(4)}@example.org"
        user = current_datastore.create_user(
            email=email, password=None, active=True, username=f"u{secrets.token_hex(6)}"
        )
        from datetime import datetime, timezone

        user.confirmed_at = datetime.now(timezone.utc)
        db.session.commit()
        token = Token.create_personal("tests", user.id, scopes=[], is_internal=False)
        db.session.commit()
        # Searchable like a registered user (curators are found for notifications
        # by searching users); registration queues this for the indexer.
        current_users_service.indexer.index(UserAggregate.get_record(user.id))
        headers = {
            "Authorization": f"Bearer {token.access_token}",
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        return user, headers

    return _make


@pytest.fixture(scope="session")
def s3():
    """boto3 client of the local S3 server."""
    return s3_client()


@pytest.fixture(scope="session")
def admin_headers(app, make_user):
    """Headers of a consortium administrator (role consortium-admin)."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user, headers = make_user()
    current_datastore.add_role_to_user(user, "consortium-admin")
    db.session.commit()
    return headers


@pytest.fixture(scope="session")
def panel_admin_headers(app, make_user):
    """Headers of an administrator of the administration panel (role administration:
    the panel and invenio-jobs' jobs, runs and logs)."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user, headers = make_user()
    current_datastore.add_role_to_user(user, "administration")
    db.session.commit()
    return headers


@pytest.fixture(scope="session")
def make_tenant(app, make_user, admin_headers):
    """Factory: a tenant with one user per role; returns (tenant JSON, {role: headers})."""
    from invenio_accounts.proxies import current_datastore
    from invenio_communities.proxies import current_communities

    def _make(prefix="lib"):
        slug = f"{prefix}-{secrets.token_hex(3)}"
        client = app.test_client()
        res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
        assert res.status_code == 201, res.json
        people = {}
        for group in ("managers", "curators", "depositors"):
            user, headers = make_user()
            res = client.post(
                f"/api/tenants/{slug}/members",
                headers=admin_headers,
                json={"email": user.email, "role": group},
            )
            assert res.status_code == 200, res.json
            people[group] = headers
            people[f"{group}_user"] = current_datastore.get_user(user.id)
        # Pages expand a draft's receiver (the library's community) by a search of the
        # communities index: a community not yet searchable comes back as RDM's "ghost"
        # without its access settings, and RDM's deposit page fails on it. A person never
        # opens a draft within the index's refresh interval of the library's creation.
        current_communities.service.indexer.refresh()
        return client.get(f"/api/tenants/{slug}").json, people

    return _make


@pytest.fixture()
def outbox():
    """E-mails dispatched (MAIL_SUPPRESS_SEND keeps them from leaving)."""
    from flask_mail import email_dispatched

    messages = []

    def record(message, app):
        messages.append(message)

    email_dispatched.connect(record)
    yield messages
    email_dispatched.disconnect(record)


@pytest.fixture(scope="session")
def api_app(app):
    """The REST application mounted at /api (it has a config of its own)."""
    def find(wsgi):
        mounts = getattr(wsgi, "mounts", None)
        if mounts and "/api" in mounts:
            mounted = mounts["/api"]
            return getattr(mounted, "__self__", mounted)
        inner = getattr(wsgi, "app", None)
        return find(inner) if inner is not None else None

    found = find(app.wsgi_app)
    assert found is not None, "no /api application mounted"
    return found


@pytest.fixture()
def configure(app, api_app):
    """Set config keys on both applications for one test."""
    saved = []

    def _set(**values):
        for flask_app in (app, api_app):
            for key, value in values.items():
                saved.append((flask_app, key, flask_app.config.get(key)))
                flask_app.config[key] = value

    yield _set
    for flask_app, key, value in reversed(saved):
        flask_app.config[key] = value


@pytest.fixture(scope="session")
def http_server(app):
    """The application served over HTTP by a threaded server (one thread per request)."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def datacite(app, api_app):
    """The DataCite test double on 127.0.0.1:$DATACITE_TEST_PORT (5203; make run's is on
    $DATACITE_PORT). Both apps call it in both modes, and so does the browser tests'
    served app (tests/browser/conftest.site)."""
    from helpers import DataCiteServer

    server = DataCiteServer(PORT["DATACITE_TEST"]).start()
    saved = [(a, a.config["CONSORTIUM_DATACITE_URLS"]) for a in (app, api_app)]
    for flask_app in (app, api_app):
        flask_app.config["CONSORTIUM_DATACITE_URLS"] = {"test": server.url,
                                                        "production": server.url}
    server.double.url = server.url
    yield server.double
    for flask_app, urls in saved:
        flask_app.config["CONSORTIUM_DATACITE_URLS"] = urls
    server.stop()



class MailServer:
    """A real SMTP server (aiosmtpd, as scripts/services.sh runs it) and its Maildir."""

    def __init__(self, port, maildir):
        self.port, self.maildir = port, maildir

    def messages(self, to=None):
        """Messages received so far (email.message.EmailMessage), oldest first; TO filters."""
        import mailbox
        from email import policy
        from email.parser import BytesParser

        box = mailbox.Maildir(str(self.maildir), factory=None, create=False)
        found = []
        for key in box.keys():
            with box.get_file(key) as raw:
                message = BytesParser(policy=policy.default).parse(raw)
            if to is None or to in str(message["To"]):
                found.append(message)
        return sorted(found, key=lambda m: m["Date"].datetime if m["Date"] else 0)

    def wait_for(self, to, timeout=30):
        """The first message to TO, waiting up to TIMEOUT seconds for it."""
        import time

        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages(to)
            if found:
                return found[0]
            time.sleep(0.2)
        raise AssertionError(f"no mail to {to} arrived at the SMTP server in {timeout} s")


@pytest.fixture()
def smtp_server(app, api_app, tmp_path):
    """A real SMTP server on a free port; both applications send their mail to it.

    The same server and Maildir storage as the platform's (scripts/services.sh smtp);
    for this test MAIL_SUPPRESS_SEND is off and Flask-Mail connects to it.
    """
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    maildir = tmp_path / "smtp"
    log = open(tmp_path / "smtp.log", "wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}",
         "-c", "aiosmtpd.handlers.Mailbox", str(maildir)],
        stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert process.poll() is None, (tmp_path / "smtp.log").read_text()
            assert time.monotonic() < deadline, "the SMTP server did not start"
            time.sleep(0.2)
    saved = []
    for flask_app in (app, api_app):
        state = flask_app.extensions["mail"]  # Flask-Mail reads its config once, at start
        saved.append((state, state.server, state.port, state.suppress))
        state.server, state.port, state.suppress = "127.0.0.1", port, False
    try:
        yield MailServer(port, maildir)
    finally:
        for state, server, port_, suppress in saved:
            state.server, state.port, state.suppress = server, port_, suppress
        process.terminate()
        process.wait(timeout=30)
        log.close()


# --- COUNTER SUSHI: the API's schema and an independent client (tests/stats, test_demo) ---

@pytest.fixture(scope="session")
def sushi_schema():
    """validate(NAME, data): raise unless DATA is a valid NAME of the COUNTER_SUSHI API.

    NAME is a component schema (`PR`, `Exception_3020`…) or `[Status]` for an array of it.
    """
    spec = json.loads(SUSHI_API.read_text())

    def validate(name, data):
        ref = {"$ref": f"#/components/schemas/{name.strip('[]')}"}
        schema = {"type": "array", "minItems": 1, "items": ref} if name.startswith("[") else ref
        Draft202012Validator({**schema, "components": spec["components"]},
                             format_checker=FormatChecker()).validate(data)
        return data

    return validate


NIGIRI = Path(__file__).resolve().parent / "stats" / "nigiri"


@pytest.fixture(scope="session")
def nigiri():
    """harvest(URL, CREDENTIALS, REPORT_IDS, BEGIN, END): what celus-nigiri (an independent
    SUSHI client) requests from URL (`…/api/sushi/r51`) and reads, per report id
    (tests/stats/nigiri/harvest.py). Nigiri runs in a virtualenv of its own, made here from
    the pinned tests/stats/nigiri/requirements.txt (its lxml cannot share the app's)."""
    venv, requirements = LOCAL / "nigiri" / "venv", NIGIRI / "requirements.txt"
    synced = venv / ".synced"
    if not synced.exists() or synced.stat().st_mtime < requirements.stat().st_mtime:
        python = os.environ.get("NIGIRI_PYTHON", "python3.11")
        subprocess.run([python, "-m", "venv", "--clear", str(venv)], check=True)
        pip = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "-r",
                              str(requirements)], capture_output=True, text=True)
        assert pip.returncode == 0, pip.stdout + pip.stderr
        synced.touch()

    def harvest(url, credentials, reports, begin, end):
        request = {"url": url, **credentials, "reports": reports, "begin": begin, "end": end}
        done = subprocess.run([str(venv / "bin" / "python"), str(NIGIRI / "harvest.py")],
                              input=json.dumps(request), capture_output=True, text=True,
                              timeout=300)
        assert done.returncode == 0, done.stderr
        return json.loads(done.stdout)

    return harvest
