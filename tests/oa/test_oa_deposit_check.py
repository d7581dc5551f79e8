"""The library's open-access policy checked at deposit: each rule flags the draft at its
field, an `error` library refuses submission until fixed or a reason is stated, a
`warning` library only warns, and curators see the reason on the submission's page."""

from datetime import date

import pytest
from dateutil.relativedelta import relativedelta

from helpers import deposit, request_action, submit_review

REASON = "Vydavatel povoluje zveřejnění až po dvou letech; autor to doložil smlouvou."


def _until(months):
    return (date.today() + relativedelta(months=months)).isoformat()


def _embargo(months, type_id="publication-article"):
    return {"access": {"record": "public", "files": "restricted",
                       "embargo": {"active": True, "until": _until(months),
                                   "reason": "Vydavatel"}},
            "metadata": {"resource_type": {"id": type_id}}}


VERSION = "consortium:oa_version"
FUNDED = {"funding": [{"funder": {"name": "Grantová agentura ČR"}}]}


@pytest.fixture()
def oa_library(make_tenant, client):
    """Factory: a (mediated) library whose manager set an open-access policy."""

    def _make(**policy):
        tenant, people = make_tenant("oa")
        res = client.put(f"/api/tenants/{tenant['slug']}/oa-policy",
                         headers=people["managers"], json=policy)
        assert res.status_code == 200, res.json
        return tenant, people

    return _make


def _errors(client, headers, draft_id, language="en"):
    shown = client.get(f"/api/records/{draft_id}/draft",
                       headers={**headers, "Accept-Language": language}).json
    return shown.get("errors") or []


CASES = {
    # name: (policy, changes breaking it, field, changes meeting it)
    "licence": ({"licenses": ["cc-by-4.0", "cc0-1.0"]},
                {"metadata": {"rights": [{"id": "cc-by-nc-nd-4.0"}], **FUNDED}},
                "metadata.rights", {"metadata": {"rights": [{"id": "cc0-1.0"}], **FUNDED}}),
    "embargo": ({"max_embargo_months": 6}, _embargo(24), "access.embargo.until",
                _embargo(5)),
    "no embargo (Plan S)": ({"preset": "plan-s"},
                            {**_embargo(3), "metadata": {"rights": [{"id": "cc-by-4.0"}],
                                                         **FUNDED}},
                            "access.embargo.until",
                            {"access": {"record": "public", "files": "public"},
                             "metadata": {"rights": [{"id": "cc-by-4.0"}], **FUNDED},
                             # Plan S takes the accepted manuscript or the published version
                             "custom_fields": {VERSION: "published"}}),
    "funding": ({"funding_required": True}, {}, "metadata.funding", {"metadata": FUNDED}),
    "version": ({"versions": ["accepted", "published"]},
                {"custom_fields": {VERSION: "submitted"}}, f"custom_fields.{VERSION}",
                {"custom_fields": {VERSION: "published"}}),
}


def _body(title, changes):
    from helpers import minimal_record

    body = minimal_record(title)
    for section, values in changes.items():
        body[section] = {**body.get(section, {}), **values}
    return body


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_error_policy_refuses_submission_until_the_work_complies(client, oa_library,
                                                                    case):
    policy, bad, field, good = CASES[case]
    tenant, people = oa_library(**{"severity": "error", **policy})
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], f"OA: {case}", changes=bad)
    shown = [e for e in _errors(client, dep, draft["id"]) if e["field"] == field]
    assert shown and "open-access policy" in shown[0]["messages"][0], shown

    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 400, res.json
    assert field in {e["field"] for e in res.json["errors"]}, res.json

    res = client.put(f"/api/records/{draft['id']}/draft", headers=dep,
                     json=_body(f"OA: {case}", {**bad, **good}))
    assert res.status_code == 200, res.json
    assert field not in {e["field"] for e in res.json.get("errors") or []}
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202, res.json
    assert request_action(client, people["curators"], res.json["id"], "accept"
                          ).status_code == 200


def test_a_24_month_embargo_breaks_the_czech_preset_in_czech(client, oa_library):
    tenant, people = oa_library(preset="czech-national", severity="error")
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Embargo na dva roky",
                    changes={**_embargo(24), "metadata": {"rights": [{"id": "cc-by-4.0"}],
                                                          **FUNDED}})
    cs = {e["field"]: e["messages"] for e in _errors(client, dep, draft["id"], "cs")}
    assert cs["access.embargo.until"] == [
        f"{tenant['names']['cs']}, zásady otevřeného přístupu: embargo v délce 24 měsíců "
        "je delší, než dovolují (pro tento typ zdroje nejvýše 6 měsíců)."], cs
    en = {e["field"]: e["messages"] for e in _errors(client, dep, draft["id"], "en")}
    assert en["access.embargo.until"] == [
        f"An embargo of 24 months breaks the open-access policy of {tenant['names']['en']}: "
        "at most 6 months for this resource type."], en


def test_the_embargo_limit_follows_the_resource_type(client, oa_library):
    tenant, people = oa_library(max_embargo_months=6, embargo_by_resource_type={"dataset": 12},
                                severity="error")
    dep = people["depositors"]
    data = deposit(client, dep, tenant["community_id"], "Data", changes=_embargo(10, "dataset"))
    article = deposit(client, dep, tenant["community_id"], "Článek", changes=_embargo(10))
    assert "access.embargo.until" not in {e["field"] for e in _errors(client, dep, data["id"])}
    assert submit_review(client, dep, data["id"]).status_code == 202
    assert "access.embargo.until" in {e["field"] for e in _errors(client, dep, article["id"])}
    assert submit_review(client, dep, article["id"]).status_code == 400


