"""A SUSHI client harvests COUNTER R5.1 reports of usage produced over HTTP."""

import re
from datetime import timedelta

from stats_helpers import month_range
from helpers import invoke_cli

SUSHI = "/api/sushi/r51"


def harvest(client, path, credentials, **params):
    """GET a SUSHI path with CREDENTIALS and PARAMS."""
    return client.get(f"{SUSHI}/{path}", query_string={**credentials, **params})


def test_status_is_public_and_valid(client, sushi_schema):
    res = client.get(f"{SUSHI}/status")
    assert res.status_code == 200
    sushi_schema("[Status]", res.json)
    assert res.json[0]["Service_Active"] is True


def library_rows(library_usage):
    """Library A's metric rows of the month, as (recid, columns...)."""
    from consortium_tenants.stats.models import ItemMonthUsage
    from invenio_db import db

    db.session.expire_all()
    rows = ItemMonthUsage.query.filter_by(month=library_usage["month"],
                                          tenant_id=library_usage["a"][0]["id"])
    return [(r.recid, r.access_type, r.yop, r.data_type, r.total_investigations,
             r.unique_investigations, r.total_requests, r.unique_requests) for r in rows]


def test_recompute_is_idempotent_and_shows_progress(app, library_usage):
    month = library_usage["month"].strftime("%Y-%m")
    expected = [(library_usage["recid"], "Open", "2026", "Article", 4, 2, 2, 2)]
    assert library_rows(library_usage) == expected
    assert re.search(rf"^{month}: \d+ item rows$", library_usage["cli_output"], re.M)
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", month])
    assert result.exit_code == 0, result.output
    assert library_rows(library_usage) == expected
    from consortium_tenants.stats.tasks import compute_recent_months

    compute_recent_months.delay()  # the beat task: the previous and the current month
    assert library_rows(library_usage) == expected
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", "2026-13"])
    assert result.exit_code == 1
    assert "--month must be YYYY-MM" in result.output


def test_platform_report_has_the_exact_counts(client, library_usage, credentials_of,
                                               sushi_schema):
    month = library_usage["month"]
    res = harvest(client, "reports/pr", credentials_of["a"], **month_range(month),
                  attributes_to_show="Access_Method")
    assert res.status_code == 200, res.json
    report = sushi_schema("PR", res.json)
    key = month.strftime("%Y-%m")
    tenant = library_usage["a"][0]
    assert report["Report_Header"]["Institution_Name"] == tenant["names"]["en"]
    assert "Exceptions" not in report["Report_Header"]
    assert report["Report_Items"] == [{
        "Platform": tenant["names"]["en"],
        "Attribute_Performance": [{
            "Data_Type": "Article", "Access_Method": "Regular",
            "Performance": {"Total_Item_Investigations": {key: 4},
                            "Total_Item_Requests": {key: 2},
                            "Unique_Item_Investigations": {key: 2},
                            "Unique_Item_Requests": {key: 2}},
        }],
    }]


def test_platform_usage_and_article_requests(client, library_usage, credentials_of,
                                             sushi_schema):
    month = library_usage["month"]
    key = month.strftime("%Y-%m")
    res = harvest(client, "reports/pr_p1", credentials_of["a"], **month_range(month))
    assert res.status_code == 200, res.json
    report = sushi_schema("PR_P1", res.json)
    assert report["Report_Items"][0]["Attribute_Performance"] == [{
        "Data_Type": "Article",
        "Performance": {"Total_Item_Requests": {key: 2}, "Unique_Item_Requests": {key: 2}},
    }]
    res = harvest(client, "reports/ir_a1", credentials_of["a"], **month_range(month))
    assert res.status_code == 200, res.json
    report = sushi_schema("IR_A1", res.json)
    [item] = report["Report_Items"][0]["Items"]
    assert item["Item"] == "Usage article"
    assert item["Item_ID"]["Proprietary"] == f"consortium:{library_usage['recid']}"
    assert item["Attribute_Performance"] == [{
        "Access_Type": "Open",
        "Performance": {"Total_Item_Requests": {key: 2}, "Unique_Item_Requests": {key: 2}},
    }]


