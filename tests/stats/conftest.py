"""Fixtures of the statistics tests: usage produced over HTTP (the SUSHI schema validator
and the independent SUSHI client are in tests/conftest.py, for the demo's test too)."""

from datetime import datetime

import pytest

from helpers import deposit, invoke_cli, publish_in_library
from stats_helpers import FIREFOX, GOOGLEBOT, event_clock, previous_month, process_events, reader


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
