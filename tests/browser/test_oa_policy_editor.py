"""A library's manager edits its open-access policy in the browser (issue 29), in Czech and
English: from the library's menu to the report, *Edit the policy*, a mistyped embargo
refused at its field with what was typed kept, a preset chosen by its name, saved; the
editor and the list of ending embargoes have no critical or serious axe violation."""

import pytest
from playwright.sync_api import expect

from browsing import axe, log_in

WORDS = {
    "cs": {"edit": "Upravit politiku", "embargo": "Nejdelší embargo v měsících",
           "preset": "Národní strategie otevřeného přístupu ČR", "save": "Uložit",
           "whole": "celé číslo", "saved": "Politika otevřeného přístupu byla uložena.",
           "based_on": "Naposledy nastaveno z předvolby Národní strategie otevřeného "
                       "přístupu ČR.",
           "version": "Přijatý rukopis", "embargoes": "Embarga končící v příštích 90 dnech"},
    "en": {"edit": "Edit the policy", "embargo": "Longest embargo in months",
           "preset": "Czech national open-access strategy", "save": "Save",
           "whole": "integer", "saved": "The open-access policy was saved.",
           "based_on": "Last set from: Czech national open-access strategy.",
           "version": "Accepted manuscript", "embargoes": "Embargoes ending in the next 90 days"},
}


def _report(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ×{v['nodes']} ({v['help']}) e.g. {v['targets']}"
                     for v in violations)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_manager_edits_the_policy_from_the_librarys_pages(app, site, open_page, make_library,
                                                           language):
    words = WORDS[language]
    library = make_library("mediated", prefix=f"oaed{language}")
    base = site.library(library.slug)
    page = open_page(language, "manager")
    log_in(page, base, library.manager)
    page.goto(base)
    page.locator("nav.tenant-admin a[data-page=oa]").first.click()
    page.get_by_role("link", name=words["edit"]).click()
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    assert violations == [], _report(violations)

    # A mistyped limit is refused at its field; what was typed stays; nothing is saved.
    page.watch.expect(r"/oa-policy$", 400)
    page.get_by_label(words["embargo"]).fill("dlouho")
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    expect(page.locator("#error-max_embargo_months")).to_contain_text(words["whole"])
    expect(page.get_by_label(words["embargo"])).to_have_value("dlouho")
    violations = axe(page)  # the page with its refusals
    assert violations == [], _report(violations)
    res = app.test_client().get(f"/api/tenants/{library.slug}/oa-policy")
    assert res.json["set"] is False

    # A preset chosen by its name replaces every field.
    page.get_by_label(words["embargo"]).fill("")
    page.locator("select#preset").select_option(label=words["preset"])
    with page.expect_navigation():
        page.get_by_role("button", name=words["save"]).click()
    expect(page.get_by_text(words["saved"])).to_be_visible()
    expect(page.get_by_text(words["based_on"])).to_be_visible()
    expect(page.get_by_label(words["version"])).to_be_checked()
    expect(page.get_by_label(words["embargo"])).to_have_value("6")
    policy = app.test_client().get(f"/api/tenants/{library.slug}/oa-policy").json
    assert policy["based_on"] == "czech-national" and policy["policy"]["max_embargo_months"] == 6

    # The library's list of ending embargoes, from the report page.
    page.go_back()
    page.goto(f"{base}/libraries/{library.slug}/oa")
    page.get_by_role("link", name=words["embargoes"]).click()
    page.wait_for_load_state("networkidle")
    violations = axe(page)
    assert violations == [], _report(violations)
