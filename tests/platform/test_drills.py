"""Fault drills over the real services: each ends with `invenio platform check` clean.

The drills stop and start this checkout's own services (scripts/services.sh with
the ports of the environment) and leave them running. Requests go over real HTTP
(`http_server`), so a failure is the status code a browser would get.
"""

import os
import socket
import subprocess
import time

import pytest
import requests

from helpers import ROOT, browser_of, deposit, init_file, invoke_cli, new_draft, submit_review


def services(action, name):
    """Stop or start one of this checkout's services and wait for it."""
    subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), action, name],
                   env=os.environ, check=True, capture_output=True, timeout=300)


def check_clean(app, repair=False):
    """`invenio platform check` (after `--repair` when REPAIR) exits 0."""
    if repair:
        invoke_cli(app, ["platform", "check", "--repair"])
    result = invoke_cli(app, ["platform", "check"])
    assert result.exit_code == 0, result.output


def found(client, pid):
    """How many records the public search finds for PID."""
    from invenio_search.proxies import current_search_client

    current_search_client.indices.refresh()
    return client.get("/api/records", query_string={"q": f'id:"{pid}"'}).json["hits"]["total"]


def test_drill_opensearch_down_while_a_curator_publishes(app, client, make_tenant, http_server):
    tenant, people = make_tenant("drill-os")
    cid, dep = tenant["community_id"], people["depositors"]
    draft = deposit(client, dep, cid, title="Published while search was down", content=b"x")
    request_id = submit_review(client, dep, draft["id"]).json["id"]

    services("stop", "opensearch")
    try:
        started = time.monotonic()
        res = requests.post(f"{http_server}/api/requests/{request_id}/actions/accept",
                            headers=people["curators"], json={}, timeout=120)
        assert res.status_code >= 500  # an error, not a hang and not a false success
        assert time.monotonic() - started < 60
    finally:
        services("start", "opensearch")

    from invenio_db import db

    db.session.rollback()
    # The database committed the publication: the record exists…
    assert client.get(f"/api/records/{draft['id']}").status_code == 200
    # …and the check finds what the index missed, then repair makes it findable.
    result = invoke_cli(app, ["platform", "check"])
    assert result.exit_code == 1, result.output
    assert "not in the index" in result.stdout or "stale in the index" in result.stdout
    check_clean(app, repair=True)
    assert found(client, draft["id"]) == 1


def test_drill_postgresql_restarted_during_an_upload(app, client, make_tenant, http_server):
    tenant, people = make_tenant("drill-pg")
    dep = people["depositors"]
    draft = new_draft(client, dep)
    assert init_file(client, dep, draft["id"], "data.bin", 2000).status_code == 201
    url = f"{http_server}/api/records/{draft['id']}/draft/files/data.bin"
    binary = {**dep, "Content-Type": "application/octet-stream"}

    services("stop", "postgres")
    try:
        res = requests.put(f"{url}/content", headers=binary, data=b"p" * 2000, timeout=120)
        assert res.status_code >= 500
    finally:
        services("start", "postgres")

    from invenio_db import db
    from sqlalchemy.exc import OperationalError

    try:
        db.session.rollback()
    except OperationalError:  # the test's own connection died with the server
        db.session.rollback()
    # The retry goes through on the first attempt (pool_pre_ping drops dead connections).
    res = requests.put(f"{url}/content", headers=binary, data=b"p" * 2000, timeout=120)
    assert res.status_code == 200, res.text
    assert requests.post(f"{url}/commit", headers=dep, timeout=60).status_code == 200
    usage = client.get(f"/api/tenants/{tenant['slug']}/usage",
                       headers=people["managers"]).json["storage"]
    assert (usage["bytes"], usage["files"]) == (2000, 1)
    check_clean(app)


def test_drill_redis_restarted_sessions_survive_and_no_500s(app, client, make_tenant,
                                                            http_server):
    tenant, people = make_tenant("drill-redis")
    browser = browser_of(app, people["depositors_user"])
    assert browser.get("/account/settings/profile").status_code == 200

    services("stop", "redis")
    services("start", "redis")

    codes = [requests.get(f"{http_server}{path}", timeout=60).status_code
             for path in ("/", "/api/records", "/api/tenants", "/oai2d?verb=Identify",
                          f"/communities/{tenant['slug']}") * 4]
    assert codes.count(500) == 0, codes
    assert set(codes) == {200}, codes
    # The session was kept (Redis saved it on shutdown): still logged in.
    assert browser.get("/account/settings/profile").status_code == 200
    check_clean(app)


@pytest.fixture()
def hung_s3(app, api_app, configure):
    """An S3 endpoint that accepts connections and never reads or answers.

    Timeouts of 1 s, one try and a request deadline of 15 s; yields a function that
    brings the real S3 back (the test's "later").
    """
    forget = [vars(a.extensions["invenio-s3"]) for a in (app, api_app)]

    def use(endpoint, extra, deadline):
        configure(S3_ENDPOINT_URL=endpoint, S3_CONFIG_EXTRA=extra,
                  CONSORTIUM_S3_REQUEST_DEADLINE=deadline)
        for settings in forget:  # invenio-s3 caches its file-system settings
            settings.pop("init_s3fs_info", None)

    real = (app.config["S3_ENDPOINT_URL"], app.config["S3_CONFIG_EXTRA"],
            app.config["CONSORTIUM_S3_REQUEST_DEADLINE"])
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # connections complete in the backlog; nothing is ever read
        use(f"http://127.0.0.1:{server.getsockname()[1]}",
            {**real[1], "connect_timeout": 1, "read_timeout": 1,
             "retries": {"total_max_attempts": 1, "mode": "standard"}}, 15)
        yield lambda: use(*real)
    use(*real)


def test_drill_slow_s3_times_out_with_503_and_frees_the_worker(
        app, client, make_tenant, http_server, hung_s3):
    tenant, people = make_tenant("drill-s3")
    dep = people["depositors"]
    draft = new_draft(client, dep)
    binary = {**dep, "Content-Type": "application/octet-stream"}
    files_url = f"{http_server}/api/records/{draft['id']}/draft/files"
    # 100 bytes: S3 never answers, the read timeout ends it (before: aiohttp waited for
    # the `100 Continue` with no timer); 4 MiB: S3 never reads the body, the deadline.
    sizes = {"small.bin": 100, "large.bin": 4 * 2**20}
    limits = {"small.bin": 10, "large.bin": 30}  # seconds; a hung worker: never
    for name, size in sizes.items():
        assert init_file(client, dep, draft["id"], name, size).status_code == 201
        started = time.monotonic()
        res = requests.put(f"{files_url}/{name}/content", headers=binary,
                           data=b"s" * size, timeout=120)
        elapsed = time.monotonic() - started
        assert res.status_code == 503, res.text[:300]
        assert res.json()["retry"] is True
        assert elapsed < limits[name], (name, elapsed)
    usage_url = f"/api/tenants/{tenant['slug']}/usage"
    usage = client.get(usage_url, headers=people["managers"]).json["storage"]
    assert (usage["bytes"], usage["files"]) == (0, 0)

    hung_s3()  # S3 is back: the same uploads go through
    for name, size in sizes.items():
        res = requests.put(f"{files_url}/{name}/content", headers=binary,
                           data=b"s" * size, timeout=120)
        assert res.status_code == 200, res.text[:300]
        assert requests.post(f"{files_url}/{name}/commit", headers=dep,
                             timeout=60).status_code == 200
    usage = client.get(usage_url, headers=people["managers"]).json["storage"]
    assert (usage["bytes"], usage["files"]) == (sum(sizes.values()), 2)
    check_clean(app)