def test_item_report_by_yop_and_access_type(client, library_usage, credentials_of,
                                            sushi_schema):
    month = library_usage["month"]
    key = month.strftime("%Y-%m")
    res = harvest(client, "reports/ir", credentials_of["a"], **month_range(month),
                  attributes_to_show="YOP|Access_Type|Country_Name",
                  metric_type="Total_Item_Investigations|Unique_Item_Requests")
    assert res.status_code == 200, res.json
    report = sushi_schema("IR", res.json)
    assert report["Report_Header"]["Exceptions"] == [{
        "Code": 3062, "Message": "Invalid ReportAttribute Value",
        "Data": "attributes_to_show=Country_Name"}]
    [item] = report["Report_Items"][0]["Items"]
    assert item["Attribute_Performance"] == [{
        "Data_Type": "Article", "YOP": "2026", "Access_Type": "Open",
        "Performance": {"Total_Item_Investigations": {key: 4},
                        "Unique_Item_Requests": {key: 2}},
    }]
    res = harvest(client, "reports/ir", credentials_of["a"], **month_range(month),
                  access_type="Controlled")
    report = sushi_schema("IR", res.json)
    assert report["Report_Items"] == []
    assert report["Report_Header"]["Exceptions"][0]["Code"] == 3030


def test_library_b_never_sees_library_a(client, library_usage, credentials_of, sushi_schema):
    month = library_usage["month"]
    tenant_a = library_usage["a"][0]
    res = harvest(client, "reports/pr", {**credentials_of["b"], "customer_id": tenant_a["slug"]},
                  **month_range(month))
    assert res.status_code == 403
    assert sushi_schema("Exception_2010", res.json)["Code"] == 2010
    res = harvest(client, "reports/ir", credentials_of["b"], **month_range(month))
    assert res.status_code == 200
    report = sushi_schema("IR", res.json)
    assert report["Report_Items"] == []
    assert report["Report_Header"]["Exceptions"] == [
        {"Code": 3030, "Message": "No Usage Available for Requested Dates"}]
    # B's manager can neither issue nor list A's credentials.
    people_b = library_usage["b"][1]
    url = f"/api/tenants/{tenant_a['slug']}/sushi-credentials"
    assert client.post(url, headers=people_b["managers"], json={}).status_code == 403
    assert client.get(url, headers=people_b["managers"]).status_code == 403
    assert client.get(url).status_code == 401
    assert client.get(url, headers=library_usage["a"][1]["curators"]).status_code == 403


def test_exceptions_have_the_spec_codes_and_statuses(client, library_usage, credentials_of,
                                                     sushi_schema):
    month = library_usage["month"]
    creds = credentials_of["a"]
    cases = [
        ({**creds, "begin_date": "2026-13", "end_date": "2026-04"}, 400, 3020),
        ({**creds, "begin_date": "2026-05", "end_date": "2026-04"}, 400, 3020),
        ({**creds, "end_date": "2026-04"}, 400, 1030),
        ({**creds, **month_range(month), "api_key": "wrong"}, 401, 2020),
        ({**creds, **month_range(month), "requestor_id": "nobody"}, 401, 2000),
        ({**creds, **month_range(month), "customer_id": "0000000000000000"}, 403, 2011),
        ({k: v for k, v in creds.items() if k != "api_key"}, 400, 1030),
    ]
    for params, status, code in cases:
        res = client.get(f"{SUSHI}/reports/pr", query_string=params)
        assert (res.status_code, res.json["Code"]) == (status, code), params
        sushi_schema(f"Exception_{code}", res.json)
    assert harvest(client, "reports/tr", creds, **month_range(month)).status_code == 404
    res = harvest(client, "reports/pr", creds, **month_range(month), colour="blue",
                  data_type="Article|Poem")
    report = sushi_schema("PR", res.json)
    assert {(e["Code"], e.get("Data")) for e in report["Report_Header"]["Exceptions"]} == {
        (3050, "colour"), (3060, "data_type=Poem")}


