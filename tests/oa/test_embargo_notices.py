"""Embargo-expiry notices (issue 29): the depositor and the library's curators are told
30 and 7 days before a work's embargo ends and on the day, by e-mail in their own
language, each notice once. Mail goes to a real SMTP server (the `smtp_server` fixture);
the job runs as an invenio-jobs job with its run history."""

from datetime import date, datetime, timedelta, timezone

from babel.dates import format_date

from helpers import (
    minimal_record,
    prefer_language,
    publish_in_library,
    run_job,
    run_log,
    upload,
)

JOB = "consortium-oa-embargo-notices"


def _today():
    return datetime.now(timezone.utc).date()


def _embargoed(client, people, tenant, title, until):
    body = minimal_record(title)
    body["access"] = {"record": "public", "files": "restricted",
                      "embargo": {"active": True, "until": until.isoformat(),
                                  "reason": "Publisher"}}
    dep = people["depositors"]
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    assert upload(client, dep, res.json["id"], "work.pdf", b"%PDF-1.7").status_code == 200
    return publish_in_library(client, people, tenant["community_id"], res.json["id"])["id"]


def _notices(smtp_server, to=None):
    """The embargo notices among the mails (publication also sends other mail)."""
    return [m for m in smtp_server.messages(to=to)
            if "mbargo" in m["Subject"]]


def _text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_notices_go_once_to_depositor_and_curators_each_in_their_language(
        app, client, make_tenant, smtp_server, panel_admin_headers):
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("oaemb")
    other, others = make_tenant("oaemb")
    depositor, curator = people["depositors_user"], people["curators_user"]
    prefer_language(app, depositor, "cs")
    prefer_language(app, curator, "en")
    today = _today()
    in7, in30 = today + timedelta(days=7), today + timedelta(days=30)
    ids = {
        "seven": _embargoed(client, people, tenant, "Sedm dní", in7),
        "thirty": _embargoed(client, people, tenant, "Třicet dní", in30),
        "later": _embargoed(client, people, tenant, "Později", today + timedelta(days=45)),
        "other": _embargoed(client, others, other, "Jiná knihovna", in7),
    }
    current_rdm_records_service.indexer.refresh()

    run = run_job(client, panel_admin_headers, JOB)
    assert run["status"] == "SUCCESS", run
    lines = run_log(client, panel_admin_headers, run["id"])
    assert f"Embargo notices due on {today.isoformat()}: " in " ".join(lines), lines

    smtp_server.wait_for(curator.email)
    mine = _notices(smtp_server, depositor.email)
    assert sorted(m["Subject"] for m in mine) == sorted([
        "Embargo díla „Sedm dní“ skončí za 7 dní",
        "Embargo díla „Třicet dní“ skončí za 30 dní"])
    [seven] = [m for m in mine if "Sedm" in m["Subject"]]
    text = _text(seven)
    assert f"končí {format_date(in7, 'long', locale='cs')}" in text
    assert tenant["names"]["cs"] in text
    assert f"/records/{ids['seven']}" in text
    assert "embargo ends" not in text

    theirs = _notices(smtp_server, curator.email)
    assert sorted(m["Subject"] for m in theirs) == sorted([
        "The embargo of 'Sedm dní' ends in 7 days",
        "The embargo of 'Třicet dní' ends in 30 days"])
    [thirty] = [m for m in theirs if "Třicet" in m["Subject"]]
    assert f"ends on {format_date(in30, 'long', locale='en')}" in _text(thirty)
    assert tenant["names"]["en"] in _text(thirty)

    # Nobody else: not the library's manager; the other library's work goes to its own
    # depositor and curators only, and the work ending in 45 days is not due yet.
    assert _notices(smtp_server, people["managers_user"].email) == []
    everything = _notices(smtp_server)
    assert not [m for m in everything if "Později" in m["Subject"]]
    assert {m["To"] for m in everything if "Jiná knihovna" in m["Subject"]} == {
        others["depositors_user"].email, others["curators_user"].email}

    # A repeated run (or one after a worker restart) sends nothing again.
    count = len(everything)
    again = run_job(client, panel_admin_headers, JOB)
    assert again["status"] == "SUCCESS", again
    assert "Embargo notices: 0 sent, " in " ".join(
        run_log(client, panel_admin_headers, again["id"]))
    assert len(_notices(smtp_server)) == count


