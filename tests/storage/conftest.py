"""Fixtures of the storage tests."""

import os
import shutil
import socket
import subprocess

import boto3
import pytest

from helpers import LOCAL, ROOT, TEST_BUCKET


@pytest.fixture()
def storage_tenant(make_tenant, client, admin_headers):
    """Factory: a tenant with given storage limits; returns (tenant, people)."""

    def _make(prefix="st", **limits):
        tenant, people = make_tenant(prefix)
        if limits:
            res = client.put(f"/api/tenants/{tenant['slug']}", headers=admin_headers,
                             json={"storage": limits})
            assert res.status_code == 200, res.json
            tenant = res.json
        return tenant, people

    return _make


def _forget_s3_settings(*apps):
    """Drop invenio-s3's cached connection settings, so S3_ENDPOINT_URL is read anew."""
    for flask_app in apps:
        vars(flask_app.extensions["invenio-s3"]).pop("init_s3fs_info", None)


@pytest.fixture()
def own_s3(app, api_app, configure):
    """An S3 server of this test's own, used by the app for the test; yields `control`.

    `control("stop")` / `control("start")` stop and restart it, so an outage never
    touches the S3 server a running platform (or other tests) use.
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    local = LOCAL / "outage-s3"
    for stale in local.glob("s3-*"):  # objects of earlier runs (one folder per port)
        shutil.rmtree(stale, ignore_errors=True)
    env = {**os.environ, "LOCAL_DIR": str(local), "S3_PORT": str(port)}

    def control(action):
        subprocess.run(["bash", str(ROOT / "scripts" / "services.sh"), action, "s3"],
                       env=env, check=True, capture_output=True, timeout=180)

    control("start")
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client("s3", endpoint_url=endpoint, aws_access_key_id="consortium",
                 aws_secret_access_key="consortium-secret",
                 region_name="us-east-1").create_bucket(Bucket=TEST_BUCKET)
    configure(S3_ENDPOINT_URL=endpoint)
    _forget_s3_settings(app, api_app)
    try:
        yield control
    finally:
        control("stop")
        _forget_s3_settings(app, api_app)  # after `configure` restores the endpoint
