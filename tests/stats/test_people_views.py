"""What people see of the usage: deposits and storage per month, the library's public
totals, every library side by side, this month's usage for billing."""

import re
from datetime import datetime, time, timedelta, timezone

import pytest

from helpers import browser_of, invoke_cli
from stats_helpers import FIREFOX, process_events, reader

STORED = len(b"%PDF usage")  # the bytes of library A's one file (conftest library_usage)


@pytest.fixture(scope="module")
def usage(app, library_usage):
    """library_usage (last month), plus a view and a download of A's article this month,
    and today in the daily usage history (deposits and storage come from it)."""
    from consortium_tenants.billing.tasks import take_daily_snapshots
    from consortium_tenants.stats.summary import current_month

    recid = library_usage["recid"]
    browser = reader(app, "10.4.0.1", FIREFOX)
    assert browser.get(f"/records/{recid}").status_code == 200
    assert browser.get(f"/records/{recid}/files/work.pdf?download=1").status_code == 302
    process_events(app)
    tomorrow = datetime.now(timezone.utc).date() + timedelta(days=1)
    take_daily_snapshots(now=datetime.combine(tomorrow, time(0, 10)).isoformat())
    this_month = current_month()
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month",
                              this_month.strftime("%Y-%m")])
    assert result.exit_code == 0, result.output
    return {**library_usage, "this_month": this_month.strftime("%Y-%m"),
            "last_month": library_usage["month"].strftime("%Y-%m")}


def test_usage_hook_gives_this_months_views_and_downloads(client, usage):
    """Views are landing-page views on every page (were Total_Item_Investigations here,
    views plus downloads: 2 for one view and one download)."""
    for key, views, downloads in (("a", 1, 1), ("b", 0, 0)):
        tenant, people = usage[key]
        res = client.get(f"/api/tenants/{tenant['slug']}/usage", headers=people["managers"])
        assert res.status_code == 200, res.json
        assert res.json["views_this_month"] == views
        assert res.json["downloads_this_month"] == downloads
        this = usage["this_month"]
        stats = client.get(f"/api/tenants/{tenant['slug']}/stats", headers=people["managers"],
                           query_string={"from": this, "to": this, "interval": "month"}).json
        assert (stats["totals"]["views"], stats["totals"]["downloads"]) == (views, downloads)


def test_deposits_and_storage_per_month(app, client, usage):
    tenant, people = usage["a"]
    last, this = usage["last_month"], usage["this_month"]
    res = client.get(f"/api/tenants/{tenant['slug']}/stats", headers=people["managers"],
                     query_string={"from": last, "to": this, "interval": "month"})
    assert res.status_code == 200, res.json
    assert res.json["months"] == [
        {"month": last, "views": 2, "downloads": 2, "unique_visits": 2, "deposits": 0,
         "storage_bytes": None},  # no day of it recorded: the libraries are new
        {"month": this, "views": 1, "downloads": 1, "unique_visits": 1, "deposits": 1,
         "storage_bytes": STORED},
    ]
    assert res.json["totals"] == {"views": 3, "downloads": 3, "unique_visits": 3, "deposits": 1}
    manager = browser_of(app, people["managers_user"])
    page = f"/libraries/{tenant['slug']}/stats"
    for language, label, uniques in (
            ("en", "Storage at month end", "Unique item investigations"),
            ("cs", "Úložiště na konci měsíce", "Unikátní zkoumání děl")):
        html = manager.get(page, query_string={"from": last, "to": this},
                           headers={"Accept-Language": language}).get_data(as_text=True)
        assert f"<th>{label}</th>" in html
        assert f"<th>{uniques}</th>" in html  # a sum of per-work sessions, not visitors
        # this month is not over: labelled preliminary (stats/pages.py)
        assert re.search(rf'<tr><td>{this} <span class="ui tiny label stats-preliminary"[^>]*>'
                         rf'[^<]+</span></td><td>1</td><td>1</td><td>1</td><td>1</td>'
                         rf'<td data-bytes="{STORED}">{STORED} B</td></tr>', html)
        assert re.search(r'<svg[^>]* class="deposits-chart".*?<rect class="bar-deposits"[^>]*'
                         r'data-value="0".*?<rect class="bar-deposits"[^>]*data-value="1"', html)
    res = manager.get(f"{page}.csv", query_string={"from": last, "to": this})
    assert res.get_data(as_text=True).splitlines() == [
        "month,views,downloads,unique_visits,deposits,storage_bytes",
        f"{last},2,2,2,0,", f"{this},1,1,1,1,{STORED}"]


