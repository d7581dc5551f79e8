"""The curators' queue (REST and page), the settings page and the deposit form's rules."""

import json
import re

from helpers import browser_of, deposit, request_action, submit_review


def _queue(client, headers, slug, **args):
    res = client.get(f"/api/tenants/{slug}/submissions", headers=headers, query_string=args)
    assert res.status_code == 200, res.json
    return res.json


def test_queue_lists_the_library_submissions_newest_first_with_counts(client, library,
                                                                      refresh):
    tenant, people = library("mediated")
    other, other_people = library("mediated", prefix="wf-other")
    dep, cur, slug = people["depositors"], people["curators"], tenant["slug"]
    ids = []
    for title in ("První", "Druhý", "Třetí"):
        draft = deposit(client, dep, tenant["community_id"], title)
        ids.append(submit_review(client, dep, draft["id"]).json["id"])
    foreign = deposit(client, other_people["depositors"], other["community_id"], "Cizí")
    submit_review(client, other_people["depositors"], foreign["id"])
    assert request_action(client, cur, ids[0], "request_changes", "Opravte název.").status_code == 200
    assert request_action(client, cur, ids[1], "accept").status_code == 200
    refresh()

    queue = _queue(client, cur, slug)
    assert [h["id"] for h in queue["hits"]["hits"]] == [ids[2]]
    assert queue["counts"] == {"submitted": 1, "changes_requested": 1, "accepted": 1,
                               "declined": 0, "cancelled": 0, "expired": 0}
    item = queue["hits"]["hits"][0]
    assert item["title"] == "Třetí" and item["status"] == "submitted"
    assert item["depositor"]["email"] == people["depositors_user"].email
    assert item["links"]["html"].endswith(f"/communities/{slug}/requests/{ids[2]}")
    assert "request_changes" in item["links"]["actions"]

    assert [h["id"] for h in _queue(client, cur, slug, status="changes_requested")
            ["hits"]["hits"]] == [ids[0]]
    # Newest first, paged.
    draft = deposit(client, dep, tenant["community_id"], "Čtvrtý")
    newest = submit_review(client, dep, draft["id"]).json["id"]
    refresh()
    page1 = _queue(client, people["managers"], slug, size=1)
    assert [h["id"] for h in page1["hits"]["hits"]] == [newest]
    assert page1["hits"]["total"] == 2 and "next" in page1["links"]
    page2 = _queue(client, people["managers"], slug, size=1, page=2)
    assert [h["id"] for h in page2["hits"]["hits"]] == [ids[2]]


def test_queue_refuses_bad_arguments_and_other_people(client, library):
    tenant, people = library("mediated")
    other, other_people = library("mediated", prefix="wf-other")
    url = f"/api/tenants/{tenant['slug']}/submissions"
    res = client.get(url, headers=people["curators"], query_string={"status": "lost"})
    assert res.status_code == 400 and res.json["errors"][0]["field"] == "status"
    res = client.get(url, headers=people["curators"], query_string={"size": 1000})
    assert res.status_code == 400 and res.json["errors"][0]["field"] == "size"
    for headers in (people["depositors"], other_people["curators"], other_people["managers"]):
        assert client.get(url, headers=headers).status_code == 403
    assert client.get(url).status_code == 403  # anonymous
    assert client.get("/api/tenants/no-such-library/submissions",
                      headers=people["curators"]).status_code == 404


def test_curators_act_only_on_their_library_requests(client, library):
    tenant, people = library("mediated")
    other, other_people = library("mediated", prefix="wf-other")
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Jen pro své kurátory")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    for action in ("accept", "decline", "request_changes"):
        assert request_action(client, other_people["curators"], request_id,
                              action, "Cizí zásah").status_code == 403
        assert request_action(client, dep, request_id, action).status_code == 403
    assert client.get(f"/api/requests/{request_id}", headers=people["curators"]).json[
        "status"] == "submitted"


