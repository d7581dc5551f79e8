"""Each deposit rule end to end: refused with field errors, fixed, reviewed, published."""

from datetime import date, timedelta

import pytest

from helpers import deposit, minimal_record, request_action, submit_review

AGREEMENT = {"cs": "Vkladatel potvrzuje, že má právo dílo zveřejnit.",
             "en": "The depositor confirms the right to publish the work."}
SOON = (date.today() + timedelta(days=80)).isoformat()
LATE = (date.today() + timedelta(days=800)).isoformat()

RULE_CASES = {
    # name: (rules, violating changes, fields with errors, fixing changes)
    "required metadata": (
        {"required_fields": ["description", "subjects"]},
        {},
        {"metadata.description", "metadata.subjects"},
        {"metadata": {"description": "Souhrn díla.", "subjects": [{"subject": "knihovny"}]}},
    ),
    "files required": (
        {"required_fields": ["files"]},
        {"files": {"enabled": False}},
        {"files.enabled"},
        {"files": {"enabled": True}},
    ),
    "resource types": (
        {"resource_types": ["publication", "oer"]},
        {"metadata": {"resource_type": {"id": "dataset"}}},
        {"metadata.resource_type"},
        {"metadata": {"resource_type": {"id": "oer"}}},
    ),
    "licences": (
        {"licenses": ["cc-by-4.0", "cc0-1.0"]},
        {"metadata": {"rights": [{"id": "cc-by-nc-4.0"}]}},
        {"metadata.rights"},
        {"metadata": {"rights": [{"id": "cc0-1.0"}]}},
    ),
    "open access only": (
        {"allow_restricted": False},
        {"access": {"record": "public", "files": "restricted"}},
        {"access.files"},
        {"access": {"record": "public", "files": "public"}},
    ),
    "embargo length": (
        {"allow_restricted": False, "max_embargo_months": 6},
        {"access": {"record": "public", "files": "restricted",
                    "embargo": {"active": True, "until": LATE, "reason": "Patent"}}},
        {"access.embargo.until"},
        {"access": {"record": "public", "files": "restricted",
                    "embargo": {"active": True, "until": SOON, "reason": "Patent"}}},
    ),
    "deposit agreement": (
        {"agreement": AGREEMENT},
        {},
        {"custom_fields.consortium:deposit_agreement"},
        {"custom_fields": {"consortium:deposit_agreement": True}},
    ),
}


def _body(title, changes):
    body = minimal_record(title)
    for section, values in changes.items():
        body[section] = {**body.get(section, {}), **values}
    return body


@pytest.mark.parametrize("case", sorted(RULE_CASES))
def test_rule_refuses_then_accepts(client, library, refresh, case):
    rules, bad, fields, good = RULE_CASES[case]
    tenant, people = library("mediated", **rules)
    dep, cur = people["depositors"], people["curators"]
    title = f"Pravidlo: {case}"
    draft = deposit(client, dep, tenant["community_id"], title, changes=bad,
                    content=None if bad.get("files") else b"%PDF-1.7")

    # The draft itself shows what is missing (the deposit form displays these).
    shown = client.get(f"/api/records/{draft['id']}/draft", headers=dep).json
    assert fields <= {e["field"] for e in shown.get("errors", [])}, shown.get("errors")

    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 400, res.json
    assert fields <= {e["field"] for e in res.json["errors"]}, res.json
    assert all(e["messages"] for e in res.json["errors"])

    res = client.put(f"/api/records/{draft['id']}/draft", headers=dep,
                     json=_body(title, {**bad, **good}))
    assert res.status_code == 200, res.json
    if good.get("files", {}).get("enabled"):
        from helpers import upload

        assert upload(client, dep, draft["id"], "work.pdf", b"%PDF-1.7").status_code == 200
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202, res.json
    assert request_action(client, cur, res.json["id"], "accept").status_code == 200
    refresh()
    found = client.get(f"/api/communities/{tenant['community_id']}/records",
                       query_string={"q": f'id:"{draft["id"]}"'}).json
    assert found["hits"]["total"] == 1


def test_rule_errors_speak_czech(client, library):
    tenant, people = library("mediated", required_fields=["description"])
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Česky")
    res = client.post(f"/api/records/{draft['id']}/draft/actions/submit-review",
                      headers={**dep, "Accept-Language": "cs"}, json={})
    assert res.status_code == 400
    messages = [m for e in res.json["errors"] for m in e["messages"]]
    assert any("vyžaduje vyplnit: Popis" in m for m in messages), messages


def test_curators_cannot_accept_what_breaks_rules_tightened_later(client, library):
    tenant, people = library("mediated")
    dep, cur, mgr = people["depositors"], people["curators"], people["managers"]
    draft = deposit(client, dep, tenant["community_id"], "Před zpřísněním")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    res = client.put(f"/api/tenants/{tenant['slug']}/workflow", headers=mgr,
                     json={"rules": {"required_fields": ["description"]}})
    assert res.status_code == 200, res.json
    res = request_action(client, cur, request_id, "accept")
    assert res.status_code == 400, res.json
    assert {e["field"] for e in res.json["errors"]} == {"metadata.description"}
    assert client.get(f"/api/records/{draft['id']}").status_code == 404
    assert client.get(f"/api/requests/{request_id}", headers=cur).json["status"] == "submitted"


