"""Fault drills over the real services: each ends with `invenio platform check` clean.

The drills stop and start this checkout's own services (scripts/services.sh with
the ports of the environment) and leave them running. Requests go over real HTTP
(`http_server`), so a failure is the status code a browser would get.
"""

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from helpers import (
    ROOT,
    TEST_INSTANCE,
    browser_of,
    deposit,
    init_file,
    instance_env,
    invoke_cli,
    new_draft,
    submit_review,
)


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


def test_drill_opensearch_down_while_a_curator_publishes(
        app, client, make_tenant, http_server, configure):
    tenant, people = make_tenant("drill-os")
    cid, dep = tenant["community_id"], people["depositors"]
    draft = deposit(client, dep, cid, title="Published while search was down", content=b"x")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    celery = app.extensions["flask-celeryext"].celery
    celery.control.purge()
    configure(CONSORTIUM_INDEX_REPAIR_DELAY=0)

    services("stop", "opensearch")
    try:
        started = time.monotonic()
        res = requests.post(f"{http_server}/api/requests/{request_id}/actions/accept",
                            headers=people["curators"], json={}, timeout=120)
        assert time.monotonic() - started < 60  # an answer, not a hang
        searched = requests.get(f"{http_server}/api/records", timeout=120,
                                headers={"Accept-Language": "cs"})
    finally:
        services("start", "opensearch")
    # A clear answer, not a bare 500: the publication was saved, indexing comes later.
    assert res.status_code == 503, res.text[:300]
    assert res.json()["saved"] is True and res.json()["retry"] is False
    assert "was saved" in res.json()["message"]
    assert searched.status_code == 503  # a search changes nothing: try again later
    assert (searched.json()["saved"], searched.json()["retry"]) == (False, True)
    assert searched.json()["message"].startswith("Vyhledávací služba je právě nedostupná.")

    from invenio_db import db

    db.session.rollback()
    assert client.get(f"/api/records/{draft['id']}").status_code == 200  # committed
    assert found(client, draft["id"]) == 0  # …but not findable yet
    # The repair the 503 queued runs on a real worker: findable, no `check --repair`.
    worker = start_worker("worker-search.log")
    log = TEST_INSTANCE / "worker-search.log"
    try:
        deadline = time.monotonic() + 240
        while not re.search(r"repair_indices\[[-0-9a-f]+\] succeeded", log.read_text()):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(1)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)
        celery.control.purge()
    assert found(client, draft["id"]) == 1
    check_clean(app)


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


@pytest.fixture()
def drill_library(make_tenant):
    """A library made while S3 answers (its generated logo is stored there)."""
    return make_tenant("drill-s3")


def test_drill_slow_s3_times_out_with_503_and_frees_the_worker(
        app, client, drill_library, http_server, hung_s3):
    # drill_library comes before hung_s3: pytest sets fixtures up in this order
    tenant, people = drill_library
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


def start_worker(log_name, **config):
    """A `celery worker` of the test instance (prefork, one child) in a session of its own."""
    env = instance_env(CELERY_TASK_ALWAYS_EAGER=False, **config)
    log = open(TEST_INSTANCE / log_name, "w")
    command = [str(Path(sys.executable).with_name("celery")), "-A", "invenio_app.celery",
               "worker", "-Q", "celery", "--concurrency", "1", "--loglevel", "INFO",
               "-n", f"drill-{log_name}@%h"]
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)


def indexed_revisions(draft_cls, ids):
    """Id → revision the drafts index holds for IDS."""
    from invenio_search.proxies import current_search_client
    from invenio_search.utils import build_alias_name

    index = build_alias_name(draft_cls.index._name)
    current_search_client.indices.refresh(index=index)
    hits = current_search_client.search(index=index, version=True, size=len(ids),
                                        body={"query": {"ids": {"values": ids}}})
    return {hit["_id"]: hit["_version"] for hit in hits["hits"]["hits"]}


def test_drill_worker_killed_mid_task_the_task_runs_again(app, client, make_tenant):
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service

    from consortium_platform.tasks import repair_indices

    tenant, people = make_tenant("drill-worker")
    dep = people["depositors"]
    pids = [new_draft(client, dep, title=f"Draft {i}")["id"] for i in range(20)]
    # The fault to repair: the drafts change in the database and the index misses it
    # (as when OpenSearch was down).
    draft_cls = current_rdm_records_service.draft_cls
    drafts = [draft_cls.pid.resolve(pid, registered_only=False) for pid in pids]
    for draft in drafts:
        draft.metadata["title"] += " (revised)"
        draft.commit()
    db.session.commit()
    ids = [str(d.id) for d in drafts]
    wanted = {str(d.id): d.revision_id for d in drafts}

    def repaired():
        found = indexed_revisions(draft_cls, ids)
        return sum(found.get(i) == wanted[i] for i in ids)

    assert repaired() == 0
    celery = app.extensions["flask-celeryext"].celery
    celery.control.purge()
    # A slow repair (0.5 s per record) so that the kill lands in its middle; Redis
    # delivers an unacknowledged task again after 5 s instead of an hour.
    config = {"CONSORTIUM_INDEX_REPAIR_PAUSE": 0.5,
              "CELERY_BROKER_TRANSPORT_OPTIONS": {"visibility_timeout": 5}}
    first = start_worker("worker-killed.log", **config)
    try:
        celery.conf.task_always_eager = False
        repair_indices.apply_async()
    finally:
        celery.conf.task_always_eager = True
    try:
        deadline = time.monotonic() + 180
        while repaired() < 2:
            assert time.monotonic() < deadline, (TEST_INSTANCE / "worker-killed.log").read_text()
            time.sleep(0.2)
        os.killpg(first.pid, signal.SIGKILL)  # the worker and its pool process, no goodbye
        first.wait(timeout=30)
    finally:
        if first.poll() is None:
            os.killpg(first.pid, signal.SIGKILL)
    done_when_killed = repaired()
    assert 2 <= done_when_killed < len(ids), done_when_killed
    time.sleep(2)
    assert repaired() == done_when_killed  # nobody is working on it now

    second = start_worker("worker-again.log", **config)
    log = TEST_INSTANCE / "worker-again.log"
    try:  # the new worker gets the task again from Redis and runs it to the end
        deadline = time.monotonic() + 240
        while not re.search(r"repair_indices\[[-0-9a-f]+\] succeeded", log.read_text()):
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(1)
    finally:
        os.killpg(second.pid, signal.SIGTERM)
        second.wait(timeout=60)
        celery.control.purge()
    assert repaired() == len(ids)
    # Nothing lost: every draft reads back revised, and is found by its owner's search.
    for pid in pids:
        assert client.get(f"/api/records/{pid}/draft",
                          headers=dep).json["metadata"]["title"].endswith("(revised)")
    hits = client.get("/api/user/records", headers=dep, query_string={"q": "revised"}).json
    assert hits["hits"]["total"] == len(pids)
    check_clean(app)
