"""Open-access reports on a known set of works: the numbers over REST, and the same
numbers in the CSV; the consortium's report gives each library's open share."""

import csv
import io
from datetime import date

from dateutil.relativedelta import relativedelta

from helpers import minimal_record, publish_in_library, upload

ANR = "00rbzpz17"  # Agence Nationale de la Recherche, in RDM's funders fixture


def _until(months):
    return (date.today() + relativedelta(months=months)).isoformat()


def _work(title, published, type_id="publication-article", licence="cc-by-4.0",
          access=None, files=True, funder=None, version=None):
    body = minimal_record(title)
    if version:
        body["custom_fields"] = {"consortium:oa_version": version}
    body["metadata"].update({"publication_date": published,
                             "resource_type": {"id": type_id},
                             "rights": [{"id": licence}]})
    if funder:
        body["metadata"]["funding"] = [{"funder": {"id": funder}}]
    if access:
        body["access"] = access
    body["files"] = {"enabled": files}
    return body


EMBARGO = {"record": "public", "files": "restricted",
           "embargo": {"active": True, "reason": "Nakladatel"}}
WORKS = {
    "A": _work("Dílo A", "2025-03-01", funder=ANR),
    "B": _work("Dílo B", "2026-01-10", type_id="dataset", licence="cc0-1.0"),
    "C": _work("Dílo C", "2026-05-01", access={**EMBARGO, "embargo": {
        **EMBARGO["embargo"], "until": _until(24)}}, funder=ANR),
    "D": _work("Dílo D", "2026-06-01", access={**EMBARGO, "embargo": {
        **EMBARGO["embargo"], "until": _until(3)}}),
    "E": _work("Dílo E", "2026-07-01", files=False),
    "F": _work("Dílo F", "2026-08-01", access={"record": "public", "files": "restricted"}),
}


def _publish(client, people, tenant, body):
    dep = people["depositors"]
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    draft_id = res.json["id"]
    if body["files"]["enabled"]:
        assert upload(client, dep, draft_id, "work.pdf", b"%PDF-1.7").status_code == 200
    return publish_in_library(client, people, tenant["community_id"], draft_id)["id"]