def test_queue_page_and_asking_for_changes_from_it(app, client, library, refresh, outbox):
    tenant, people = library("mediated")
    dep, slug = people["depositors"], tenant["slug"]
    draft = deposit(client, dep, tenant["community_id"], "Vklad z fronty")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    refresh()

    browser = browser_of(app, people["curators_user"])
    page = browser.get(f"/libraries/{slug}/submissions", headers={"Accept-Language": "cs"})
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert f'data-request="{request_id}"' in html and "Vklad z fronty" in html
    assert re.search(r'data-status="submitted">\s*Čeká na posouzení\s*<span[^>]*>1<', html)

    res = browser.post(f"/libraries/{slug}/submissions/{request_id}/request-changes",
                       data={"comment": "Doplňte klíčová slova."})
    assert res.status_code == 302
    assert client.get(f"/api/requests/{request_id}", headers=dep).json[
        "status"] == "changes_requested"
    assert any("Doplňte klíčová slova." in m.body for m in outbox)
    # InvenioRDM's request page knows the state (the instance's overridable registry).
    page = browser.get(f"/communities/{slug}/requests/{request_id}")
    assert page.status_code == 200
    assert "The deposit meets the library&#39;s rules." in page.get_data(as_text=True) or \
        "The deposit meets the library's rules." in page.get_data(as_text=True)
    scripts = re.findall(r'src="(/static/dist/js/overridable-registry[^"]+\.js)"',
                         page.get_data(as_text=True))
    assert scripts, "the request page loads no overridable registry"
    bundle = browser.get(scripts[0]).get_data(as_text=True)
    assert "RequestStatus.layout.changes_requested" in bundle
    assert "TimelineEvent.layout.changes_requested" in bundle
    # An empty comment changes nothing.
    res = browser.post(f"/libraries/{slug}/submissions/{request_id}/request-changes",
                       data={"comment": " "})
    assert res.status_code == 302

    other, other_people = library("mediated", prefix="wf-other")
    outsider = browser_of(app, other_people["curators_user"])
    assert outsider.get(f"/libraries/{slug}/submissions").status_code == 403
    res = outsider.post(f"/libraries/{slug}/submissions/{request_id}/request-changes",
                        data={"comment": "Cizí"})
    assert res.status_code == 403


def test_settings_page_edits_the_workflow(app, client, library):
    tenant, people = library("mediated")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])
    html = browser.get(f"/libraries/{slug}/workflow").get_data(as_text=True)
    assert 'value="mediated" id="preset-mediated" checked' in html
    assert 'value="oer"' in html  # OER materials are a resource type
    res = client.put(f"/api/tenants/{slug}/workflow", headers=people["managers"],
                     json={"rules": {"resource_types": ["publication-report"]}})
    assert res.status_code == 200, res.json
    html = browser.get(f"/libraries/{slug}/workflow").get_data(as_text=True)
    assert 'value="publication-report" id="rt-publication-report" checked' in html

    form = {"preset": "open", "required_fields": ["description", "subjects"],
            "resource_types": ["publication", "oer"], "licenses": ["cc-by-4.0", "cc0-1.0"],
            "default_license": "cc0-1.0", "default_access_record": "public",
            "default_access_files": "public", "max_embargo_months": "12",
            "agreement_cs": "Souhlasím.", "agreement_en": "I agree."}
    res = browser.post(f"/libraries/{slug}/workflow", data=form)
    assert res.status_code == 302, res.get_data(as_text=True)[:2000]
    workflow = client.get(f"/api/tenants/{slug}/workflow").json
    assert workflow["preset"] == "open"
    assert workflow["rules"]["required_fields"] == ["description", "subjects"]
    assert workflow["rules"]["allow_restricted"] is False  # unchecked box
    assert workflow["rules"]["max_embargo_months"] == 12
    assert workflow["rules"]["agreement"] == {"cs": "Souhlasím.", "en": "I agree."}

    res = browser.post(f"/libraries/{slug}/workflow",
                       data={**form, "default_license": "mit", "max_embargo_months": "dlouho"})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert 'data-field="rules.default_license"' in html
    assert 'data-field="rules.max_embargo_months"' in html
    assert client.get(f"/api/tenants/{slug}/workflow").json == workflow  # nothing lost

    assert browser_of(app, people["curators_user"]).get(
        f"/libraries/{slug}/workflow").status_code == 403


