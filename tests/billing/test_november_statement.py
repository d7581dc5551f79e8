"""A month from real uploads and deposits to its issued statements, by hand; what can no
longer change once they are issued; reading never writes.

Libraries, files and deposits are made at the real time (S3 refuses requests signed at
another time); the daily tasks run with an explicit "now" and the reads with the clock
moved forward (time_machine), over the real database.
"""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import requests

from billing_time import after_midnight, at, day, month_end, today
from helpers import (
    browser_of,
    invoke_cli,
    minimal_record,
    new_draft,
    publish_in_library,
    staff_browser,
    upload,
)

CENT, QUANTUM = Decimal("0.01"), Decimal("0.0001")


def statement(client, headers, slug, period, **args):
    return client.get(f"/api/tenants/{slug}/statements", headers=headers,
                      query_string={"period": period, **args})


def issued_count(period):
    from consortium_tenants.billing.models import StatementModel
    from invenio_db import db

    db.session.expire_all()
    return StatementModel.query.filter_by(period=period).count()


def publish_metadata_only(client, people, community_id, title):
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    return publish_in_library(client, people, community_id, res.json["id"])


TARIFF = {"price_gb_month": "100000.00", "price_deposit": "15.00",
          "member_fee_year": "6000.00", "vat_rate": "0.21"}
"""Storage dear enough for megabytes to show; a member fee of 500 a month."""


def test_a_month_is_closed_by_a_step_and_its_statements_never_change(
    app, client, make_tenant, admin_headers, tariffs, issued_periods
):
    from consortium_tenants.billing.tasks import close_billing_period, take_daily_snapshots

    tariffs(effective_from=day(0), **TARIFF)
    a, a_people = make_tenant("close-a")  # 5 MB and one deposit from today
    b, b_people = make_tenant("close-b")  # nothing
    draft = new_draft(client, a_people["depositors"])
    assert upload(client, a_people["depositors"], draft["id"], "scan.tif",
                  b"x" * 5_000_000).status_code == 200
    publish_metadata_only(client, a_people, a["community_id"], "Published today")
    month, (last, left) = f"{today():%Y-%m}", month_end()
    closing_time = after_midnight(left + 1, minute=40)  # the 1st of the next month

    # The month is over but its last day has no snapshot (the worker was down).
    take_daily_snapshots(now=after_midnight(left))  # up to the day before the last
    with at(after_midnight(left + 1, minute=5)):
        refused = invoke_cli(app, ["tenants", "billing", "close", month])
        assert refused.exit_code == 1
        assert f"{a['slug']}: {last}" in refused.output
        assert f"{b['slug']}: {last}" in refused.output
        # Reading the month now shows it provisional and writes nothing.
        data = statement(client, a_people["managers"], a["slug"], month).json
        assert (data["status"], data["final"], data["issued"]) == ("provisional", False, None)
        manager = browser_of(app, a_people["managers_user"])
        for language, text in (("en", "its statement is not issued yet"),
                               ("cs", "výpis ještě nebyl vystaven")):
            page = manager.get(f"/libraries/{a['slug']}/statements/{month}",
                               headers={"Accept-Language": language})
            assert text in page.get_data(as_text=True)
    assert issued_count(month) == 0
    early = invoke_cli(app, ["tenants", "billing", "close", month,
                             "--now", after_midnight(left, minute=30)])
    assert early.exit_code == 1 and f"{month} is not over yet" in early.output

    # The next run fills the last day; the daily close issues every library's statement.
    take_daily_snapshots(now=after_midnight(left + 1))
    issued_periods(month)
    assert close_billing_period(now=closing_time) >= 2
    again = invoke_cli(app, ["tenants", "billing", "close", month, "--now", closing_time])
    assert again.exit_code == 0 and f"{month}: 0 statements issued" in again.output

    # A by hand: 5 MB on each of its N days of a D-day month at 100 000 a GB-month; one
    # deposit at 15; the month's member fee, 6000 / 12; VAT 21 % per line.
    days_in_month, n = last.day, left + 1
    quantity = (Decimal(5_000_000) * n / 10**9 / days_in_month).quantize(QUANTUM, ROUND_HALF_UP)
    storage = (quantity * 100000).quantize(CENT, ROUND_HALF_UP)
    vat = lambda amount: (amount * Decimal("0.21")).quantize(CENT, ROUND_HALF_UP)  # noqa: E731
    net = storage + Decimal("15.00") + Decimal("500.00")
    with at(closing_time):
        data = statement(client, a_people["managers"], a["slug"], month).json
    assert (data["status"], data["final"]) == ("issued", True)
    assert [(l["kind"], l["from"], l["to"], l["days"], l["quantity"], l["unit_price"],
             l["amount"]) for l in data["lines"]] == [
        ("storage", day(0), str(last), n, str(quantity), "100000.0000", str(storage)),
        ("deposits", day(0), str(last), n, "1.0000", "15.0000", "15.00"),
        ("member_fee", day(0), str(last), n, "1.0000", "500.0000", "500.00"),
    ]
    assert data["totals"] == {
        "net": str(net), "vat": str(vat(storage) + vat(Decimal(15)) + vat(Decimal(500))),
        "gross": str(net + vat(storage) + vat(Decimal(15)) + vat(Decimal(500)))}
    # Every line: the quantity shown times the unit price shown is the amount shown.
    for line in data["lines"]:
        assert (Decimal(line["quantity"]) * Decimal(line["unit_price"])).quantize(
            CENT, ROUND_HALF_UP) == Decimal(line["amount"])
    b_data = statement(client, b_people["managers"], b["slug"], month).json
    assert b_data["totals"]["net"] == "500.00" and b_data["status"] == "issued"

    # Prices can no longer change in (or before) the issued month: 409 with the reason.
    retro = {"effective_from": str(last), **TARIFF, "price_gb_month": "999.00"}
    for language, text in (
            ("en", f"A tariff from {last} would change statements already issued"),
            ("cs", f"Tarif platný od {last} by změnil již vystavené výpisy")):
        res = client.post("/api/billing/tariffs", json=retro,
                          headers={**admin_headers, "Accept-Language": language})
        assert res.status_code == 409, res.json
        assert text in res.json["message"]
    res = client.delete(f"/api/billing/tariffs/{day(0)}", headers=admin_headers)
    assert res.status_code == 409, res.json
    panel = staff_browser(app, prefix="close").post(
        "/administration/consortium-tariffs", data={**retro, "effective_from": str(last)},
        headers={"Accept-Language": "en"})
    assert panel.status_code == 409
    assert "would change statements already issued" in panel.get_data(as_text=True)
    following = str(last + timedelta(days=1))  # after the issued month: allowed
    res = client.post("/api/billing/tariffs", headers=admin_headers,
                      json={**retro, "effective_from": following})
    assert res.status_code == 201, res.json
    assert client.delete(f"/api/billing/tariffs/{following}",
                         headers=admin_headers).status_code == 204
    with at(after_midnight(left + 2)):  # nor can snapshots be backfilled into it
        backfill = invoke_cli(app, ["tenants", "snapshots", "backfill", "--from", str(last),
                                    "--to", str(last)])
        assert backfill.exit_code == 1
        assert "would fall into statements already issued" in backfill.output
        assert statement(client, a_people["managers"], a["slug"], month).json == data


