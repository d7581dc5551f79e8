"""The three presets end to end over the REST API: draft → file → submit → review → publish."""

import pytest

from helpers import deposit, minimal_record, request_action, submit_review


def _in_collection(client, tenant, record_id):
    """Whether the record is found in the library's collection search and the site search."""
    res = client.get(f"/api/communities/{tenant['community_id']}/records",
                     query_string={"q": f'id:"{record_id}"'})
    assert res.status_code == 200, res.json
    in_collection = res.json["hits"]["total"] == 1
    res = client.get("/api/records", query_string={"q": f'id:"{record_id}"'})
    return in_collection and res.json["hits"]["total"] == 1


def test_a_new_library_is_mediated(client, make_tenant):
    tenant, people = make_tenant("wf-new")
    res = client.get(f"/api/tenants/{tenant['slug']}/workflow")
    assert res.status_code == 200, res.json
    assert res.json["preset"] == "mediated"
    assert res.json["rules"]["required_fields"] == [] and res.json["rules"]["agreement"] is None
    community = client.get(f"/api/communities/{tenant['community_id']}").json
    assert community["access"]["review_policy"] == "open"  # curators publish directly
    assert community["access"]["record_submission_policy"] == "closed"  # members only


def test_open_library_publishes_its_depositors_directly(client, library, refresh):
    tenant, people = library("open")
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Otevřený vklad")
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202, res.json
    assert res.json["status"] == "accepted"
    record = client.get(f"/api/records/{draft['id']}")
    assert record.status_code == 200
    assert record.json["parent"]["communities"]["ids"] == [tenant["community_id"]]
    refresh()
    assert _in_collection(client, tenant, draft["id"])


def test_mediated_library_review_with_changes_requested(client, library, refresh, outbox):
    tenant, people = library("mediated")
    dep, cur = people["depositors"], people["curators"]
    depositor = people["depositors_user"].email
    draft = deposit(client, dep, tenant["community_id"], "Zprostředkovaný vklad")

    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202, res.json
    request_id = res.json["id"]
    assert res.json["status"] == "submitted"
    assert client.get(f"/api/records/{draft['id']}").status_code == 404  # not published

    # The curator asks for changes with a comment; the depositor is told by e-mail.
    res = request_action(client, cur, request_id, "request_changes",
                         "Doplňte prosím abstrakt.")
    assert res.status_code == 200, res.json
    assert res.json["status"] == "changes_requested"
    mails = [m for m in outbox if depositor in m.recipients
             and m.subject == "Changes requested for 'Zprostředkovaný vklad'"]
    assert len(mails) == 1, [m.subject for m in outbox]
    assert "Doplňte prosím abstrakt." in mails[0].body
    assert "submit it for review again" in mails[0].body
    refresh()
    timeline = client.get(f"/api/requests/{request_id}/timeline", headers=dep).json
    comments = [h["payload"].get("content") for h in timeline["hits"]["hits"]
                if h["type"] == "C"]
    assert "Doplňte prosím abstrakt." in comments
    # The curator cannot accept before the depositor resubmits… only the depositor resubmits.
    assert request_action(client, cur, request_id, "request_changes").status_code == 400

    # The depositor edits and resubmits the same request.
    body = minimal_record("Zprostředkovaný vklad")
    body["metadata"]["description"] = "Abstrakt doplněn."
    assert client.put(f"/api/records/{draft['id']}/draft", headers=dep, json=body).status_code == 200
    res = submit_review(client, dep, draft["id"], "Abstrakt doplněn.")
    assert res.status_code == 202, res.json
    assert res.json["id"] == request_id and res.json["status"] == "submitted"

    res = request_action(client, cur, request_id, "accept", "Děkujeme.")
    assert res.status_code == 200, res.json
    assert res.json["status"] == "accepted"
    record = client.get(f"/api/records/{draft['id']}").json
    assert record["metadata"]["description"] == "Abstrakt doplněn."
    refresh()
    assert _in_collection(client, tenant, draft["id"])


