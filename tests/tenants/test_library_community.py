"""A library's community stays in step with the library, whatever its owners click."""


def test_owners_edit_texts_but_not_the_link_to_the_library(client, make_tenant, admin_headers):
    tenant, people = make_tenant("comm")
    mgr, cid, slug = people["managers"], tenant["community_id"], tenant["slug"]
    community = client.get(f"/api/communities/{cid}").json
    body = {"slug": slug, "access": community["access"],
            "metadata": {**community["metadata"], "description": "Nový popis sbírky"}}
    res = client.put(f"/api/communities/{cid}", headers=mgr, json=body)
    assert res.status_code == 200, res.json

    # Review settings belong to the workflow preset.
    loose = {**body, "access": {**community["access"], "review_policy": "members"}}
    res = client.put(f"/api/communities/{cid}", headers=mgr, json=loose)
    assert res.status_code == 400, res.json
    assert res.json["errors"][0]["field"] == "access.review_policy"
    assert f"/libraries/{slug}/workflow" in res.json["errors"][0]["messages"][0]
    assert client.get(f"/api/communities/{cid}").json["access"]["review_policy"] == "open"

    res = client.post(f"/api/communities/{cid}/rename", headers=mgr, json={**body, "slug": "jine"})
    assert res.status_code == 400, res.json
    res = client.delete(f"/api/communities/{cid}", headers=mgr)
    assert res.status_code == 400, res.json
    assert client.get(f"/api/communities/{cid}").status_code == 200

    # Through the library, the same changes go through.
    res = client.put(f"/api/tenants/{slug}/workflow", headers=mgr, json={"preset": "open"})
    assert res.status_code == 200
    assert client.get(f"/api/communities/{cid}").json["access"]["review_policy"] == "members"
    assert client.delete(f"/api/tenants/{slug}", headers=admin_headers).status_code == 204
