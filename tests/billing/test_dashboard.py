"""Administration → Dashboard: every library side by side, sortable, as CSV, with a chart."""

import calendar
import secrets
from datetime import datetime, timezone
from decimal import ROUND_HALF_UP, Decimal

from helpers import browser_of, deposit, new_draft, submit_review, upload



def _staff_browser(app):
    from flask_security.utils import hash_password
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    email = f"dash-{secrets.token_hex(3)}@consortium.example"
    user = current_datastore.create_user(email=email, password=hash_password("Heslo-123456"),
                                         active=True)
    for role in ("administration", "consortium-admin"):
        current_datastore.add_role_to_user(user, role)
    db.session.commit()
    browser = app.test_client()
    assert browser.post("/login/", data={"email": email, "password": "Heslo-123456"}
                        ).status_code == 302
    return browser


def test_dashboard_shows_every_library_sorted_with_csv_and_chart(
    app, client, make_tenant, admin_headers
):
    small, small_people = make_tenant("dash-a")
    big, big_people = make_tenant("dash-b")
    draft = new_draft(client, big_people["depositors"])
    assert upload(client, big_people["depositors"], draft["id"], "a.bin",
                  b"x" * 4000).status_code == 200
    waiting = deposit(client, small_people["depositors"], small["community_id"])
    assert submit_review(client, small_people["depositors"], waiting["id"]).status_code == 202
    from consortium_tenants.billing.tasks import take_daily_snapshots

    take_daily_snapshots.delay()  # today's snapshot: one day of the 1000 CZK monthly fee
    today = datetime.now(timezone.utc).date()
    res = client.get(f"/api/tenants/{small['slug']}/snapshots",
                     headers=small_people["managers"], query_string={"period": f"{today:%Y-%m}"})
    # The submitted deposit is the library's draft (its review's receiver); 3 B of "PDF".
    assert [(s["day"], s["records"], s["drafts"], s["bytes"], s["members"])
            for s in res.json["hits"]] == [(today.isoformat(), 0, 1, 3, 3)]
    net = (Decimal(1000) / calendar.monthrange(today.year, today.month)[1]).quantize(
        Decimal("0.01"), ROUND_HALF_UP)
    estimate = net + (net * Decimal("0.21")).quantize(Decimal("0.01"), ROUND_HALF_UP)

    browser = _staff_browser(app)
    res = browser.get("/administration/consortium-dashboard?sort=bytes&order=desc")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert html.index(f'<tr data-slug="{big["slug"]}">') < html.index(
        f'<tr data-slug="{small["slug"]}">')
    assert f'<g class="bar" data-slug="{big["slug"]}"' in html  # the chart
    assert 'aria-sort="descending"' in html
    res = browser.get("/administration/consortium-dashboard?sort=bytes&order=asc")
    html = res.get_data(as_text=True)
    assert html.index(f'<tr data-slug="{small["slug"]}">') < html.index(
        f'<tr data-slug="{big["slug"]}">')

    res = browser.get("/administration/consortium-dashboard?format=csv&sort=slug")
    assert res.status_code == 200 and res.mimetype == "text/csv"
    rows = res.get_data(as_text=True).splitlines()
    assert rows[0] == "slug,name,bytes,quota,percent,waiting,deposits,estimate"
    # On November 30th: 1000/30 = 33.33 net, 7.00 VAT: 40.33 gross.
    assert f"{big['slug']},Library {big['slug']},4000,50000000000,0.0,0,0,{estimate}" in rows
    assert f"{small['slug']},Library {small['slug']},3,50000000000,0.0,1,0,{estimate}" in rows

    czech = browser.get("/administration/consortium-dashboard",
                        headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "Přehled konsorcia" in czech and "Čekající příspěvky" in czech

    manager = browser_of(app, small_people["managers_user"])
    assert manager.get("/administration/consortium-dashboard").status_code == 403


def test_tariffs_panel_lists_adds_and_refuses_bad_input_by_field(app, client, admin_headers,
                                                                  make_tenant):
    browser = _staff_browser(app)
    page = browser.get("/administration/consortium-tariffs", headers={"Accept-Language": "cs"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert '<tr data-effective-from="2026-01-01">' in html and "Sazba DPH" in html

    res = browser.post("/administration/consortium-tariffs", data={
        "effective_from": "2027-02-01", "price_gb_month": "-3", "price_deposit": "5",
        "member_fee_year": "100", "vat_rate": "2"})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert 'id="tariff-price_gb_month-error"' in html and 'id="tariff-vat_rate-error"' in html
    assert 'id="tariff-price_deposit-error"' not in html

    res = browser.post("/administration/consortium-tariffs", data={
        "effective_from": "2027-02-01", "price_gb_month": "3", "price_deposit": "5",
        "member_fee_year": "100", "vat_rate": "0.12"})
    assert res.status_code == 302
    listed = {t["effective_from"]: t for t in client.get("/api/billing/tariffs").json["hits"]}
    assert (listed["2027-02-01"]["vat_rate"], listed["2027-02-01"]["source"]) == (
        "0.1200", "database")
    assert client.delete("/api/billing/tariffs/2027-02-01", headers=admin_headers
                         ).status_code == 204

    _, people = make_tenant("tariff-panel")
    manager = browser_of(app, people["managers_user"])
    assert manager.get("/administration/consortium-tariffs").status_code == 403
