"""A suspended library accepts no deposits or uploads; its records stay visible."""

from helpers import minimal_record, submit_draft


def test_suspended_library_refuses_deposits_and_uploads(client, admin_headers, make_tenant):
    tenant, people = make_tenant("susp")
    dep = people["depositors"]
    draft = submit_draft(client, dep, tenant["community_id"], "Before")

    res = client.post(f"/api/tenants/{tenant['slug']}/actions/suspend", headers=admin_headers)
    assert res.status_code == 200

    res = client.post("/api/records", headers=dep, json=minimal_record("During"))
    assert res.status_code == 403
    assert "suspended" in res.json["message"] and tenant["slug"] in res.json["message"]

    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=dep, json=[{"key": "a.txt"}])
    assert res.status_code == 403
    assert "suspended" in res.json["message"]
    files = client.get(f"/api/records/{draft['id']}/draft/files", headers=dep).json
    assert files["entries"] == []

    # Another library's depositor is unaffected.
    other, other_people = make_tenant("awake")
    res = client.post("/api/records", headers=other_people["depositors"], json=minimal_record("Fine"))
    assert res.status_code == 201

    res = client.post(f"/api/tenants/{tenant['slug']}/actions/resume", headers=admin_headers)
    assert res.status_code == 200
    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=dep, json=[{"key": "a.txt"}])
    assert res.status_code == 201


def test_member_of_two_libraries_deposits_into_the_active_one_while_the_other_is_suspended(
    client, admin_headers, make_tenant
):
    from helpers import new_draft, upload

    suspended, people = make_tenant("susa")
    active, _ = make_tenant("actb")
    dep_user, dep = people["depositors_user"], people["depositors"]
    res = client.post(f"/api/tenants/{active['slug']}/members", headers=admin_headers,
                      json={"email": dep_user.email, "role": "depositors"})
    assert res.status_code == 200, res.json
    res = client.post(f"/api/tenants/{suspended['slug']}/actions/suspend", headers=admin_headers)
    assert res.status_code == 200

    # Into the active library: on its host, and on the consortium's host by the review receiver.
    draft = new_draft(client, dep, "On B's host", base_url=f"http://{active['slug']}.localhost")
    assert upload(client, dep, draft["id"], "b.txt", b"bbb").status_code == 200

    def targeted(tenant, title):
        body = minimal_record(title)
        body["parent"] = {"review": {"type": "community-submission",
                                     "receiver": {"community": tenant["community_id"]}}}
        return client.post("/api/records", headers=dep, json=body)

    res = targeted(active, "To B")
    assert res.status_code == 201, res.json
    assert upload(client, dep, res.json["id"], "b.txt", b"bbb").status_code == 200

    # Into the suspended library: refused, naming it.
    for res in (targeted(suspended, "To A"),
                client.post("/api/records", headers=dep, json=minimal_record("On A's host"),
                            base_url=f"http://{suspended['slug']}.localhost")):
        assert res.status_code == 403, res.json
        assert "suspended" in res.json["message"] and suspended["slug"] in res.json["message"]


def test_a_suspended_librarys_site_says_so_before_anyone_fills_a_form(app, client, admin_headers,
                                                                       make_tenant):
    """The library's bar and its deposit form say it is suspended (cs/en), and the refusal
    comes in the request's language."""
    from helpers import browser_of

    tenant, people = make_tenant("sussite")
    slug, host = tenant["slug"], f"http://{tenant['slug']}.localhost"
    browser = browser_of(app, people["depositors_user"], base_url=host)
    home = browser.get(f"/communities/{slug}/", base_url=host).get_data(as_text=True)
    assert "tenant-suspended" not in home
    form = browser.get("/uploads/new", base_url=host, follow_redirects=True).get_data(as_text=True)
    assert "deposit-suspended" not in form

    res = client.post(f"/api/tenants/{slug}/actions/suspend", headers=admin_headers)
    assert res.status_code == 200
    for language, label, heading in (
            ("cs", "Pozastaveno: nové záznamy se nepřijímají", f"Knihovna {slug} je pozastavena"),
            ("en", "Suspended: new deposits are not accepted", f"Library {slug} is suspended")):
        headers = {"Accept-Language": language}
        home = browser.get(f"/communities/{slug}/", base_url=host, headers=headers)
        assert home.status_code == 200
        assert label in home.get_data(as_text=True)
        form = browser.get("/uploads/new", base_url=host, headers=headers, follow_redirects=True)
        assert form.status_code == 200
        html = form.get_data(as_text=True)
        assert 'class="ui negative message deposit-suspended" role="alert"' in html
        assert heading in html

    res = client.post("/api/records", headers={**people["depositors"], "Accept-Language": "cs"},
                      json=minimal_record("Během pozastavení"), base_url=host)
    assert res.status_code == 403
    assert res.json["message"].startswith(f"Členská knihovna Knihovna {slug} ({slug}) je pozastavena")