def test_report_list_members_and_revocation(app, client, library_usage, credentials_of,
                                            sushi_schema):
    creds = credentials_of["a"]
    reports = sushi_schema("[Report]", harvest(client, "reports", creds).json)
    assert [r["Report_ID"] for r in reports] == ["PR", "PR_P1", "IR", "IR_A1"]
    tenant_a, people_a = library_usage["a"]
    members = sushi_schema("[Member]", harvest(client, "members", creds).json)
    assert members == [{"Institution_Name": tenant_a["names"]["en"],
                        "Customer_ID": tenant_a["slug"]}]

    result = invoke_cli(app, ["tenants", "stats", "sushi-issue", "--consortium"])
    assert result.exit_code == 0, result.output
    issued = dict(line.split(": ", 1) for line in result.output.strip().splitlines())
    res = harvest(client, "members", issued)
    members = sushi_schema("[Member]", res.json)
    slugs = [m["Customer_ID"] for m in members]
    assert slugs[0] == "consortium"
    assert {tenant_a["slug"], library_usage["b"][0]["slug"]} <= set(slugs)

    listed = client.get(f"/api/tenants/{tenant_a['slug']}/sushi-credentials",
                        headers=people_a["managers"]).json["hits"]
    assert creds["requestor_id"] in [c["requestor_id"] for c in listed]
    assert all("api_key" not in c for c in listed)
    res = client.post(f"/api/tenants/{tenant_a['slug']}/sushi-credentials",
                      headers=people_a["managers"], json={"label": "x" * 300})
    assert res.status_code == 400 and "label" in res.json["errors"]
    extra = client.post(f"/api/tenants/{tenant_a['slug']}/sushi-credentials",
                        headers=people_a["managers"], json={}).json
    res = client.delete(f"/api/tenants/{tenant_a['slug']}/sushi-credentials/"
                        f"{extra['requestor_id']}", headers=people_a["managers"])
    assert res.status_code == 200
    params = {k: extra[k] for k in ("customer_id", "requestor_id", "api_key")}
    res = harvest(client, "reports", params)
    assert (res.status_code, res.json["Code"]) == (401, 2000)


def test_library_stats_rest_matches_the_reports(client, library_usage, admin_headers):
    month = library_usage["month"].strftime("%Y-%m")
    tenant_a, people_a = library_usage["a"]
    url = f"/api/tenants/{tenant_a['slug']}/stats"
    query = {"from": month, "to": month, "interval": "month"}
    for who in (people_a["managers"], people_a["curators"], admin_headers):
        res = client.get(url, headers=who, query_string=query)
        assert res.status_code == 200, res.json
        assert res.json["months"] == [{"month": month, "views": 2, "downloads": 2,
                                       "unique_visits": 2, "deposits": 0,
                                       "storage_bytes": None}]
        assert res.json["top_items"] == [{"id": library_usage["recid"], "views": 2,
                                          "downloads": 2, "title": "Usage article"}]
    assert client.get(url, headers=people_a["depositors"], query_string=query).status_code == 403
    assert client.get(url, headers=library_usage["b"][1]["managers"],
                      query_string=query).status_code == 403
    res = client.get(url, headers=people_a["managers"],
                     query_string={"from": "2026-xx", "to": month, "interval": "week"})
    assert res.status_code == 400
    assert set(res.json["errors"]) == {"from", "interval"}


def test_statistics_page_chart_table_and_csv(app, library_usage):
    from helpers import browser_of

    month = library_usage["month"].strftime("%Y-%m")
    tenant_a, people_a = library_usage["a"]
    url = f"/libraries/{tenant_a['slug']}/stats"
    query = {"from": month, "to": month}
    manager = browser_of(app, people_a["managers_user"])
    for language, heading, views in (("en", "Statistics", "Views"),
                                     ("cs", "Statistiky", "Zobrazení")):
        res = manager.get(url, query_string=query, headers={"Accept-Language": language})
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        assert f"<h1>{heading}: " in html
        assert f"<th>{views}</th>" in html
        assert f"<tr><td>{month}</td><td>2</td><td>2</td><td>2</td><td>0</td>" in html
        for series, value in (("views", 2), ("downloads", 2), ("unique_visits", 2)):
            assert re.search(rf'<rect class="bar-{series}"[^>]* data-value="{value}"', html)
        assert f'<a href="/records/{library_usage["recid"]}">Usage article</a>' in html
    res = manager.get(f"{url}.csv", query_string=query)
    assert res.status_code == 200 and res.mimetype == "text/csv"
    assert res.get_data(as_text=True).splitlines() == [
        "month,views,downloads,unique_visits,deposits,storage_bytes", f"{month},2,2,2,0,"]
    assert manager.get(url, query_string={"from": "2026-xx"}).status_code == 400
    curator = browser_of(app, people_a["curators_user"])
    assert curator.get(url, query_string=query).status_code == 200
    depositor = browser_of(app, people_a["depositors_user"])
    assert depositor.get(url, query_string=query).status_code == 403
    other = browser_of(app, library_usage["b"][1]["managers_user"])
    assert other.get(url, query_string=query).status_code == 403
    assert other.get(f"{url}.csv", query_string=query).status_code == 403