def test_library_front_page_shows_public_totals(app, usage):
    tenant, _ = usage["a"]
    slug = tenant["slug"]
    visitor = app.test_client()
    base = f"http://{slug}.localhost"
    res = visitor.get("/", base_url=base)
    assert res.status_code == 302 and res.location.endswith(f"/communities/{slug}/records")
    for language, text in (("en", "Last 12 months: 3 views, 3 downloads"),
                           ("cs", "Posledních 12 měsíců: 3 zobrazení, 3 stažení")):
        res = visitor.get(f"/communities/{slug}/records", base_url=base,
                          headers={"Accept-Language": language})
        assert res.status_code == 200
        assert f'<p class="library-usage-totals rel-mt-1">{text}</p>' in res.get_data(as_text=True)
    other = usage["b"][0]["slug"]
    html = visitor.get(f"/communities/{other}/records",
                       base_url=f"http://{other}.localhost").get_data(as_text=True)
    assert "Last 12 months: 0 views, 0 downloads" in html


def test_consortium_page_puts_the_libraries_side_by_side(app, make_user, usage):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user, _ = make_user()
    current_datastore.add_role_to_user(user, "consortium-admin")
    db.session.commit()
    admin = browser_of(app, user)
    (a, people_a), (b, _) = usage["a"], usage["b"]
    last, this = usage["last_month"], usage["this_month"]
    query = {"from": last, "to": this, "sort": "-views"}
    for language, heading in (("en", "Statistics of the member libraries"),
                              ("cs", "Statistiky členských knihoven")):
        res = admin.get("/libraries/stats", query_string=query,
                        headers={"Accept-Language": language})
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        assert f"<h1>{heading}</h1>" in html
        rows = re.findall(r'<tr data-library="([^"]+)"><td><a [^>]*>[^<]*</a></td>'
                          r'<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td><td>(\d+)</td>', html)
        mine = [row for row in rows if row[0] in (a["slug"], b["slug"])]
        assert mine == [(a["slug"], "3", "3", "3", "1"), (b["slug"], "0", "0", "0", "0")]
        views = [int(row[1]) for row in rows]
        assert views == sorted(views, reverse=True)
        assert re.search(rf'<rect class="bar-views"[^>]*data-value="3"><title>[^<]*'
                         rf'{a["short_name"]}: 3</title>', html)
    res = admin.get("/libraries/stats.csv", query_string={"from": last, "to": last})
    assert res.status_code == 200 and res.mimetype == "text/csv"
    lines = res.get_data(as_text=True).splitlines()
    assert lines[0] == "library,views,downloads,unique_visits,deposits"
    assert f"{a['slug']},2,2,2,0" in lines and f"{b['slug']},0,0,0,0" in lines
    assert admin.get("/libraries/stats", query_string={"sort": "size"}).status_code == 400
    manager = browser_of(app, people_a["managers_user"])
    assert manager.get("/libraries/stats", query_string=query).status_code == 403
    assert manager.get("/libraries/stats.csv", query_string=query).status_code == 403


def test_who_reads_statistics_is_decided_by_the_tenant_policy_from_config(client, configure,
                                                                          usage):
    """One permission policy (CONSORTIUM_TENANTS_PERMISSION_POLICY), no second one of
    the statistics' own: an instance that lets depositors read statistics gets that."""
    from consortium_tenants.tenants.permissions import TenantMembers, TenantPermissionPolicy

    class DepositorsReadStats(TenantPermissionPolicy):
        can_read_stats = [*TenantPermissionPolicy.curators, TenantMembers("depositors")]

    tenant, people = usage["a"]
    url, query = f"/api/tenants/{tenant['slug']}/stats", {"from": usage["this_month"],
                                                         "to": usage["this_month"]}
    assert client.get(url, headers=people["depositors"], query_string=query).status_code == 403
    configure(CONSORTIUM_TENANTS_PERMISSION_POLICY=DepositorsReadStats)
    res = client.get(url, headers=people["depositors"], query_string=query)
    assert res.status_code == 200, res.json
    assert res.json["totals"]["views"] == 1
    assert client.get(url, headers=usage["b"][1]["managers"],
                      query_string=query).status_code == 403
