"""Browser tests: Debian's Chromium, driven by Playwright, against the app served as `make run` serves it.

The served app is a process of its own (`invenio run`, as scripts/app.sh starts it) on
the test instance and test config, so it shares the database, indices, S3 bucket and
Redis with the in-process `app` fixture: fixtures create libraries and people through
the in-process REST API, then the browser uses the served app. A member library
answers on `http://<slug>.localhost:<port>/` (Chromium resolves `*.localhost` itself),
the consortium on `http://127.0.0.1:<port>/`.

Every page opened through `open_page` is watched: console errors, failed requests,
server errors and unexpected 4xx answers to the page's own XHR/fetch calls fail the
test; a failed test leaves full-page screenshots in .local/browser-screenshots/.
"""

import re
import secrets
import socket
import time
from pathlib import Path

import pytest
import requests

from browsing import (
    AXE_JS, CHROMIUM, CHROMIUM_ARGS, LOCALES, PASSWORD, SCREENSHOTS, VIEWPORT, Library,
    PageWatch, Person, PNG_LOGO, Site,
)
from helpers import DATACITE_TEST_URL, LOCAL, start_server, tenant_payload

SERVER_START_TIMEOUT = 240  # seconds; the app starts in ~30 s on a loaded 2-core box


# --- the served application ------------------------------------------------------
def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def site(app):
    """The test instance served by `invenio run` in a process of its own.

    Depends on `app`: its session initialised the test database and indices. The
    site URLs name the real port, CSRF protection is on and TESTING is off, as on
    `make run`'s web app.
    """
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: the browser tests need Debian's chromium "
                    "(scripts/test.sh installs it)")
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run scripts/test.sh (npm ci in tests/browser)")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = LOCAL / "logs" / "browser-web.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "w") as log:
        server = start_server(port, log, SITE_UI_URL=url, SITE_API_URL=f"{url}/api",
                              TESTING=False, WTF_CSRF_ENABLED=True,
                              # import journeys harvest a fixture source on 127.0.0.1
                              CONSORTIUM_IMPORT_PRIVATE_SOURCES=True,
                              CONSORTIUM_DATACITE_URLS=dict.fromkeys(
                                  ("test", "production"), DATACITE_TEST_URL))
    try:
        _wait_until_up(server, f"{url}/api/records?size=1", log_path)
        yield Site(port)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except Exception:
            server.kill()