def test_default_licence_of_the_library(client, library):
    tenant, people = library("mediated", licenses=["cc0-1.0", "cc-by-4.0"],
                             default_license="cc0-1.0")
    body = minimal_record("Bez licence")
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    assert [r["id"] for r in res.json["metadata"]["rights"]] == ["cc0-1.0"]
    body["metadata"]["rights"] = [{"id": "cc-by-4.0"}]  # a choice of the depositor stays
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert [r["id"] for r in res.json["metadata"]["rights"]] == ["cc-by-4.0"]


INVALID = [
    ({"preset": "anarchy"}, "preset"),
    ({"rules": {"required_fields": ["shoe_size"]}}, "rules.required_fields.0"),
    ({"rules": {"required_fields": ["description", "description"]}}, "rules.required_fields"),
    ({"rules": {"resource_types": ["novel"]}}, "rules.resource_types"),
    ({"rules": {"licenses": ["wtfpl"]}}, "rules.licenses"),
    ({"rules": {"licenses": ["cc0-1.0"], "default_license": "mit"}}, "rules.default_license"),
    ({"rules": {"allow_restricted": False,
                "default_access": {"record": "public", "files": "restricted"}}},
     "rules.default_access"),
    ({"rules": {"max_embargo_months": -1}}, "rules.max_embargo_months"),
    ({"rules": {"agreement": {"cs": "Jen česky"}}}, "rules.agreement.en"),
    ({"rules": {"agreement": {"cs": "<script>x</script>", "en": "ok"}}}, "rules.agreement.cs"),
    ({"rules": {"default_access": {"record": "secret", "files": "public"}}},
     "rules.default_access.record"),
]


@pytest.mark.parametrize("body,field", INVALID, ids=[f for _, f in INVALID])
def test_invalid_workflow_is_refused_with_field_errors(client, make_tenant, body, field):
    tenant, people = make_tenant("wf-bad")
    before = client.get(f"/api/tenants/{tenant['slug']}/workflow").json
    res = client.put(f"/api/tenants/{tenant['slug']}/workflow", headers=people["managers"],
                     json=body)
    assert res.status_code == 400, res.json
    assert field in {e["field"] for e in res.json["errors"]}, res.json
    assert client.get(f"/api/tenants/{tenant['slug']}/workflow").json == before  # nothing lost


def test_workflow_edits_belong_to_the_library_managers(client, make_tenant, admin_headers):
    a, a_people = make_tenant("wf-own")
    b, b_people = make_tenant("wf-other")
    url = f"/api/tenants/{a['slug']}/workflow"
    body = {"preset": "open", "rules": {"required_fields": ["description"]}}
    for headers in (b_people["managers"], a_people["curators"], a_people["depositors"]):
        assert client.put(url, headers=headers, json=body).status_code == 403
    assert client.put(url, json=body).status_code == 400  # anonymous: no CSRF token
    assert client.get(url).json["preset"] == "mediated"
    res = client.put(url, headers=a_people["managers"], json=body)
    assert res.status_code == 200 and res.json["preset"] == "open"
    assert res.json["rules"]["required_fields"] == ["description"]
    res = client.put(url, headers=admin_headers, json={"preset": "closed"})
    assert res.status_code == 200
    assert res.json["rules"]["required_fields"] == ["description"]  # kept
    community = client.get(f"/api/communities/{a['community_id']}").json
    assert community["access"]["review_policy"] == "open"


def test_rules_of_a_library_the_draft_no_longer_goes_to_do_not_apply(
        client, library, admin_headers):
    strict, strict_people = library("mediated", prefix="wf-strict",
                                    required_fields=["description"])
    lenient, lenient_people = library("open", prefix="wf-lenient")
    dep = strict_people["depositors"]
    res = client.post(f"/api/tenants/{lenient['slug']}/members", headers=admin_headers,
                      json={"email": strict_people["depositors_user"].email,
                            "role": "depositors"})
    assert res.status_code == 200, res.json
    body = _body("Přesměrovaný vklad", {"files": {"enabled": False}})
    body["parent"] = {"review": {"type": "community-submission",  # a member of two says which
                                 "receiver": {"community": strict["community_id"]}}}
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    draft = res.json
    assert submit_review(client, dep, draft["id"]).status_code == 400  # strict rules
    res = client.put(f"/api/records/{draft['id']}/draft/review", headers=dep,
                     json={"receiver": {"community": lenient["community_id"]},
                           "type": "community-submission"})
    assert res.status_code == 200, res.json
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202 and res.json["status"] == "accepted", res.json
