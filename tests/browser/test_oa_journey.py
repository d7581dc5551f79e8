"""A depositor is told, in Czech, that a 24-month embargo breaks the library's open-access
policy (MZK's: the Czech national strategy, breaches are errors); with a stated reason
the work goes to the curators, who read the reason on the submission's page."""

import re
from datetime import date

from dateutil.relativedelta import relativedelta
from playwright.sync_api import expect

from browsing import log_in
from helpers import deposit, submit_review

REASON = "Nakladatel dovoluje zveřejnění až po dvou letech; smlouva je v příloze žádosti."


def test_a_depositor_is_told_that_a_24_month_embargo_breaks_the_policy(app, site, open_page,
                                                                      make_library):
    library = make_library("mediated", prefix="mzk")
    res = app.test_client().put(f"/api/tenants/{library.slug}/oa-policy",
                                headers=library.manager.headers,
                                json={"preset": "czech-national", "severity": "error"})
    assert res.status_code == 200, res.json
    until = (date.today() + relativedelta(months=24)).isoformat()
    draft = deposit(app.test_client(), library.depositor.headers, library.community_id,
                    "Dějiny brněnského knihtisku", changes={
                        "access": {"record": "public", "files": "restricted",
                                   "embargo": {"active": True, "until": until,
                                               "reason": "Smlouva s nakladatelem"}},
                        "metadata": {"rights": [{"id": "cc-by-4.0"}],
                                     "funding": [{"funder": {"name": "GA ČR"}}]}})
    base = site.library(library.slug)

    page = open_page("cs", "depositor")
    log_in(page, base, library.depositor)
    page.goto(f"{base}/uploads/{draft['id']}")
    page.locator("button[name=save]").click()
    told = page.get_by_text("embargo v délce 24 měsíců je delší, než dovolují "
                            "(pro tento typ zdroje nejvýše 6 měsíců)")
    expect(told.first).to_be_visible()
    # MZK's policy asks which version is deposited: the depositor picks it from the list.
    expect(page.get_by_text("uveďte, kterou verzi díla vkládáte").first).to_be_visible()
    version = page.get_by_role("listbox", name="Vkládaná verze")
    version.click()
    version.get_by_role("option", name="Vydaná verze").click()
    with page.expect_response(lambda r: r.request.method == "PUT" and
                              f"/api/records/{draft['id']}/draft" in r.url) as saving:
        page.locator("button[name=save]").click()
    assert saving.value.status == 200
    expect(page.get_by_text("uveďte, kterou verzi díla vkládáte")).to_have_count(0)
    saved = app.test_client().get(f"/api/records/{draft['id']}/draft",
                                  headers=library.depositor.headers).json
    assert saved["custom_fields"]["consortium:oa_version"] == "published"

    # The depositor states a reason: the breach becomes a warning, the work can go on.
    page.locator('[name="custom_fields.consortium:oa_exception"]').fill(REASON)
    page.locator("button[name=save]").click()
    page.wait_for_load_state("networkidle")
    page.locator("button[name=SubmitReview]").click()
    modal = page.locator(".ui.modal")
    for box in ("#accept-access-checkbox", "#accept-after-publish-checkbox"):
        if modal.locator(box).count():
            modal.locator(f"{box} label").click()
    with page.expect_navigation():
        modal.locator("button[name=submitReview]").click()
    page.wait_for_load_state("networkidle")
    assert "/requests/" in page.url, page.url
    request_id = page.url.rstrip("/").rsplit("/", 1)[-1]

    curator = open_page("cs", "curator")
    log_in(curator, base, library.curator)
    curator.goto(f"{base}/communities/{library.slug}/requests/{request_id}")
    curator.locator("#checks-tab").click()
    curator.locator("a.item[data-tab=consortium-oa-policy]").click()
    expect(curator.locator(".oa-exception-reason").get_by_text(REASON)).to_be_visible()
    expect(curator.get_by_text("embargo v délce 24 měsíců").first).to_be_visible()


def test_a_manager_reads_the_open_access_report(app, site, open_page, make_library):
    library = make_library("open", prefix="oarep")
    client = app.test_client()
    assert client.put(f"/api/tenants/{library.slug}/oa-policy", headers=library.manager.headers,
                      json={"licenses": ["cc0-1.0"], "severity": "warning"}).status_code == 200
    draft = deposit(client, library.depositor.headers, library.community_id,
                    "Mapy Brna", changes={"metadata": {"rights": [{"id": "cc-by-4.0"}]}})
    res = submit_review(client, library.depositor.headers, draft["id"])
    assert res.status_code == 202, res.json  # an open library publishes at once
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    base = site.library(library.slug)
    page = open_page("cs", "manager")
    log_in(page, base, library.manager)
    page.goto(base)
    href = page.locator("nav.tenant-admin a[data-page=oa]").first.get_attribute("href")
    page.goto(base + href if href.startswith("/") else href)
    expect(page.locator("h1")).to_contain_text("Otevřený přístup")
    expect(page.locator("figure.oa-chart svg")).to_be_visible()
    expect(page.locator("table.oa-status td[data-status=open]")).to_have_text("1")
    expect(page.locator("p.oa-compliance")).to_contain_text("v rozporu: 1")
    expect(page.locator("ul.oa-non-compliant").get_by_text("Mapy Brna")).to_be_visible()


def test_a_curator_reads_the_embargoes_ending_soon_in_czech(app, site, open_page,
                                                           make_library):
    from babel.dates import format_date

    library = make_library("open", prefix="oaemb")
    client = app.test_client()
    until = date.today() + relativedelta(days=10)
    draft = deposit(client, library.depositor.headers, library.community_id,
                    "Brněnské tisky", changes={
                        "access": {"record": "public", "files": "restricted",
                                   "embargo": {"active": True, "until": until.isoformat(),
                                               "reason": "Nakladatel"}}})
    res = submit_review(client, library.depositor.headers, draft["id"])
    assert res.status_code == 202, res.json  # an open library publishes at once
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    base = site.library(library.slug)
    page = open_page("cs", "curator")
    log_in(page, base, library.curator)
    page.goto(base)
    href = page.locator("nav.tenant-admin a[data-page=oa]").first.get_attribute("href")
    page.goto(base + href if href.startswith("/") else href)
    page.get_by_role("link", name="Embarga končící v příštích 90 dnech").click()
    expect(page.locator("h1")).to_contain_text("Končící embarga")
    row = page.locator(f"table.oa-ending-embargoes tr[data-id='{draft['id']}']")
    expect(row.get_by_role("link", name="Brněnské tisky")).to_have_attribute(
        "href", re.compile(f"/records/{draft['id']}$"))
    expect(row.locator("td[data-until]")).to_have_text(format_date(until, "long", locale="cs"))
    expect(row.locator("td[data-days]")).to_have_text("10")
    expect(page.locator("nav.library-nav a[data-page=embargoes]")).to_have_text("Embarga")