def test_a_warning_policy_warns_and_lets_the_work_through(client, oa_library):
    tenant, people = oa_library(max_embargo_months=6, severity="warning")
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Jen varování", changes=_embargo(24))
    shown = [e for e in _errors(client, dep, draft["id"])
             if e["field"] == "access.embargo.until"]
    assert shown and shown[0]["severity"] == "warning", shown
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202, res.json
    assert request_action(client, people["curators"], res.json["id"], "accept"
                          ).status_code == 200


def test_a_stated_reason_lets_the_work_through_and_curators_see_it(app, client, oa_library):
    tenant, people = oa_library(max_embargo_months=6, severity="error")
    dep, cur = people["depositors"], people["curators"]
    draft = deposit(client, dep, tenant["community_id"], "S odůvodněním", changes={
        **_embargo(24), "custom_fields": {"consortium:oa_exception": REASON}})
    shown = [e for e in _errors(client, dep, draft["id"])
             if e["field"] == "access.embargo.until"]
    assert shown and shown[0]["severity"] == "warning", shown
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202, res.json
    request_id = res.json["id"]

    from helpers import browser_of

    curator = people["curators_user"]
    page = browser_of(app, curator).get(
        f"/communities/{tenant['slug']}/requests/{request_id}",
        headers={"Accept-Language": "cs"})
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "oa-policy-check" in html and REASON in html
    assert "Důvod výjimky uvedený vkladatelem" in html
    assert request_action(client, cur, request_id, "accept").status_code == 200
    record = client.get(f"/api/records/{draft['id']}", headers=dep).json
    assert record["custom_fields"]["consortium:oa_exception"] == REASON


def test_the_deposited_version_is_asked_of_publications_in_the_readers_language(client,
                                                                               oa_library):
    tenant, people = oa_library(versions=["accepted", "published"], severity="error")
    dep = people["depositors"]
    field = f"custom_fields.{VERSION}"
    article = deposit(client, dep, tenant["community_id"], "Článek bez verze")
    data = deposit(client, dep, tenant["community_id"], "Data bez verze",
                   changes={"metadata": {"resource_type": {"id": "dataset"}}})
    cs = {e["field"]: e["messages"] for e in _errors(client, dep, article["id"], "cs")}
    assert cs[field] == [f"{tenant['names']['cs']}, zásady otevřeného přístupu: uveďte, "
                         "kterou verzi díla vkládáte (dovolená: Přijatý rukopis, Vydaná verze)."]
    en = {e["field"]: e["messages"] for e in _errors(client, dep, article["id"], "en")}
    assert en[field] == [f"The open-access policy of {tenant['names']['en']} asks which "
                         "version of the work you deposit (allowed: Accepted manuscript, "
                         "Published version)."]
    assert field not in {e["field"] for e in _errors(client, dep, data["id"])}  # not asked
    assert submit_review(client, dep, data["id"]).status_code == 202
    assert submit_review(client, dep, article["id"]).status_code == 400

    # a value that is no version is the field's own error, in the request's language
    res = client.put(f"/api/records/{article['id']}/draft",
                     headers={**dep, "Accept-Language": "cs"},
                     json=_body("Článek bez verze", {"custom_fields": {VERSION: "koncept"}}))
    assert res.status_code == 200  # a draft keeps what it can; the field says what is wrong
    messages = [m for e in res.json["errors"] if e["field"] == field for m in e["messages"]]
    assert "Musí být jedno z: submitted, accepted, published." in messages, res.json["errors"]


def test_research_data_may_be_embargoed_as_long_as_the_policy_gives_data(client, oa_library):
    """`data_within_months` (data open at the latest that long after the project ends) is
    datasets' limit; other works keep `max_embargo_months`; a dataset limit the policy
    sets itself wins."""
    tenant, people = oa_library(max_embargo_months=6, data_within_months=12,
                                severity="error")
    dep = people["depositors"]
    field = "access.embargo.until"
    within = deposit(client, dep, tenant["community_id"], "Data do roka",
                     changes=_embargo(10, "dataset"))
    beyond = deposit(client, dep, tenant["community_id"], "Data po roce",
                     changes=_embargo(14, "dataset"))
    article = deposit(client, dep, tenant["community_id"], "Článek",
                      changes=_embargo(10))
    assert field not in {e["field"] for e in _errors(client, dep, within["id"])}
    assert submit_review(client, dep, within["id"]).status_code == 202
    cs = {e["field"]: e["messages"] for e in _errors(client, dep, beyond["id"], "cs")}
    assert cs[field] == [
        f"{tenant['names']['cs']}, zásady otevřeného přístupu: embargo v délce 14 měsíců "
        "je delší, než dovolují (pro tento typ zdroje nejvýše 12 měsíců)."], cs
    assert field in {e["field"] for e in _errors(client, dep, article["id"])}

    res = client.put(f"/api/tenants/{tenant['slug']}/oa-policy", headers=people["managers"],
                     json={"embargo_by_resource_type": {"dataset": 24}})
    assert res.status_code == 200, res.json
    assert field not in {e["field"] for e in _errors(client, dep, beyond["id"])}
