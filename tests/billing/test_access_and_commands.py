"""Who reads statements and changes tariffs; bad input; the commands; the printable page."""

import json
from datetime import datetime, time, timedelta, timezone

import time_machine

from helpers import browser_of, invoke_cli, new_draft, upload

from billing_time import after_midnight, at, day, month_end, today


def test_a_librarys_statements_are_for_its_managers_and_the_consortium(
    client, make_tenant, admin_headers
):
    a, a_people = make_tenant("iso-a")
    b, b_people = make_tenant("iso-b")
    url = f"/api/tenants/{a['slug']}/statements"
    query = {"period": "2026-11"}
    assert client.get(url, headers=a_people["managers"], query_string=query).status_code == 200
    assert client.get(url, headers=admin_headers, query_string=query).status_code == 200
    for headers in (b_people["managers"], a_people["curators"], a_people["depositors"]):
        res = client.get(url, headers=headers, query_string=query)
        assert res.status_code == 403, res.json
        res = client.get(f"/api/tenants/{a['slug']}/snapshots", headers=headers,
                         query_string=query)
        assert res.status_code == 403, res.json
    assert client.get(url, query_string=query).status_code == 403
    res = client.get("/api/tenants/no-such-library/statements", headers=admin_headers,
                     query_string=query)
    assert res.status_code == 404
    res = client.get("/api/billing/summary", headers=a_people["managers"], query_string=query)
    assert res.status_code == 403


def test_bad_periods_and_formats_are_refused_by_field(client, make_tenant):
    tenant, people = make_tenant("badp")
    url = f"/api/tenants/{tenant['slug']}/statements"
    for query, field in (({}, "period"), ({"period": "2026-13"}, "period"),
                         ({"period": "November"}, "period"), ({"period": "2026-Q5"}, "period"),
                         ({"period": "2026-11", "format": "pdf"}, "format")):
        res = client.get(url, headers=people["managers"], query_string=query)
        assert res.status_code == 400, (query, res.json)
        assert [e["field"] for e in res.json["errors"]] == [field]


def test_tariffs_are_set_by_consortium_admins_only_and_validated(client, make_tenant,
                                                                 admin_headers):
    tenant, people = make_tenant("tariff")
    res = client.get("/api/billing/tariffs", headers=people["depositors"])
    assert res.status_code == 200
    assert res.json["hits"][0] == {
        "effective_from": "2026-01-01", "price_gb_month": "2.50", "price_deposit": "10.00",
        "member_fee_year": "12000.00", "free_gb": "0", "vat_rate": "0.21", "currency": "CZK",
        "source": "config"}
    body = {"effective_from": "2027-01-01", "price_gb_month": "2.00", "price_deposit": "5",
            "member_fee_year": "1200", "vat_rate": "0.21"}
    res = client.post("/api/billing/tariffs", headers=people["managers"], json=body)
    assert res.status_code == 403
    res = client.post("/api/billing/tariffs", headers=admin_headers, json={
        **body, "price_gb_month": "-1", "vat_rate": "1.5", "currency": "EUR",
        "effective_from": "someday"})
    assert res.status_code == 400
    assert sorted(e["field"] for e in res.json["errors"]) == [
        "currency", "effective_from", "price_gb_month", "vat_rate"]
    res = client.post("/api/billing/tariffs", headers=admin_headers, json=body)
    assert res.status_code == 201, res.json
    assert (res.json["price_gb_month"], res.json["source"]) == ("2.0000", "database")
    days = [t["effective_from"] for t in client.get("/api/billing/tariffs").json["hits"]]
    assert days[-1] == "2027-01-01"
    res = client.delete("/api/billing/tariffs/2027-01-01", headers=people["managers"])
    assert res.status_code == 403
    assert client.delete("/api/billing/tariffs/2027-01-01", headers=admin_headers).status_code == 204
    assert client.delete("/api/billing/tariffs/2027-01-01", headers=admin_headers).status_code == 404
    res = client.delete("/api/billing/tariffs/tomorrow", headers=admin_headers)
    assert res.status_code == 400
    assert res.json["errors"][0]["field"] == "effective_from"


