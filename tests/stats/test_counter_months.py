"""COUNTER months (issue 32 §2): which months are reported, and a stored month is never wiped.

The report list and the exceptions are validated against the COUNTER_SUSHI API schema
of /work/shared/standards (a copy in tests/stats/schemas).
"""

import re

from stats_helpers import month_range
from helpers import invoke_cli, run_job, run_log

SUSHI = "/api/sushi/r51"


def harvest(client, path, credentials, **params):
    """GET a SUSHI path with CREDENTIALS and PARAMS."""
    return client.get(f"{SUSHI}/{path}", query_string={**credentials, **params})


def earlier(month, months):
    """The first day of the month MONTHS months before MONTH."""
    index = month.year * 12 + month.month - 1 - months
    return month.replace(year=index // 12, month=index % 12 + 1)


def test_report_list_is_schema_valid_before_any_month_is_processed(client, credentials_of,
                                                                   sushi_schema):
    from consortium_tenants.stats.models import ProcessedMonth
    from invenio_db import db

    saved = [(m.month, m.computed_at) for m in ProcessedMonth.query]
    ProcessedMonth.query.delete()
    db.session.commit()
    try:
        reports = sushi_schema("[Report]", harvest(client, "reports", credentials_of["a"]).json)
    finally:
        for month, computed_at in saved:
            db.session.add(ProcessedMonth(month=month, computed_at=computed_at))
        db.session.commit()
    assert [r["Report_ID"] for r in reports] == ["PR", "PR_P1", "IR", "IR_A1"]
    assert all(r["First_Month_Available"] == r["Last_Month_Available"] for r in reports)


def test_months_before_the_first_processed_month_are_3032(client, library_usage,
                                                          credentials_of, sushi_schema):
    from consortium_tenants.stats.models import ProcessedMonth

    first = ProcessedMonth.query.order_by(ProcessedMonth.month).first().month
    last = ProcessedMonth.query.order_by(ProcessedMonth.month.desc()).first().month
    month = library_usage["month"]
    before = earlier(first, 2)
    res = harvest(client, "reports/pr", credentials_of["a"],
                  begin_date=before.strftime("%Y-%m"), end_date=month.strftime("%Y-%m"))
    report = sushi_schema("PR", res.json)
    exceptions = report["Report_Header"]["Exceptions"]
    codes = [e["Code"] for e in exceptions]
    assert 3032 in codes, exceptions
    not_ready = " ".join(e.get("Data", "") for e in exceptions if e["Code"] == 3031)
    assert before.strftime("%Y-%m") not in not_ready, exceptions
    gone = next(e for e in exceptions if e["Code"] == 3032)
    sushi_schema("Exception_3032", gone)
    assert gone["Data"].startswith(f"Usage available from {first.strftime('%Y-%m')} to "
                                   f"{last.strftime('%Y-%m')}")
    assert before.strftime("%Y-%m") in gone["Data"]
    assert earlier(first, 1).strftime("%Y-%m") in gone["Data"]
    # The processed month is still reported alongside the exception.
    assert report["Report_Items"], report
    reports = sushi_schema("[Report]", harvest(client, "reports", credentials_of["a"]).json)
    assert reports[0]["First_Month_Available"] == first.strftime("%Y-%m")


def test_platform_report_of_one_metric_reports_it(client, library_usage, credentials_of,
                                                  sushi_schema):
    """metric_type=Total_Item_Requests: the requests are reported (they were dropped).

    R5.1 §3.3 (zero usage) only omits empty Counts, Performance and Attribute_Performance,
    and the PR supports the Metric_Type filter; the API schema's PR_Performance_Other has
    `minProperties: 2`, which no report filtered to one metric can meet. The report is
    valid against the schema with that one constraint at 1; against the schema as published
    it fails on that minimum.
    """
    import json

    from jsonschema import Draft202012Validator
    from stats_helpers import SUSHI_API

    month = library_usage["month"]
    res = harvest(client, "reports/pr", credentials_of["a"], **month_range(month),
                  metric_type="Total_Item_Requests")
    report = res.json
    tenant_a = library_usage["a"][0]
    items = [i for i in report["Report_Items"] if i["Platform"] == tenant_a["names"]["en"]]
    assert [p["Performance"] for i in items for p in i["Attribute_Performance"]] == [
        {"Total_Item_Requests": {month.strftime("%Y-%m"): 2}}]
    assert report["Report_Header"]["Report_Filters"]["Metric_Type"] == ["Total_Item_Requests"]
    assert 3030 not in [e["Code"] for e in report["Report_Header"].get("Exceptions", [])]

    spec = json.loads(SUSHI_API.read_text())
    components = spec["components"]
    errors = list(Draft202012Validator({"$ref": "#/components/schemas/PR",
                                        "components": components}).iter_errors(report))
    assert errors and any(e.validator == "minProperties" and e.validator_value == 2
                          and set(e.instance) == {"Total_Item_Requests"}
                          for e in _leaves(errors)), [e.message for e in errors]
    components["schemas"]["PR_Performance_Other"]["minProperties"] = 1
    Draft202012Validator({"$ref": "#/components/schemas/PR", "components": components}
                         ).validate(report)


def _leaves(errors):
    """The innermost errors of a jsonschema validation (through oneOf/anyOf contexts)."""
    for error in errors:
        if error.context:
            yield from _leaves(error.context)
        else:
            yield error


def test_current_month_is_preliminary(app, client, library_usage, credentials_of,
                                      sushi_schema, panel_admin_headers):
    """A view this month: computed (CLI and the scheduled job), shown as preliminary on the
    stats page (en/cs), never processed: /reports does not advertise it, SUSHI does not
    report it."""
    from datetime import datetime, timezone

    from helpers import browser_of
    from stats_helpers import FIREFOX, process_events, reader

    now = datetime.now(timezone.utc)
    current = now.strftime("%Y-%m")
    res = reader(app, "10.1.3.3", FIREFOX).get(f"/records/{library_usage['recid']}")
    assert res.status_code == 200
    process_events(app)
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", current])
    assert result.exit_code == 0, result.output
    # item rows of every library's items viewed this month (other tests' libraries too)
    assert re.search(rf"{current}: [1-9][0-9]* item rows \(preliminary: the month is not over\)",
                     result.output), result.output
    # The scheduled job, run by an administrator: its log says what it computed.
    run = run_job(client, panel_admin_headers, "consortium-stats-months")
    assert run["status"] == "SUCCESS", run
    log = run_log(client, panel_admin_headers, run["id"])
    assert any(re.fullmatch(rf"COUNTER metrics of {current}: [1-9][0-9]* item rows "
                            r"\(preliminary\)", line) for line in log), log
    reports = sushi_schema("[Report]", harvest(client, "reports", credentials_of["a"]).json)
    assert all(r["Last_Month_Available"] < current for r in reports), reports

    tenant_a, people_a = library_usage["a"]
    manager = browser_of(app, people_a["managers_user"])
    previous = library_usage["month"].strftime("%Y-%m")
    for language, word in (("en", "preliminary"), ("cs", "předběžné")):
        html = manager.get(f"/libraries/{tenant_a['slug']}/stats",
                           query_string={"from": previous, "to": current},
                           headers={"Accept-Language": language}).get_data(as_text=True)
        assert re.search(rf"<tr><td>{current} <span [^>]*>{word}</span></td><td>1</td>", html)
        assert f"<tr><td>{previous}</td>" in html


def test_missing_event_indices_leave_the_stored_month_unchanged(app, client, library_usage,
                                                               credentials_of, sushi_schema,
                                                               panel_admin_headers):
    """Drill: the month's event indices are gone (a restore without them); recomputing
    fails with a clear error, the scheduled job's run is recorded as failed with that
    reason, SUSHI still reports the month."""
    from invenio_search import current_search_client
    from invenio_search.utils import prefix_index

    month = library_usage["month"]
    key = month.strftime("%Y-%m")
    before = harvest(client, "reports/pr", credentials_of["a"], **month_range(month)).json
    items = sushi_schema("PR", before)["Report_Items"]
    assert items[0]["Attribute_Performance"][0]["Performance"]["Total_Item_Investigations"] == {
        key: 4}

    indices = [prefix_index(f"events-stats-{name}-{key}")
               for name in ("record-view", "file-download")]
    # Only the downloads' index gone while the stored month counts downloads: an error too.
    current_search_client.indices.delete(index=indices[1])
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", key])
    assert result.exit_code == 1
    assert f"{key}: no events index {indices[1]} (restore it" in result.output
    current_search_client.indices.delete(index=indices[0])

    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", key])
    assert result.exit_code == 1
    assert f"{key}: no events index {indices[0]}, {indices[1]}" in result.output
    assert "stored metrics kept" in result.output

    # The scheduled job (the previous and the current month): its run failed, and says why.
    run = run_job(client, panel_admin_headers, "consortium-stats-months")
    assert run["status"] == "FAILED", run
    assert run["message"].startswith("MonthsNotComputed: "), run["message"]
    assert f"{key}: no events index {indices[0]}, {indices[1]}" in run["message"]
    assert any(line.startswith(f"COUNTER metrics not computed: {key}: no events index")
               for line in run_log(client, panel_admin_headers, run["id"]))

    after = harvest(client, "reports/pr", credentials_of["a"], **month_range(month)).json
    assert sushi_schema("PR", after)["Report_Items"] == items
    rest = client.get(f"/api/tenants/{library_usage['a'][0]['slug']}/stats",
                      headers=library_usage["a"][1]["managers"],
                      query_string={"from": key, "to": key, "interval": "month"})
    assert rest.status_code == 200, rest.json
    assert rest.json["months"][0]["views"] == 2 and rest.json["months"][0]["downloads"] == 2
