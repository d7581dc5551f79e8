"""Administration → Dashboard: every library side by side, sortable, as CSV, with a chart."""

from datetime import datetime, timezone

import lxml.html
from consortium_tenants.tenants.components import TenantServiceComponent

from billing_time import after_midnight, at
from helpers import browser_of, deposit, new_draft, staff_browser, submit_review, upload



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

    take_daily_snapshots(now=after_midnight(1))  # today's snapshot, once today is over
    today = datetime.now(timezone.utc).date()
    res = client.get(f"/api/tenants/{small['slug']}/snapshots",
                     headers=small_people["managers"], query_string={"period": f"{today:%Y-%m}"})
    # The submitted deposit is the library's draft (its review's receiver); 3 B of "PDF".
    assert [(s["day"], s["records"], s["drafts"], s["bytes"], s["members"])
            for s in res.json["hits"]] == [(today.isoformat(), 0, 1, 3, 3)]
    estimate = "1210.00"  # this month's member fee (12000 a year), VAT 21 %

    browser = staff_browser(app, prefix="dash")
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
    assert rows[0] == ("slug,name,bytes,quota,percent,waiting,deposits,views_this_month,"
                       "downloads_this_month,estimate,open_percent")
    # Nobody has read either library yet: the statistics count 0 views and 0 downloads this month.
    # no published work yet: no open-access share
    assert f"{big['slug']},Library {big['slug']},4000,50000000000,0.0,0,0,0,0,{estimate}," in rows
    assert f"{small['slug']},Library {small['slug']},3,50000000000,0.0,1,0,0,0,{estimate}," in rows

    czech = browser.get("/administration/consortium-dashboard",
                        headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "Přehled konsorcia" in czech and "Čekající příspěvky" in czech
    # Money in the page's language (Babel): "1 210,00 Kč" (non-breaking spaces), "1,210.00 CZK"
    assert '<td class="right aligned estimate">1\xa0210,00\xa0Kč</td>' in czech
    english = browser.get("/administration/consortium-dashboard",
                          headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<td class="right aligned estimate">1,210.00\xa0CZK</td>' in english
    assert 'href="/libraries/stats"' in czech and "Statistiky využití členských knihoven" in czech

    manager = browser_of(app, small_people["managers_user"])
    assert manager.get("/administration/consortium-dashboard").status_code == 403


def test_tariffs_panel_lists_adds_and_refuses_bad_input_by_field(app, client, admin_headers,
                                                                  make_tenant):
    browser = staff_browser(app, prefix="dash")
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


class CountingUsage(TenantServiceComponent):
    """Stands for the statistics feature: the usage counters it adds to some libraries."""

    counts = {}

    def usage(self, tenant, data):
        data.update(self.counts.get(tenant.slug, {}))


def _row(html, slug):
    """The cells' texts of SLUG's row of a dashboard page, and its trend's points."""
    row = lxml.html.fromstring(html).xpath(f'//tr[@data-slug="{slug}"]')[0]
    points = row.xpath('.//svg[@class="storage-trend"]/polyline/@points')
    return [cell.text_content().strip() for cell in row.xpath("./td")], points


def test_a_librarys_dashboard_has_its_trend_views_downloads_and_csv_for_its_managers(
    app, client, make_tenant, configure
):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    tenant, people = make_tenant("dash-own")
    other, other_people = make_tenant("dash-other")
    slug = tenant["slug"]
    CountingUsage.counts = {slug: {"views_this_month": 17, "downloads_this_month": 5}}
    configure(CONSORTIUM_TENANT_SERVICE_COMPONENTS=[
        *app.config["CONSORTIUM_TENANT_SERVICE_COMPONENTS"], CountingUsage])
    draft = new_draft(client, people["depositors"])
    assert upload(client, people["depositors"], draft["id"], "a.bin",
                  b"x" * 4000).status_code == 200
    take_daily_snapshots(now=after_midnight(1))  # today: 4 kB
    assert upload(client, people["depositors"], draft["id"], "b.bin",
                  b"y" * 4000).status_code == 200
    take_daily_snapshots(now=after_midnight(2))  # tomorrow: 8 kB
    with at(after_midnight(2, minute=30)):
        manager = browser_of(app, people["managers_user"])
        res = manager.get(f"/libraries/{slug}/dashboard", headers={"Accept-Language": "en"})
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        cells, points = _row(html, slug)
        # 30 days across 120 px: the day before yesterday at 27/29, yesterday at 28/29
        # (today is not over: no snapshot yet); 4 kB of the most (8 kB) half way up.
        assert points == ["111.7,12.0 115.9,0.0"]
        assert cells[:3] == [slug, f"Library {slug}", "8.0 kB"]
        assert cells[4:10] == ["50.0 GB", "0.0 %", "0", "0", "17", "5"]
        assert f'href="/libraries/{slug}/dashboard"' in html  # the library's menu
        assert html.count("<tr data-slug=") == 1  # its row only

        res = manager.get(f"/libraries/{slug}/dashboard?format=csv")
        assert res.status_code == 200 and res.mimetype == "text/csv"
        header, row = res.get_data(as_text=True).splitlines()
        assert header == ("slug,name,bytes,quota,percent,waiting,deposits,views_this_month,"
                          "downloads_this_month,estimate,open_percent")
        assert row.startswith(f"{slug},Library {slug},8000,50000000000,0.0,0,0,17,5,")

        czech = manager.get(f"/libraries/{slug}/dashboard", headers={"Accept-Language": "cs"})
        text = czech.get_data(as_text=True)
        assert "Zobrazení tento měsíc" in text and "Stažení tento měsíc" in text
        # numbers as Czech writes them (decimal comma)
        assert "Úložiště za posledních 30 dní: od 4,0 kB" in text and "8,0 kB" in text
        assert "0,0 %" in text and "50,0 GB" in text

        # Nothing read (the statistics count 0); nothing stored: a flat line at the bottom.
        staff = staff_browser(app, prefix="dash")
        res = staff.get(f"/libraries/{other['slug']}/dashboard")
        assert res.status_code == 200
        cells, points = _row(res.get_data(as_text=True), other["slug"])
        assert points == ["111.7,24.0 115.9,24.0"] and cells[8:10] == ["0", "0"]
        # Without a feature answering the counters: "—".
        configure(CONSORTIUM_TENANT_SERVICE_COMPONENTS=[
            c for c in app.config["CONSORTIUM_TENANT_SERVICE_COMPONENTS"]
            if c.__name__ not in ("StatsTenantComponent", "CountingUsage")])
        cells, _ = _row(staff.get(f"/libraries/{other['slug']}/dashboard").get_data(
            as_text=True), other["slug"])
        assert cells[8:10] == ["—", "—"]
        assert staff.get("/libraries/no-such-library/dashboard").status_code == 404

        for user in (other_people["managers_user"], people["curators_user"],
                     people["depositors_user"]):
            assert browser_of(app, user).get(f"/libraries/{slug}/dashboard").status_code == 403
        assert app.test_client().get(f"/libraries/{slug}/dashboard").status_code == 302


def test_administration_lists_every_library_past_one_page_of_the_registry(
    app, client, make_tenant, admin_headers, configure
):
    make_tenant("dash-p1")
    make_tenant("dash-p2")
    total = client.get("/api/tenants", headers=admin_headers).json["hits"]["total"]
    assert total >= 2
    configure(CONSORTIUM_TENANTS_SEARCH_SIZE_MAX=1)  # one library per registry page

    browser = staff_browser(app, prefix="dash")
    csv = browser.get("/administration/consortium-dashboard?format=csv").get_data(as_text=True)
    assert len(csv.splitlines()) == 1 + total
    html = browser.get("/administration/tenants").get_data(as_text=True)
    assert html.count("<tr data-tenant=") == total
