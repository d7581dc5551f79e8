"""A library's managers edit its open-access policy on the library's pages (next to the
report, where their other settings are): refusals show each message at its field in
Czech or English (400) and change nothing; curators and depositors get 403."""

import re

from helpers import browser_of


def _post(browser, slug, data, language):
    """Post the form (the tests' app checks no CSRF token: tests/test_forms_with_csrf.py
    checks that the forms need one)."""
    page = browser.get(f"/libraries/{slug}/oa-policy", headers={"Accept-Language": language})
    assert page.status_code == 200
    return browser.post(f"/libraries/{slug}/oa-policy", data=data,
                        headers={"Accept-Language": language})


def test_a_manager_sets_the_policy_and_sees_refusals_at_their_fields(app, client,
                                                                     make_tenant):
    tenant, people = make_tenant("oapage")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])

    # Reachable from the report page the managers read.
    report = browser.get(f"/libraries/{slug}/oa", headers={"Accept-Language": "cs"})
    assert f'href="/libraries/{slug}/oa-policy">Upravit politiku</a>' in report.get_data(
        as_text=True)

    res = _post(browser, slug, {"max_embargo_months": "dlouho", "severity": "error",
                                "embargo_by_resource_type": "dataset 12",
                                "licenses": "cc-by-4.0"}, "cs")
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    embargo = html[html.index('id="max_embargo_months"'):html.index('id="embargo_by_resource_type"')]
    assert 'id="error-embargo_by_resource_type"' in html
    assert "Pište jeden typ zdroje na řádek ve tvaru typ: měsíce" in html
    assert 'value="dlouho"' in embargo  # what was typed stays in the form
    assert client.get(f"/api/tenants/{slug}/oa-policy").json["set"] is False  # nothing saved

    res = _post(browser, slug, {"max_embargo_months": "dlouho", "severity": "error"}, "cs")
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    label = re.search(r'id="error-max_embargo_months" role="alert">([^<]+)<', html)
    assert label and "celé číslo" in label.group(1).lower(), re.findall(
        r'id="error-[^"]*" role="alert">[^<]*<|class="ui negative message".{0,400}', html, re.S)
    res = _post(browser, slug, {"max_embargo_months": "-1", "severity": "sometimes"}, "en")
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert 'id="error-max_embargo_months"' in html and 'id="error-severity"' in html
    assert client.get(f"/api/tenants/{slug}/oa-policy").json["set"] is False

    res = _post(browser, slug, {"max_embargo_months": "6", "severity": "error",
                                "embargo_by_resource_type": "dataset: 12\n",
                                "licenses": ["cc-by-4.0", "cc0-1.0"],
                                "versions": ["accepted", "published"],
                                "funding_required": "on"}, "en")
    assert res.status_code == 302, res.get_data(as_text=True)[-2000:]
    policy = client.get(f"/api/tenants/{slug}/oa-policy").json
    assert policy["policy"] == {
        "licenses": ["cc-by-4.0", "cc0-1.0"], "max_embargo_months": 6,
        "embargo_by_resource_type": {"dataset": 12}, "versions": ["accepted", "published"],
        "funding_required": True, "data_within_months": None, "severity": "error"}
    page = browser.get(f"/libraries/{slug}/oa-policy").get_data(as_text=True)
    assert "dataset: 12" in page and 'id="licence-cc0-1.0" name="licenses" value="cc0-1.0" checked' in page

    res = _post(browser, slug, {"preset": "plan-s"}, "en")
    assert res.status_code == 302
    policy = client.get(f"/api/tenants/{slug}/oa-policy").json
    assert policy["based_on"] == "plan-s" and policy["policy"]["max_embargo_months"] == 0


def test_only_managers_edit_the_policy(app, client, make_tenant):
    tenant, people = make_tenant("oapage")
    slug = tenant["slug"]
    for role in ("curators", "depositors"):
        browser = browser_of(app, people[f"{role}_user"])
        assert browser.get(f"/libraries/{slug}/oa-policy").status_code == 403
        assert browser.post(f"/libraries/{slug}/oa-policy",
                            data={"preset": "plan-s"}).status_code in (400, 403)
    curator_report = browser_of(app, people["curators_user"]).get(f"/libraries/{slug}/oa")
    assert "edit-oa-policy" not in curator_report.get_data(as_text=True)
    assert client.get(f"/api/tenants/{slug}/oa-policy").json["set"] is False
