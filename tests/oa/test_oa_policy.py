"""A library's open-access policy over REST and the CLI: presets, field changes, who may
set it, and bad input refused in the request's language without changing anything."""

import pytest

from helpers import invoke_cli

CZECH = {"licenses": ["cc-by-4.0", "cc-by-sa-4.0", "cc-by-nc-4.0", "cc-by-nd-4.0",
                      "cc-by-nc-sa-4.0", "cc-by-nc-nd-4.0", "cc0-1.0"],
         "max_embargo_months": 6, "embargo_by_resource_type": {},
         "versions": ["accepted", "published"], "funding_required": True,
         "data_within_months": 12, "severity": "warning"}


def _url(tenant):
    return f"/api/tenants/{tenant['slug']}/oa-policy"


def test_a_library_without_a_policy_asks_for_nothing(client, make_tenant):
    tenant, _people = make_tenant("oa")
    res = client.get(_url(tenant))  # public: depositors read what the policy asks
    assert res.status_code == 200, res.json
    assert res.json["set"] is False and res.json["based_on"] is None
    assert res.json["policy"]["licenses"] == []
    assert res.json["policy"]["max_embargo_months"] is None
    assert set(res.json["presets"]) == {"czech-national", "plan-s"}
    assert res.json["links"]["self"].endswith(_url(tenant))


def test_manager_sets_the_czech_preset_then_changes_one_field(client, make_tenant):
    tenant, people = make_tenant("oa")
    res = client.put(_url(tenant), headers=people["managers"],
                     json={"preset": "czech-national"})
    assert res.status_code == 200, res.json
    assert res.json["based_on"] == "czech-national" and res.json["policy"] == CZECH

    # a field given replaces its value, the others stay (12 months for data sets)
    res = client.put(_url(tenant), headers=people["managers"],
                     json={"embargo_by_resource_type": {"dataset": 12}, "severity": "error"})
    assert res.status_code == 200, res.json
    stored = client.get(_url(tenant)).json
    assert stored["set"] is True and stored["based_on"] == "czech-national"
    assert stored["policy"] == {**CZECH, "embargo_by_resource_type": {"dataset": 12},
                                "severity": "error"}


def test_plan_s_preset_with_a_change_given_in_the_same_request(client, make_tenant):
    tenant, people = make_tenant("oa")
    res = client.put(_url(tenant), headers=people["managers"],
                     json={"preset": "plan-s", "severity": "warning"})
    assert res.status_code == 200, res.json
    policy = res.json["policy"]
    assert policy["licenses"] == ["cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0"]
    assert policy["max_embargo_months"] == 0 and policy["funding_required"] is True
    assert policy["severity"] == "warning"
    assert res.json["based_on"] == "plan-s"


def test_only_its_managers_and_consortium_administrators_set_it(client, make_tenant,
                                                                 admin_headers):
    tenant, people = make_tenant("oa")
    other, other_people = make_tenant("oa")
    for headers in (people["curators"], people["depositors"], other_people["managers"]):
        res = client.put(_url(tenant), headers={**headers, "Accept-Language": "cs"},
                         json={"preset": "plan-s"})
        assert res.status_code == 403, res.json
        assert res.json["message"] == "S touto členskou knihovnou to dělat nesmíte."
    # anonymous: refused (InvenioRDM's CSRF check answers first, 400)
    assert client.put(_url(tenant), json={"preset": "plan-s"}).status_code in (400, 401, 403)
    assert client.get(_url(tenant)).json["set"] is False
    res = client.put(_url(tenant), headers=admin_headers, json={"preset": "plan-s"})
    assert res.status_code == 200, res.json


BAD = {
    # name: (body, field, Czech message, English message)
    "unknown licence": ({"licenses": ["cc-by-4.0", "proprietary-x"]}, "licenses",
                        "Neznámé licence: proprietary-x.", "Unknown licences: proprietary-x."),
    "licence twice": ({"licenses": ["cc0-1.0", "cc0-1.0"]}, "licenses",
                      "Licence je uvedena dvakrát.", "A licence is listed twice."),
    "negative embargo": ({"max_embargo_months": -1}, "max_embargo_months",
                         "Musí být od 0 do 1\xa0200.",
                         "Must be greater than or equal to 0 and less than or equal to 1,200."),
    "unknown resource type": ({"embargo_by_resource_type": {"poetry-slam": 3}},
                              "embargo_by_resource_type", "Neznámé typy zdrojů: poetry-slam.",
                              "Unknown resource types: poetry-slam."),
    "unknown preset": ({"preset": "anything-goes"}, "preset",
                       "Musí být jedno z: czech-national, plan-s.",
                       "Must be one of: czech-national, plan-s."),
    "unknown severity": ({"severity": "fatal"}, "severity",
                         "Musí být jedno z: error, warning.", "Must be one of: error, warning."),
    "unknown field": ({"open_everything": True}, "open_everything",
                      "Neznámé pole.", "Unknown field."),
}


@pytest.mark.parametrize("case", sorted(BAD))
@pytest.mark.parametrize("language", ["cs", "en"])
def test_bad_input_is_refused_in_the_request_language_and_changes_nothing(
        client, make_tenant, case, language):
    body, field, czech, english = BAD[case]
    tenant, people = make_tenant("oa")
    assert client.put(_url(tenant), headers=people["managers"],
                      json={"preset": "czech-national"}).status_code == 200
    res = client.put(_url(tenant), headers={**people["managers"], "Accept-Language": language},
                     json=body)
    assert res.status_code == 400, res.json
    messages = {e["field"]: e["messages"] for e in res.json["errors"]}
    assert field in messages, res.json
    assert (czech if language == "cs" else english) in messages[field], messages
    after = client.get(_url(tenant)).json
    assert after["policy"] == CZECH and after["based_on"] == "czech-national"


def test_a_body_that_is_not_an_object_is_a_400(client, make_tenant):
    tenant, people = make_tenant("oa")
    res = client.put(_url(tenant), headers={**people["managers"], "Accept-Language": "cs"},
                     data="[1, 2]")
    assert res.status_code == 400, res.json
    assert res.json["message"] == "Tělem požadavku musí být objekt JSON, ne jiná hodnota."
    assert client.get("/api/tenants/no-such-library/oa-policy").status_code == 404


def test_cli_sets_and_shows_a_policy(app, client, make_tenant):
    tenant, _people = make_tenant("oa")
    slug = tenant["slug"]
    result = invoke_cli(app, ["tenants", "oa", "set", slug, "--preset", "plan-s",
                              "--json", '{"embargo_by_resource_type": {"dataset": 6}}'])
    assert result.exit_code == 0, result.output
    result = invoke_cli(app, ["tenants", "oa", "show", slug])
    assert result.exit_code == 0, result.output
    assert '"based_on": "plan-s"' in result.output and '"dataset": 6' in result.output
    assert client.get(_url(tenant)).json["policy"]["embargo_by_resource_type"] == {"dataset": 6}

    result = invoke_cli(app, ["tenants", "oa", "set", slug, "--json", '{"severity": "fatal"}'])
    assert result.exit_code == 1 and "severity" in result.output
    result = invoke_cli(app, ["tenants", "oa", "set", "no-such-library", "--preset", "plan-s"])
    assert result.exit_code == 1
    assert client.get(_url(tenant)).json["policy"]["severity"] == "error"