def test_counter_reports_as_tsv(app, library_usage):
    from stats_helpers import SUSHI_API
    from helpers import browser_of

    month = library_usage["month"]
    label = month.strftime("%b-%Y")
    tenant_a, people_a = library_usage["a"]
    manager = browser_of(app, people_a["managers_user"])
    url = f"/libraries/{tenant_a['slug']}/counter"
    res = manager.get(f"{url}/pr.tsv", query_string=month_range(month))
    assert res.status_code == 200 and res.mimetype == "text/tab-separated-values"
    lines = [line.split("\t") for line in res.get_data(as_text=True).split("\r\n")]
    sample = (SUSHI_API.parent / "samples" / "PR_sample_r51.tsv").read_text("utf-8-sig")
    assert [row[0] for row in lines[:14]] == [
        line.split("\t")[0] for line in sample.splitlines()[:14]]
    last_day = (month.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    assert lines[9] == ["Reporting_Period",
                        f"Begin_Date={month.isoformat()}; End_Date={last_day.isoformat()}"]
    name = tenant_a["names"]["en"]
    assert lines[14:19] == [
        ["Platform", "Data_Type", "Metric_Type", "Reporting_Period_Total", label],
        [name, "Article", "Total_Item_Investigations", "4", "4"],
        [name, "Article", "Total_Item_Requests", "2", "2"],
        [name, "Article", "Unique_Item_Investigations", "2", "2"],
        [name, "Article", "Unique_Item_Requests", "2", "2"],
    ]
    res = manager.get(f"{url}/ir_a1.tsv", query_string=month_range(month))
    rows = [line.split("\t") for line in res.get_data(as_text=True).split("\r\n")[15:17]]
    assert [(r[0], r[8], r[-4], r[-3], r[-2], r[-1]) for r in rows] == [
        ("Usage article", f"consortium:{library_usage['recid']}", "Open",
         "Total_Item_Requests", "2", "2"),
        ("Usage article", f"consortium:{library_usage['recid']}", "Open",
         "Unique_Item_Requests", "2", "2"),
    ]
    res = manager.get(f"{url}/pr.tsv", query_string={"begin_date": "2026-13", "end_date": "x"})
    assert res.status_code == 400
    assert res.get_data(as_text=True) == "3020: Invalid Date Arguments"
    depositor = browser_of(app, people_a["depositors_user"])
    assert depositor.get(f"{url}/pr.tsv", query_string=month_range(month)).status_code == 403


def test_sushi_answers_tabular_reports_when_asked_for_tsv(app, client, library_usage,
                                                          credentials_of):
    """The SUSHI resource serializes a report per mimetype: `Accept:
    text/tab-separated-values` gives the tabular report (the page's TSV, byte for byte),
    JSON stays the default; status, members and the report list are JSON only (406)."""
    from helpers import browser_of

    month = library_usage["month"]
    tenant_a, people_a = library_usage["a"]
    tsv = {"Accept": "text/tab-separated-values"}
    query = {**credentials_of["a"], **month_range(month)}
    page = browser_of(app, people_a["managers_user"])
    for extra, width in (({}, 5), ({"exclude_monthly_details": "True"}, 4)):
        res = client.get("/api/sushi/r51/reports/pr", headers=tsv,
                         query_string={**query, **extra})
        assert res.status_code == 200 and res.mimetype == "text/tab-separated-values"
        text = res.get_data(as_text=True)
        assert text == page.get(f"/libraries/{tenant_a['slug']}/counter/pr.tsv",
                                query_string={**month_range(month), **extra}).get_data(as_text=True)
        assert len(text.split("\r\n")[15].split("\t")) == width
    res = client.get("/api/sushi/r51/reports/pr", query_string=query)
    assert res.mimetype == "application/json" and res.json["Report_Items"]
    res = client.get("/api/sushi/r51/reports/pr", headers=tsv,
                     query_string={**query, "exclude_monthly_details": "maybe"})
    assert res.mimetype == "application/json" and res.json["Code"] == 3062
    assert client.get("/api/sushi/r51/status", headers=tsv).status_code == 406
    assert client.get("/api/sushi/r51/reports", headers=tsv,
                      query_string=credentials_of["a"]).status_code == 406
