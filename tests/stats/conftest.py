"""Fixtures of the statistics tests: usage produced over HTTP, a SUSHI schema validator."""

import json
import os
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from helpers import LOCAL, deposit, invoke_cli, publish_in_library
from stats_helpers import (FIREFOX, GOOGLEBOT, SUSHI_API, event_clock, previous_month,
                           process_events, reader)


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


NIGIRI = Path(__file__).resolve().parent / "nigiri"


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


@pytest.fixture(scope="module")
def library_usage(app, make_tenant):
    """Library A with one published article used last month over HTTP; library B unused.

    At 12:00:00, 12:00:20 and 12:00:45 (a chain of double clicks) reader 1 opens
    the landing page, then downloads the file at 12:01:00; reader 2 opens it at
    12:05:00 and downloads it at 12:05:10 and 12:05:15 (double click); a robot
    views and downloads too. COUNTER: 2 views + 2 downloads = 4 investigations
    (2 unique), 2 requests (2 unique).
    """
    client = app.test_client()
    tenant_a, people_a = make_tenant("usea")
    tenant_b, people_b = make_tenant("useb")
    draft = deposit(client, people_a["depositors"], tenant_a["community_id"],
                    title="Usage article", content=b"%PDF usage")
    record = publish_in_library(client, people_a, tenant_a["community_id"], draft["id"])
    recid = record["id"]
    page, download = f"/records/{recid}", f"/records/{recid}/files/work.pdf?download=1"
    month = previous_month()
    first, second = reader(app, "10.1.1.1", FIREFOX), reader(app, "10.1.1.2", FIREFOX)
    robot = reader(app, "10.9.9.9", GOOGLEBOT)
    clicks = [("12:00:00", first, page), ("12:00:20", first, page), ("12:00:45", first, page),
              ("12:01:00", first, download), ("12:05:00", second, page),
              ("12:05:10", second, download), ("12:05:15", second, download),
              ("12:06:00", robot, page), ("12:06:10", robot, download)]
    for clock, browser, url in clicks:
        with event_clock(datetime.fromisoformat(f"{month.isoformat()} {clock}")):
            res = browser.get(url)
            # Landing page 200; a download is a redirect to the file's S3 address.
            assert res.status_code == (200 if url == page else 302), (url, res.status_code)
    process_events(app)
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", month.strftime("%Y-%m")])
    assert result.exit_code == 0, result.output
    return {"a": (tenant_a, people_a), "b": (tenant_b, people_b), "recid": recid,
            "month": month, "cli_output": result.output}


@pytest.fixture(scope="module")
def credentials_of(app, library_usage):
    """The SUSHI credentials a library's manager issues over REST: {slug: params}."""
    client = app.test_client()
    issued = {}
    for key in ("a", "b"):
        tenant, people = library_usage[key]
        res = client.post(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                          headers=people["managers"], json={"label": "harvester"})
        assert res.status_code == 201, res.json
        issued[key] = {k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}
    return issued
