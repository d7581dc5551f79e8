"""Fixtures: one InvenioRDM application over the real local services.

The application is created once per test session from the project's own
invenio.cfg, with a test database, index prefix, S3 bucket and Redis
databases of its own. It is initialised by the real `invenio platform init`,
so every test also depends on the set-up path that `make run` uses.
"""

import os
import secrets
import shutil

import pytest
from flask.testing import FlaskClient
from opensearchpy import OpenSearch
from sqlalchemy_utils import database_exists, drop_database

from helpers import (
    LOCAL,
    PORT,
    REDIS,
    ROOT,
    TEST_BUCKET,
    TEST_DB_URI,
    TEST_INDEX_PREFIX,
    invoke_cli,
    s3_client,
)

TEST_CONFIG = {
    "TESTING": True,
    "SQLALCHEMY_DATABASE_URI": TEST_DB_URI,
    "SEARCH_INDEX_PREFIX": TEST_INDEX_PREFIX,
    "CONSORTIUM_S3_BUCKET": TEST_BUCKET,
    "CACHE_REDIS_URL": f"{REDIS}/8",
    "ACCOUNTS_SESSION_REDIS_URL": f"{REDIS}/9",
    "CELERY_RESULT_BACKEND": f"{REDIS}/10",
    "RATELIMIT_STORAGE_URI": f"{REDIS}/11",
    "COMMUNITIES_IDENTITIES_CACHE_REDIS_URL": f"{REDIS}/12",
    "BROKER_URL": f"{REDIS}/13",
    "CELERY_BROKER_URL": f"{REDIS}/13",
    "CELERY_TASK_ALWAYS_EAGER": True,
    "CELERY_TASK_EAGER_PROPAGATES": True,
    "RATELIMIT_ENABLED": False,
    "MAIL_SUPPRESS_SEND": True,
    "WTF_CSRF_ENABLED": False,  # the login form is posted directly by tests
}


def _wipe_test_state():
    """Drop what an earlier session left: test database and test indices."""
    if database_exists(TEST_DB_URI):
        drop_database(TEST_DB_URI)
    search = OpenSearch([{"host": "127.0.0.1", "port": PORT["OS"]}])
    pattern = f"{TEST_INDEX_PREFIX}*"
    search.indices.delete_data_stream(name=pattern, ignore=[404])
    search.indices.delete(index=pattern, ignore=[404], expand_wildcards="all")
    search.indices.delete_index_template(name=pattern, ignore=[404])
    search.cluster.delete_component_template(name=pattern, ignore=[404])
    search.indices.delete_template(name=pattern, ignore=[404])


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
    instance = LOCAL / "test-instance"
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    for name in ("invenio.cfg", "templates", "app_data"):
        (instance / name).symlink_to(ROOT / name)
    os.environ["INVENIO_INSTANCE_PATH"] = str(instance)
    # Front-end assets as built by `scripts/setup.sh assets`.
    os.environ["INVENIO_STATIC_FOLDER"] = str(LOCAL / "instance" / "static")
    _wipe_test_state()

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
