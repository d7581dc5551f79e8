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