def test_report_numbers_over_rest_and_csv_on_a_known_set(app, client, make_tenant,
                                                         admin_headers):
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("oarep")
    slug = tenant["slug"]
    res = client.put(f"/api/tenants/{slug}/oa-policy", headers=people["managers"],
                     json={"licenses": ["cc-by-4.0"], "max_embargo_months": 6,
                           "severity": "warning"})  # warnings: every work gets through
    assert res.status_code == 200, res.json
    ids = {name: _publish(client, people, tenant, body) for name, body in WORKS.items()}
    current_rdm_records_service.indexer.refresh()

    res = client.get(f"/api/tenants/{slug}/oa-report", headers=people["curators"])
    assert res.status_code == 200, res.json
    report = res.json
    assert report["total"] == 6
    assert report["status"] == {"open": 2, "embargoed": 2, "restricted": 1,
                                "metadata-only": 1}
    years = {row["year"]: row for row in report["by_year"]}
    assert years["2025"]["open"] == 1 and years["2025"]["total"] == 1
    assert years["2026"]["total"] == 5 and years["2026"]["embargoed"] == 2
    types = {row["resource_type"]: row["total"] for row in report["by_resource_type"]}
    assert types == {"dataset": 1, "publication-article": 5}
    assert {item["licence"]: item["works"] for item in report["licences"]} == {
        "cc-by-4.0": 5, "cc0-1.0": 1}
    months = {item["month"]: item["works"] for item in report["embargoes_by_end_month"]}
    assert months == {_until(24)[:7]: 1, _until(3)[:7]: 1}
    funders = {row["funder"]: row for row in report["by_funder"]}
    assert funders[ANR]["total"] == 2 and funders[ANR]["embargoed"] == 1
    compliance = report["compliance"]
    assert (compliance["compliant"], compliance["non_compliant"]) == (4, 2)
    assert {w["id"] for w in compliance["works"]} == {ids["B"], ids["C"]}
    assert all(w["link"].endswith(f"/records/{w['id']}") for w in compliance["works"])

    res = client.get(f"/api/tenants/{slug}/oa-report?format=csv", headers=people["curators"])
    assert res.status_code == 200 and res.mimetype == "text/csv"
    table = list(csv.reader(io.StringIO(res.get_data(as_text=True))))
    assert table[0] == ["section", "key", "measure", "value"]
    cells = {(s, k, m): v for s, k, m, v in table[1:]}
    assert cells[("works", "", "total")] == str(report["total"])
    for status, count in report["status"].items():
        assert cells[("status", "", status)] == str(count)
    for row in report["by_year"]:
        for measure in ("open", "embargoed", "restricted", "metadata-only", "total"):
            assert cells[("by_year", row["year"], measure)] == str(row[measure])
    for item in report["licences"]:
        assert cells[("licences", item["licence"], "works")] == str(item["works"])
    for item in report["embargoes_by_end_month"]:
        assert cells[("embargoes_by_end_month", item["month"], "works")] == str(item["works"])
    assert cells[("compliance", "", "non_compliant")] == "2"
    assert {k for s, k, m in cells if s == "non_compliant_work"} == {ids["B"], ids["C"]}

    # The page shows the same numbers (charts and tables, Czech), with the works linked.
    from helpers import browser_of

    page = browser_of(app, people["curators_user"]).get(
        f"/libraries/{slug}/oa", headers={"Accept-Language": "cs"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Otevřený přístup" in html and "Stav přístupu podle roku vydání" in html
    summary = html[html.index('class="ui definition table oa-status"'):]
    for status, count in report["status"].items():
        assert f'<td data-status="{status}">{count}</td>' in summary
    assert f'data-compliant="4" data-non-compliant="2"' in html
    for work in compliance["works"]:
        assert f'<li data-id="{work["id"]}"><a href="{work["link"]}">' in html
    for row in report["by_year"]:
        assert f'<g class="bar" data-key="{row["year"]}"' in html  # the chart
    assert browser_of(app, people["depositors_user"]).get(
        f"/libraries/{slug}/oa").status_code == 403

    # The consortium's report and dashboard give the library's open share: 2 of 6 works.
    shares = {row["library"]: row for row in client.get(
        "/api/oa/report", headers=admin_headers).json["libraries"]}
    assert shares[slug] == {"library": slug, "total": 6, "open": 2, "open_percent": 33.3}
    from helpers import staff_browser

    res = staff_browser(app, prefix="oadash").get(
        "/administration/consortium-dashboard?format=csv&sort=slug")
    row = next(r for r in csv.DictReader(io.StringIO(res.get_data(as_text=True)))
               if r["slug"] == slug)
    assert row["open_percent"] == "33.3"


def test_reports_are_for_the_library_staff_and_consortium_administrators(
        client, make_tenant, admin_headers):
    tenant, people = make_tenant("oarep")
    other, other_people = make_tenant("oarep")
    url = f"/api/tenants/{tenant['slug']}/oa-report"
    for headers in (people["depositors"], other_people["managers"]):
        res = client.get(url, headers={**headers, "Accept-Language": "cs"})
        assert res.status_code == 403
        assert res.json["message"] == "S touto členskou knihovnou to dělat nesmíte."
    assert client.get(url, headers=people["managers"]).status_code == 200
    assert client.get(url, headers=admin_headers).status_code == 200
    res = client.get(f"{url}?format=xml", headers=admin_headers)
    assert res.status_code == 400
    assert client.get("/api/oa/report", headers=people["managers"]).status_code == 403
    res = client.get("/api/oa/report", headers=admin_headers)
    assert res.status_code == 200, res.json
    shares = {row["library"]: row for row in res.json["libraries"]}
    assert shares[tenant["slug"]]["total"] == 0 and shares[tenant["slug"]]["open_percent"] is None


def _embargoed(months):
    return {**EMBARGO, "embargo": {**EMBARGO["embargo"], "until": _until(months)}}


def test_the_report_finds_the_breaches_the_deposit_check_finds(app, client, make_tenant):
    """Versions and research data's availability count in the report as at deposit."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("oarepv")
    slug = tenant["slug"]
    res = client.put(f"/api/tenants/{slug}/oa-policy", headers=people["managers"],
                     json={"versions": ["accepted", "published"], "max_embargo_months": 6,
                           "data_within_months": 12, "severity": "warning"})
    assert res.status_code == 200, res.json
    works = {
        "data within a year": _work("Data 10", "2026-02-01", type_id="dataset",
                                    access=_embargoed(10)),
        "data after a year": _work("Data 14", "2026-02-01", type_id="dataset",
                                   access=_embargoed(14)),
        "accepted manuscript": _work("Rukopis", "2026-02-01", version="accepted",
                                     funder=ANR),
        "no version": _work("Bez verze", "2026-02-01"),
        "submitted manuscript": _work("Odeslaný", "2026-02-01", version="submitted"),
    }
    ids = {name: _publish(client, people, tenant, body) for name, body in works.items()}
    current_rdm_records_service.indexer.refresh()

    report = client.get(f"/api/tenants/{slug}/oa-report", headers=people["curators"]).json
    compliance = report["compliance"]
    assert {w["id"] for w in compliance["works"]} == {
        ids["data after a year"], ids["no version"], ids["submitted manuscript"]}
    assert (compliance["compliant"], compliance["non_compliant"]) == (2, 3)
    # Against the national strategy (funding stated too): only the funded manuscript.
    assert report["national_compliance"] == {"compliant": 1, "non_compliant": 4}
    table = client.get(f"/api/tenants/{slug}/oa-report?format=csv",
                       headers=people["curators"]).get_data(as_text=True)
    assert "national_compliance,,compliant,1" in table.splitlines()
    from helpers import browser_of

    html = browser_of(app, people["curators_user"]).get(
        f"/libraries/{slug}/oa", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "Soulad s Národní strategií otevřeného přístupu ČR" in html
    assert 'class="oa-national-compliance" data-compliant="1" data-non-compliant="4"' in html