def test_deposit_form_shows_the_library_rules_and_defaults(app, client, library):
    agreement = {"cs": "Vkladatel ručí za práva k dílu.", "en": "The depositor holds the rights."}
    tenant, people = library("mediated", required_fields=["description"],
                             resource_types=["publication", "oer"], licenses=["cc0-1.0"],
                             default_license="cc0-1.0", allow_restricted=False,
                             max_embargo_months=6, agreement=agreement)
    browser = browser_of(app, people["depositors_user"])
    res = browser.get("/uploads/new", headers={"Accept-Language": "cs"})
    html = res.get_data(as_text=True)
    assert res.status_code == 200
    assert f'deposit-rules" data-tenant="{tenant["slug"]}" data-preset="mediated"' in html
    assert "Vyplňte také: Popis" in html
    assert "Přijímané typy: Publikace, " in html and "Embargo nejvýše 6 měsíců" in html
    assert json.dumps(agreement["cs"])[1:-1] in html  # in the agreement field's props
    assert json.dumps("Podmínky vkladu")[1:-1] in html  # the agreement field's section
    # The form starts with the library's licence and access.
    assert re.search(r'"rights": \[\{[^]]*"id": "cc0-1.0"', html.replace("&#34;", '"'))

    html = browser.get("/uploads/new").get_data(as_text=True)
    assert json.dumps(agreement["en"])[1:-1] in html and "Also fill in: Description" in html
    assert re.search(r'"files": "public", "record": "public"', html.replace("&#34;", '"'))

    # A library that keeps files closed by default starts the form that way.
    closed_files, closed_people = library("mediated", prefix="wf-files",
                                          default_access={"record": "public",
                                                          "files": "restricted"})
    html = browser_of(app, closed_people["depositors_user"]).get("/uploads/new").get_data(
        as_text=True).replace("&#34;", '"')
    assert '"files": "restricted", "record": "public"' in html

    # Editing a draft submitted to the library shows the same rules.
    draft = deposit(client, people["depositors"], tenant["community_id"], "Upravovaný")
    html = browser.get(f"/uploads/{draft['id']}").get_data(as_text=True)
    assert f'data-tenant="{tenant["slug"]}" data-preset="mediated"' in html


def test_submissions_cli_compares_the_queues(app, client, library, refresh):
    import json

    from helpers import invoke_cli

    busy, busy_people = library("mediated", prefix="wf-busy")
    calm, _ = library("open", prefix="wf-calm")
    for title in ("Vklad A", "Vklad B"):
        draft = deposit(client, busy_people["depositors"], busy["community_id"], title)
        res = submit_review(client, busy_people["depositors"], draft["id"])
        assert res.status_code == 202, res.json
    refresh()
    result = invoke_cli(app, ["tenants", "submissions", busy["slug"], calm["slug"]])
    assert result.exit_code == 0, result.output
    lines = {line.split()[0]: line for line in result.output.splitlines() if line.strip()}
    assert "mediated" in lines[busy["slug"]] and "█" * 20 in lines[busy["slug"]]
    assert lines[busy["slug"]].split()[3] == "2"
    assert "open" in lines[calm["slug"]] and "█" not in lines[calm["slug"]]
    result = invoke_cli(app, ["tenants", "submissions", busy["slug"], "--json"])
    rows = json.loads(result.output[result.output.index("["):])
    assert rows[0]["counts"]["submitted"] == 2 and rows[0]["preset"] == "mediated"
    result = invoke_cli(app, ["tenants", "submissions", "no-such-library"])
    assert result.exit_code == 1 and "no-such-library" in result.output