def _wait_until_up(server, health_url, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            pytest.fail(f"the served app exited ({server.returncode}):\n"
                        f"{log_path.read_text()[-3000:]}")
        try:
            if requests.get(health_url, timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(1)
    pytest.fail(f"the served app did not answer {health_url} within "
                f"{SERVER_START_TIMEOUT} s; see {log_path}")


# --- the browser and its watched pages ------------------------------------------
@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, without its background connections (no network here).

    Not named `browser`: pytest-invenio skips every test using a fixture of that name
    unless E2E=yes (its Selenium tests).
    """
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture()
def open_page(request, chromium):
    """Factory: a new page (its own cookies) in LANGUAGE (cs/en), watched for errors.

    `open_page("cs", "curator")` -> Page; `page.watch.expect(url_regex, status)` lets
    an error answer the test expects pass.
    """
    contexts, watches = [], []
    request.node.stash[WATCHES] = watches

    def _open(language="en", label=None):
        context = chromium.new_context(locale=LOCALES[language], viewport=VIEWPORT)
        context.set_default_timeout(30_000)
        contexts.append(context)
        page = context.new_page()
        page.watch = PageWatch(page, label or f"page{len(watches) + 1}")
        watches.append(page.watch)
        return page

    yield _open
    for context in contexts:
        context.close()


WATCHES = pytest.StashKey[list]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """After the test body: fail it on anything its pages saw go wrong."""
    watches = item.stash.get(WATCHES, [])
    try:
        result = yield
    except BaseException as error:  # the test failed: say what the browser saw too
        if _problems(watches):
            error.add_note("the browser saw errors:\n" + "\n".join(_problems(watches)))
        raise
    for watch in watches:
        try:  # answers still on their way belong to the test too
            watch.page.wait_for_load_state("networkidle", timeout=5_000)
        except Exception:
            pass
    if _problems(watches):
        pytest.fail("the browser saw errors:\n" + "\n".join(_problems(watches)), pytrace=False)
    return result


def _problems(watches):
    return [f"[{w.label} {w.page.url}] {p}" for w in watches for p in w.problems]


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """A failed test leaves full-page screenshots of its pages."""
    report = yield
    if report.failed and call.when in ("setup", "call"):
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", item.name)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for index, watch in enumerate(item.stash.get(WATCHES, [])):
            path = SCREENSHOTS / (f"{name}.png" if index == 0 else f"{name}-{watch.label}.png")
            try:
                watch.page.screenshot(path=str(path), full_page=True)
                report.sections.append(("screenshot", str(path)))
            except Exception as error:  # a closed page: nothing to show
                report.sections.append(("screenshot", f"{path} not taken: {error}"))
    return report


# --- people and libraries ---------------------------------------------------------
@pytest.fixture(scope="session")
def make_person(app, make_user):
    """Factory: an active user with a name, a known password and an API token."""
    from flask_security.utils import hash_password
    from invenio_accounts.models import User
    from invenio_db import db
    from invenio_users_resources.proxies import current_users_service
    from invenio_users_resources.records.api import UserAggregate

    def _make(email, full_name, roles=()):
        from invenio_accounts.proxies import current_datastore

        user, headers = make_user(email)
        account = db.session.get(User, user.id)
        account.password = hash_password(PASSWORD)
        account.user_profile = {"full_name": full_name}
        for role in roles:
            current_datastore.add_role_to_user(account, role)
        db.session.commit()
        current_users_service.indexer.index(UserAggregate.get_record(account.id))
        return Person(email, headers, account)

    return _make


@pytest.fixture(scope="session")
def make_library(app, admin_headers, make_person):
    """Factory: a library with PRESET (and RULES), its logo, a manager, a curator and a
    depositor."""

    def _make(preset, rules=None, prefix="web"):
        client = app.test_client()
        slug = f"{prefix}-{secrets.token_hex(3)}"
        res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
        assert res.status_code == 201, res.json
        res = client.put(f"/api/tenants/{slug}/logo", data=PNG_LOGO,
                         headers={**admin_headers, "Content-Type": "image/png"})
        assert res.status_code == 200, res.json
        people = {}
        for role, group, name in (("manager", "managers", "Marie Správcová"),
                                  ("curator", "curators", "Karel Kurátor"),
                                  ("depositor", "depositors", "Jana Nováková")):
            person = make_person(f"{role}-{secrets.token_hex(3)}@{slug}.example", name)
            res = client.post(f"/api/tenants/{slug}/members", headers=admin_headers,
                              json={"email": person.email, "role": group})
            assert res.status_code == 200, res.json
            people[role] = person
        body = {"preset": preset, **({"rules": rules} if rules else {})}
        res = client.put(f"/api/tenants/{slug}/workflow", headers=people["manager"].headers,
                         json=body)
        assert res.status_code == 200, res.json
        tenant = client.get(f"/api/tenants/{slug}").json
        return Library(slug, tenant["community_id"], people)

    return _make


@pytest.fixture(scope="session")
def consortium_admin(make_person):
    """A consortium administrator who may use the administration panel."""
    return make_person(f"admin-{secrets.token_hex(3)}@consortium.example", "Alena Konsorciová",
                       roles=("consortium-admin", "administration"))


@pytest.fixture(scope="module")
def platform_admin(app, make_person):
    """The platform's administrator as `invenio platform init` makes one: a superuser
    (role admin) who sees every page of the administration's sidebar."""
    from invenio_access.models import ActionRoles
    from invenio_access.permissions import superuser_access
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    role = current_datastore.find_or_create_role("admin")
    db.session.flush()
    if not ActionRoles.query.filter_by(action=superuser_access.value, role_id=role.id).count():
        db.session.add(ActionRoles.allow(superuser_access, role=role))
    db.session.commit()
    return make_person(f"root-{secrets.token_hex(3)}@consortium.example", "Petr Správce",
                       roles=("admin", "administration", "consortium-admin"))