def test_concurrent_first_reads_of_a_past_month_all_answer_and_write_nothing(
    make_tenant, http_server
):
    tenant, people = make_tenant("reads")
    previous = f"{today().replace(day=1) - timedelta(days=1):%Y-%m}"
    before = issued_count(previous)
    start = threading.Barrier(4)

    def read(_):
        start.wait()
        return requests.get(f"{http_server}/api/tenants/{tenant['slug']}/statements",
                            params={"period": previous}, headers=people["managers"],
                            timeout=120)

    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(read, range(4)))
    assert [r.status_code for r in answers] == [200] * 4
    assert {r.json()["status"] for r in answers} == {"provisional"}
    assert issued_count(previous) == before


def test_a_year_is_the_sum_of_its_months(client, make_tenant, tariffs):
    """10 000 a year is 833.33 a month: the year says 12 x 833.33 = 9 999.96, as its
    months do, not 10 000.00 computed anew."""
    year = today().year + 1
    tariffs(effective_from=f"{year}-01-01", price_gb_month="0", price_deposit="0",
            member_fee_year="10000.00", vat_rate="0.21")
    tenant, people = make_tenant("year")
    with at(f"{year + 1}-01-15T12:00:00"):
        months = [statement(client, people["managers"], tenant["slug"],
                            f"{year}-{m:02d}").json for m in range(1, 13)]
        data = statement(client, people["managers"], tenant["slug"], str(year)).json
        quarter = statement(client, people["managers"], tenant["slug"], f"{year}-Q1").json
    assert {m["totals"]["net"] for m in months} == {"833.33"}
    assert {m["totals"]["gross"] for m in months} == {"1008.33"}
    assert data["totals"] == {"net": "9999.96", "vat": "2100.00", "gross": "12099.96"}
    assert [m["period"] for m in data["months"]] == [f"{year}-{m:02d}" for m in range(1, 13)]
    assert quarter["totals"]["net"] == "2499.99" and data["status"] == "provisional"
    assert date.fromisoformat(data["to"]) == date(year, 12, 31)