def test_backfill_fills_missing_days_from_the_ledger_once(app, client, make_tenant):
    """The library and its file date from today (S3 refuses requests from another time);
    the backfill runs three days later over the day before creation and the two after."""
    tenant, people = make_tenant("backfill")
    slug, dep = tenant["slug"], people["depositors"]
    draft = new_draft(client, dep)
    assert upload(client, dep, draft["id"], "a.txt", b"a" * 1500).status_code == 200
    created = datetime.now(timezone.utc).date()
    days = {n: (created + timedelta(days=n)).isoformat() for n in (-1, 0, 1, 2, 3, 9)}

    later = datetime.combine(created + timedelta(days=3), time(12), tzinfo=timezone.utc)
    with time_machine.travel(later, tick=True):  # the four days are past days
        result = invoke_cli(app, ["tenants", "snapshots", "backfill", "--from", days[-1],
                                  "--to", days[2]])
        assert result.exit_code == 0, result.output
        assert "Taking snapshots" in result.output  # the progress bar
        again = invoke_cli(app, ["tenants", "snapshots", "backfill", "--from", days[-1],
                                 "--to", days[2]])
        assert again.exit_code == 0, again.output
        assert again.output.strip().endswith("0 snapshots taken for 4 days")
        bad = invoke_cli(app, ["tenants", "snapshots", "backfill", "--from", days[2],
                               "--to", days[-1]])
        assert bad.exit_code == 1
        assert "Must not be before --from" in bad.output
        for last in (days[3], days[9]):  # today is not over yet, nor is the future
            future = invoke_cli(app, ["tenants", "snapshots", "backfill", "--from", days[2],
                                      "--to", last])
            assert future.exit_code == 1
            assert "Must be before today" in future.output

    def snapshot_days(*periods):
        days = []
        for period in dict.fromkeys(periods):
            res = client.get(f"/api/tenants/{slug}/snapshots", headers=people["managers"],
                             query_string={"period": period})
            days += [(s["day"], s["bytes"], s["files"], s["members"]) for s in res.json["hits"]]
        return days

    # Nothing before the library was created; the file on every day since.
    assert snapshot_days(*(days[n][:7] for n in (-1, 0, 1, 2))) == [
        (days[n], 1500, 1, 3) for n in (0, 1, 2)]


def test_statement_command_and_printable_page_in_both_languages(app, client, make_tenant):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    tenant, people = make_tenant("print")
    other, other_people = make_tenant("print-b")  # before the clock moves (S3: its logo)
    slug = tenant["slug"]
    take_daily_snapshots(now=after_midnight(2))  # today and tomorrow
    month = today().strftime("%Y-%m")
    following = (today().replace(day=28) + timedelta(days=4)).strftime("%Y-%m")
    previous = (today().replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    (last, left), first = month_end(), day(0)  # read before the clock moves
    with at(after_midnight(2, minute=30)):
        result = invoke_cli(app, ["tenants", "statement", "--period", month, "--library",
                                  slug, "--format", "json"])
        assert result.exit_code == 0, result.output
        data = json.loads(result.output)
        # Default tariff: a member fee of 12000 a year, a month's fee whatever the days.
        assert data["totals"] == {"net": "1000.00", "vat": "210.00", "gross": "1210.00"}
        result = invoke_cli(app, ["tenants", "statement", "--period", month, "--library",
                                  slug, "--format", "csv"])
        rows = result.output.splitlines()
        assert rows[0] == "kind,from,to,days,quantity,unit_price,amount,vat_rate,vat"
        assert (f"member_fee,{first},{last},{left + 1},1.0000,1000.0000,1000.00,0.21,210.00"
                in rows)
        assert rows[-1] == "total_gross,,,,,,1210.00,,"
        result = invoke_cli(app, ["tenants", "statement", "--period", month, "--library",
                                  slug, "--format", "html", "--language", "cs"])
        assert result.exit_code == 0, result.output
        assert "Výpis" in result.output and "Celkem s DPH" in result.output
        result = invoke_cli(app, ["tenants", "statement", "--period", month,
                                  "--format", "csv"])
        assert f"{slug},Library {slug},{month},0.0000,0,1000.00,210.00,1210.00,CZK,no" in (
            result.output.splitlines())
        result = invoke_cli(app, ["tenants", "statement", "--period", month, "--format",
                                  "html"])
        assert result.exit_code == 1
        result = invoke_cli(app, ["tenants", "statement", "--period", month, "--library",
                                  "no-such-library"])
        assert result.exit_code == 1

        manager = browser_of(app, people["managers_user"])
        page = f"/libraries/{slug}/statements/{month}"
        res = manager.get(page, headers={"Accept-Language": "cs"})
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        assert '<html lang="cs">' in html and f"Knihovna {slug}" in html
        # Money in the page's locale (Babel): Czech "1 210,00 Kč", English "1,210.00 CZK".
        assert ('<td class="number" colspan="2" id="total-gross">1\xa0210,00\xa0Kč</td>'
                in html)
        res = manager.get(page, headers={"Accept-Language": "en"})
        assert "Total with VAT" in res.get_data(as_text=True)
        assert '<td class="number" colspan="2" id="total-gross">1,210.00\xa0CZK</td>' in (
            res.get_data(as_text=True))
        assert f'href="/libraries/{slug}/statements/{previous}" rel="prev"' in (
            res.get_data(as_text=True))
        assert f'href="/libraries/{slug}/statements/{following}" rel="next"' in (
            res.get_data(as_text=True))
        stranger = browser_of(app, other_people["managers_user"])
        assert stranger.get(page).status_code == 403
        assert manager.get(f"/libraries/{slug}/statements/2026-13").status_code == 404
