"""Asking for changes needs the curator's comment, and the depositor's e-mail quotes it."""

import pytest

from helpers import browser_of, deposit, request_action, submit_review

SUBJECT = "Changes requested for '{}'"


@pytest.fixture()
def submission(client, library):
    """A depositor's submission waiting in a mediated library: (people, request id, title)."""

    def _make(title="Vklad k posouzení"):
        tenant, people = library("mediated")
        draft = deposit(client, people["depositors"], tenant["community_id"], title)
        res = submit_review(client, people["depositors"], draft["id"],
                            "Text odeslání od vkladatele.")
        assert res.status_code == 202, res.json
        return tenant, people, res.json["id"], title

    return _make


def _changes_mails(outbox, people, title):
    depositor = people["depositors_user"].email
    return [m for m in outbox if depositor in m.recipients and m.subject == SUBJECT.format(title)]


def _status(client, people, request_id):
    return client.get(f"/api/requests/{request_id}", headers=people["curators"]).json["status"]


@pytest.mark.parametrize("body", [
    None,
    {},
    {"payload": {}},
    {"payload": {"format": "html"}},
    {"payload": {"content": ""}},
    {"payload": {"content": "   \n\t"}},
    {"payload": {"content": "<p> &nbsp; </p>"}},
    {"payload": {"content": None}},
    {"payload": "Doplňte abstrakt."},
])
def test_asking_for_changes_without_a_comment_is_400_and_changes_nothing(
    client, submission, outbox, body
):
    tenant, people, request_id, title = submission()
    url = f"/api/requests/{request_id}/actions/request_changes"
    if body is None:
        res = client.post(url, headers=people["curators"])
    else:
        res = client.post(url, headers=people["curators"], json=body)
    assert res.status_code == 400, res.json
    assert res.json["errors"] == [{"field": "payload.content",
                                   "messages": ["Say what needs changing."]}]
    assert _status(client, people, request_id) == "submitted"
    assert _changes_mails(outbox, people, title) == []


def test_the_field_message_follows_the_language(client, submission):
    tenant, people, request_id, _ = submission()
    res = client.post(f"/api/requests/{request_id}/actions/request_changes",
                      headers={**people["curators"], "Accept-Language": "cs"}, json={})
    assert res.status_code == 400
    assert res.json["errors"][0]["messages"] == ["Napište, co je třeba upravit."]


def test_the_e_mail_quotes_exactly_the_curators_comment(client, submission, outbox, refresh):
    tenant, people, request_id, title = submission()
    # the depositor writes in the discussion first: not what the curator asks
    res = client.post(f"/api/requests/{request_id}/comments", headers=people["depositors"],
                      json={"payload": {"content": "Komentář vkladatele.", "format": "html"}})
    assert res.status_code == 201, res.json
    comment = ('<p onclick="steal()">Doplňte <strong>abstrakt</strong>.</p>'
               '<iframe src="https://evil.example/"></iframe>')
    res = request_action(client, people["curators"], request_id, "request_changes", comment)
    assert res.status_code == 200, res.json
    assert res.json["status"] == "changes_requested"
    mails = _changes_mails(outbox, people, title)
    assert len(mails) == 1, [m.subject for m in outbox]
    assert "Doplňte abstrakt." in mails[0].body
    assert "<blockquote><p>Doplňte <strong>abstrakt</strong>.</p></blockquote>" in mails[0].html
    for other in ("Komentář vkladatele.", "Text odeslání od vkladatele.", "onclick", "iframe"):
        assert other not in mails[0].body and other not in mails[0].html
    # the comment is in the discussion, once, after the state change
    refresh()
    timeline = client.get(f"/api/requests/{request_id}/timeline",
                          headers=people["depositors"]).json["hits"]["hits"]
    events = [(h["type"], h["payload"].get("event") or h["payload"].get("content"))
              for h in timeline]
    assert events[-2:] == [("L", "changes_requested"),
                           ("C", "<p>Doplňte <strong>abstrakt</strong>.</p>")]


def test_a_second_round_quotes_the_second_comment(client, submission, outbox):
    tenant, people, request_id, title = submission()
    cur, dep = people["curators"], people["depositors"]
    assert request_action(client, cur, request_id, "request_changes",
                          "První připomínka.").status_code == 200
    draft_id = client.get(f"/api/requests/{request_id}", headers=cur).json["topic"]["record"]
    assert submit_review(client, dep, draft_id, "Opraveno.").status_code == 202
    assert request_action(client, cur, request_id, "request_changes").status_code == 400
    assert len(_changes_mails(outbox, people, title)) == 1
    assert request_action(client, cur, request_id, "request_changes",
                          "Druhá připomínka.").status_code == 200
    mails = _changes_mails(outbox, people, title)
    assert len(mails) == 2
    assert "Druhá připomínka." in mails[1].body
    assert "První připomínka." not in mails[1].body and "Opraveno." not in mails[1].body


def test_the_queue_page_refuses_an_empty_comment_with_a_message(app, client, submission,
                                                                 outbox):
    tenant, people, request_id, title = submission()
    browser = browser_of(app, people["curators_user"])
    url = f"/libraries/{tenant['slug']}/submissions/{request_id}/request-changes"
    for comment in ("", "  ", "<p></p>"):
        res = browser.post(url, data={"comment": comment})
        assert res.status_code == 302
        assert res.headers["Location"].endswith(f"/libraries/{tenant['slug']}/submissions")
        page = browser.get(res.headers["Location"])
        assert page.status_code == 200
        assert "Say what needs changing." in page.get_data(as_text=True)
    assert _status(client, people, request_id) == "submitted"
    assert _changes_mails(outbox, people, title) == []

    res = browser.post(url, data={"comment": "Doplňte klíčová slova."})
    assert res.status_code == 302
    assert _status(client, people, request_id) == "changes_requested"
    [mail] = _changes_mails(outbox, people, title)
    assert "Doplňte klíčová slova." in mail.body and "Text odeslání" not in mail.body


def test_after_changes_are_asked_the_draft_can_be_submitted_again_from_the_form(client,
                                                                                submission):
    """The deposit form reads the draft's status: 'in_review' would keep Submit disabled."""
    tenant, people, request_id, title = submission()
    dep, cur = people["depositors"], people["curators"]
    draft_id = client.get(f"/api/requests/{request_id}", headers=cur).json["topic"]["record"]
    assert request_action(client, cur, request_id, "request_changes",
                          "Doplňte datace.").status_code == 200
    draft = client.get(f"/api/records/{draft_id}/draft?expand=1", headers=dep)
    assert draft.status_code == 200, draft.json
    assert draft.json["status"] == "draft_with_review"
    assert draft.json["parent"]["review"]["status"] == "changes_requested"
    res = client.put(f"/api/records/{draft_id}/draft", headers=dep,
                     json={**draft.json, "metadata": {**draft.json["metadata"],
                                                      "description": "Datace 1470–1500."}})
    assert res.status_code == 200, res.json
    assert submit_review(client, dep, draft_id, "Opraveno.").status_code == 202
    assert client.get(f"/api/records/{draft_id}/draft",
                      headers=dep).json["status"] == "in_review"