def test_mediated_library_decline_and_resubmission(client, library, refresh, outbox):
    tenant, people = library("mediated")
    dep, cur = people["depositors"], people["curators"]
    depositor, curator = people["depositors_user"].email, people["curators_user"].email
    draft = deposit(client, dep, tenant["community_id"], "Odmítnutý vklad")
    refresh()  # curators are found by searching the community's members
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    assert any(curator in m.recipients for m in outbox)  # curators hear of the submission
    res = request_action(client, cur, request_id, "decline", "Mimo zaměření sbírky.")
    assert res.status_code == 200 and res.json["status"] == "declined"
    assert client.get(f"/api/records/{draft['id']}").status_code == 404
    subjects = [m.subject for m in outbox if depositor in m.recipients]
    assert any("declined" in s and "Odmítnutý vklad" in s for s in subjects), subjects

    # A declined draft can be submitted again (a new request).
    res = client.put(f"/api/records/{draft['id']}/draft/review", headers=dep,
                     json={"receiver": {"community": tenant["community_id"]},
                           "type": "community-submission"})
    assert res.status_code == 200, res.json
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 202 and res.json["id"] != request_id
    assert request_action(client, cur, res.json["id"], "accept").status_code == 200
    refresh()
    assert _in_collection(client, tenant, draft["id"])


@pytest.mark.parametrize("preset", ["open", "mediated", "closed"])
def test_curators_publish_directly_under_every_preset(client, library, refresh, preset):
    tenant, people = library(preset)
    cur = people["curators"]
    draft = deposit(client, cur, tenant["community_id"], f"Vklad kurátora ({preset})")
    res = submit_review(client, cur, draft["id"])
    assert res.status_code == 202 and res.json["status"] == "accepted"
    refresh()
    assert _in_collection(client, tenant, draft["id"])


def test_closed_library_refuses_depositors(client, library):
    tenant, people = library("closed")
    dep = people["depositors"]
    res = client.post("/api/records", headers=dep, json=minimal_record("Nepovolený vklad"))
    assert res.status_code == 403, res.json
    assert "managers and curators" in res.json["message"]
    res = client.post("/api/records", headers={**dep, "Accept-Language": "cs"},
                      json=minimal_record("Nepovolený vklad"))
    assert res.status_code == 403 and "správci a kurátoři" in res.json["message"]
    # … also when the draft names the library's community itself
    body = minimal_record("Nepovolený vklad")
    body["parent"] = {"review": {"type": "community-submission",
                                 "receiver": {"community": tenant["community_id"]}}}
    other, other_people = library("open", prefix="wf-open")
    res = client.post("/api/records", headers=other_people["depositors"], json=body)
    assert res.status_code == 403, res.json


def test_closed_preset_also_blocks_a_draft_made_before_the_change(client, library):
    tenant, people = library("mediated")
    dep, mgr = people["depositors"], people["managers"]
    draft = deposit(client, dep, tenant["community_id"], "Vklad před uzavřením")
    res = client.put(f"/api/tenants/{tenant['slug']}/workflow", headers=mgr,
                     json={"preset": "closed"})
    assert res.status_code == 200 and res.json["preset"] == "closed"
    res = submit_review(client, dep, draft["id"])
    assert res.status_code == 403, res.json


def test_every_work_enters_a_library(client, library):
    """No way around the workflow: a draft cannot be published outside a library."""
    tenant, people = library("mediated")
    dep = people["depositors"]
    res = client.post("/api/records", headers=dep, json=minimal_record("Bez knihovny"))
    assert res.status_code == 201
    draft_id = res.json["id"]
    res = client.post(f"/api/records/{draft_id}/draft/actions/publish", headers=dep)
    assert res.status_code == 400, res.json
    assert "community" in res.json["message"]
    assert client.get(f"/api/records/{draft_id}").status_code == 404


