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
