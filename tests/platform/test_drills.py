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
    """An S3 endpoint that accepts connections and never answers, used for one test."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(64)  # connections complete in the backlog; nothing is ever read
        extra = {**app.config["S3_CONFIG_EXTRA"], "connect_timeout": 1, "read_timeout": 1,
                 "retries": {"max_attempts": 1, "mode": "standard"}}
        configure(S3_ENDPOINT_URL=f"http://127.0.0.1:{server.getsockname()[1]}",
                  S3_CONFIG_EXTRA=extra)
        forget = [vars(a.extensions["invenio-s3"]) for a in (app, api_app)]
        for settings in forget:
            settings.pop("init_s3fs_info", None)
        yield
    for settings in forget:  # `configure` restores the endpoint after this
        settings.pop("init_s3fs_info", None)


@pytest.mark.xfail(run=False, strict=True, reason=(
    "Open finding: with a hung S3 (connections accepted, never answered) the upload still "
    "takes over 120 s although S3_CONFIG_EXTRA's timeouts are 1 s here and s3fs tries once: "
    "s3fs's write of the object waits (s3fs alone, same settings: over 150 s), probably for "
    "the `100 Continue` of the PUT, which no read timeout bounds (not verified)."))
def test_drill_slow_s3_times_out_with_503_and_frees_the_worker(
        app, client, make_tenant, http_server, hung_s3):
    tenant, people = make_tenant("drill-s3")
    dep = people["depositors"]
    draft = new_draft(client, dep)
    assert init_file(client, dep, draft["id"], "slow.bin", 100).status_code == 201
    url = f"{http_server}/api/records/{draft['id']}/draft/files/slow.bin/content"

    started = time.monotonic()
    res = requests.put(url, headers={**dep, "Content-Type": "application/octet-stream"},
                       data=b"s" * 100, timeout=120)
    elapsed = time.monotonic() - started
    assert res.status_code == 503, res.text[:300]
    assert res.json()["retry"] is True
    assert elapsed < 30, elapsed  # timeouts, not a hung worker
    usage = client.get(f"/api/tenants/{tenant['slug']}/usage",
                       headers=people["managers"]).json["storage"]
    assert (usage["bytes"], usage["files"]) == (0, 0)