def _new_version(client, headers, record_id, title):
    res = client.post(f"/api/records/{record_id}/versions", headers=headers)
    assert res.status_code == 201, res.json
    version = res.json
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    res = client.put(f"/api/records/{version['id']}/draft", headers=headers, json=body)
    assert res.status_code == 200, res.json
    return version


def test_new_versions_follow_the_preset(client, library):
    mediated, people = library("mediated")
    dep, cur = people["depositors"], people["curators"]
    draft = deposit(client, dep, mediated["community_id"], "Verze 1", content=None,
                    changes={"files": {"enabled": False}})
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    assert request_action(client, cur, request_id, "accept").status_code == 200

    version = _new_version(client, dep, draft["id"], "Verze 2")
    res = client.post(f"/api/records/{version['id']}/draft/actions/publish", headers=dep)
    assert res.status_code == 400, res.json  # an open review: curators decide
    res = submit_review(client, dep, version["id"])
    assert res.status_code == 202 and res.json["status"] == "submitted", res.json
    assert client.get(f"/api/records/{version['id']}").status_code == 404
    assert request_action(client, cur, res.json["id"], "accept").status_code == 200
    published = client.get(f"/api/records/{version['id']}").json
    assert published["metadata"]["title"] == "Verze 2"
    assert published["parent"]["communities"]["ids"] == [mediated["community_id"]]

    # Curators' own new versions, and depositors' in an open library, publish directly.
    version = _new_version(client, cur, version["id"], "Verze 3 od kurátora")
    res = client.post(f"/api/records/{version['id']}/draft/actions/publish", headers=cur)
    assert res.status_code == 202, res.json
    opened, open_people = library("open")
    draft = deposit(client, open_people["depositors"], opened["community_id"], "Otevřená 1",
                    content=None, changes={"files": {"enabled": False}})
    submit_review(client, open_people["depositors"], draft["id"])
    version = _new_version(client, open_people["depositors"], draft["id"], "Otevřená 2")
    res = client.post(f"/api/records/{version['id']}/draft/actions/publish",
                      headers=open_people["depositors"])
    assert res.status_code == 202, res.json


def test_only_the_library_members_submit_to_it(client, library):
    tenant, people = library("open")
    other, other_people = library("open", prefix="wf-other")
    outsider = other_people["depositors"]
    res = client.post("/api/records", headers=outsider, json=minimal_record("Cizí vklad"))
    draft_id = res.json["id"]
    res = client.put(f"/api/records/{draft_id}/draft/review", headers=outsider,
                     json={"receiver": {"community": tenant["community_id"]},
                           "type": "community-submission"})
    res = submit_review(client, outsider, draft_id)
    assert res.status_code == 403, res.json
    assert client.get(f"/api/records/{draft_id}").status_code == 404


def test_changes_requested_e_mail_speaks_the_depositors_language(client, library, outbox):
    from invenio_accounts.models import User
    from invenio_db import db
    from invenio_users_resources.proxies import current_users_service
    from invenio_users_resources.records.api import UserAggregate

    tenant, people = library("mediated")
    dep, cur = people["depositors"], people["curators"]
    db.session.expire_all()
    user = db.session.get(User, people["depositors_user"].id)
    user.preferences = {**(user.preferences or {}), "locale": "cs"}
    db.session.commit()
    current_users_service.indexer.index(UserAggregate.get_record(user.id))
    draft = deposit(client, dep, tenant["community_id"], "Český vklad")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    assert request_action(client, cur, request_id, "request_changes",
                          "Chybí abstrakt.").status_code == 200
    mails = [m for m in outbox if user.email in m.recipients and "úpravám" in m.subject]
    assert len(mails) == 1, [m.subject for m in outbox]
    assert mails[0].subject == "Vráceno k úpravám: „Český vklad“"
    assert "Chybí abstrakt." in mails[0].body and "odešlete jej znovu" in mails[0].body