def test_a_late_run_sends_the_latest_notice_due_and_the_day_itself_once(
        app, client, make_tenant, smtp_server):
    from invenio_db import db
    from invenio_rdm_records.proxies import current_rdm_records_service

    from consortium_tenants.oa.models import EmbargoNoticeModel
    from consortium_tenants.oa.tasks import send_embargo_notices

    tenant, people = make_tenant("oalate")
    depositor = people["depositors_user"]
    prefer_language(app, depositor, "cs")
    until = _today() + timedelta(days=20)
    rid = _embargoed(client, people, tenant, "Pozdní běh", until)
    current_rdm_records_service.indexer.refresh()

    def run_on(day):
        """The subjects of the mails to the depositor that a run on DAY added."""
        before = len(_notices(smtp_server, depositor.email))
        db.session.expire_all()  # a worker's task starts with a fresh session
        send_embargo_notices(today=day.isoformat())
        mails = _notices(smtp_server, depositor.email)
        assert len(mails) >= before
        return sorted(m["Subject"] for m in mails), len(mails) - before

    # 20 days ahead: the 30-day notice (the work was published inside that window).
    assert run_on(_today()) == (["Embargo díla „Pozdní běh“ skončí za 20 dní"], 1)
    # Runs missed until 3 days ahead: only the 7-day notice, not the 30-day one again.
    subjects, added = run_on(until - timedelta(days=3))
    assert added == 1 and "Embargo díla „Pozdní běh“ skončí za 3 dny" in subjects
    # On the day, once, however many runs.
    subjects, added = run_on(until)
    assert added == 1 and "Embargo díla „Pozdní běh“ dnes končí" in subjects
    assert run_on(until)[1] == 0
    [today_mail] = [m for m in _notices(smtp_server, depositor.email)
                    if m["Subject"].endswith("dnes končí")]
    assert f"dnes, {format_date(until, 'long', locale='cs')}, končí" in _text(today_mail)

    db.session.expire_all()
    rows = EmbargoNoticeModel.query.filter_by(record_id=rid).all()
    assert sorted(r.days_before for r in rows) == [0, 7, 30]
    assert all(r.until == until for r in rows)
    assert all(depositor.email in r.recipients and people["curators_user"].email
               in r.recipients for r in rows)
    assert isinstance(rows[0].until, date)


def test_the_library_lists_the_embargoes_ending_in_the_next_90_days(
        app, client, make_tenant):
    from invenio_rdm_records.proxies import current_rdm_records_service

    from helpers import browser_of

    tenant, people = make_tenant("oalist")
    other, others = make_tenant("oalist")
    today = _today()
    soon, later = today + timedelta(days=12), today + timedelta(days=89)
    ids = {"soon": _embargoed(client, people, tenant, "Brzy", soon),
           "later": _embargoed(client, people, tenant, "Později", later),
           "beyond": _embargoed(client, people, tenant, "Mimo", today + timedelta(days=95)),
           "other": _embargoed(client, others, other, "Cizí", soon)}
    current_rdm_records_service.indexer.refresh()
    slug = tenant["slug"]

    res = client.get(f"/api/tenants/{slug}/oa-embargoes", headers=people["curators"])
    assert res.status_code == 200, res.json
    assert res.json["from"] == today.isoformat()
    assert res.json["to"] == (today + timedelta(days=90)).isoformat()
    assert [(w["id"], w["until"], w["days_left"]) for w in res.json["works"]] == [
        (ids["soon"], soon.isoformat(), 12), (ids["later"], later.isoformat(), 89)]
    assert res.json["works"][0]["link"].endswith(f"/records/{ids['soon']}")
    for who in ("depositors", None):
        headers = people[who] if who else {"Accept": "application/json"}
        assert client.get(f"/api/tenants/{slug}/oa-embargoes",
                          headers=headers).status_code in (401, 403)
    assert client.get(f"/api/tenants/{slug}/oa-embargoes",
                      headers=others["managers"]).status_code == 403

    browser = browser_of(app, people["managers_user"])
    for language in ("cs", "en"):
        page = browser.get(f"/libraries/{slug}/embargoes",
                           headers={"Accept-Language": language})
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert ("Končící embarga" if language == "cs" else "Embargoes ending soon") in html
        assert f'<td data-until="{soon.isoformat()}">{format_date(soon, "long", locale=language)}</td>' in html
        assert f'href="http' in html and f"/records/{ids['later']}\">Později</a>" in html
        assert "Mimo" not in html and "Cizí" not in html
        assert 'data-page="embargoes"' in html
    assert browser_of(app, people["depositors_user"]).get(
        f"/libraries/{slug}/embargoes").status_code == 403
