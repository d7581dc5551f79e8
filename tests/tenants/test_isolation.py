"""Isolation between member libraries: a security property, swept as a matrix.

Roles: anonymous, depositor/curator/manager of library A, the same of library B,
consortium admin. Every (role, action) cell on library A's data is asserted.
"""

import pytest

from helpers import minimal_record, submit_draft

ROLES = ["anonymous", "a_depositor", "a_curator", "a_manager",
         "b_depositor", "b_curator", "b_manager", "admin"]

ALLOWED = {
    # action on library A's data: roles that may do it
    # Reviewers (curators, managers) of the receiving library see and fix the
    # draft. Consortium administrators run tenants, not deposits: no access.
    "read_draft": {"a_depositor", "a_curator", "a_manager"},
    "edit_draft": {"a_depositor", "a_curator", "a_manager"},
    "read_request": {"a_depositor", "a_curator", "a_manager"},
    "accept_request": {"a_curator", "a_manager"},
    "edit_tenant_branding": {"a_manager", "admin"},
    "edit_tenant_hosts": {"admin"},
    "suspend_tenant": {"admin"},
    # A library's managers own its community.
    "edit_community": {"a_manager"},
    "manage_members": {"a_manager", "admin"},
    "read_members": {"a_manager", "admin"},
    "read_usage": {"a_manager", "admin"},
    # Deposit workflows: rules are public (depositors read them); the library's
    # managers edit them; its curators (and managers) work its queue.
    "read_workflow": set(ROLES),
    "edit_workflow": {"a_manager", "admin"},
    "read_queue": {"a_curator", "a_manager", "admin"},
    "request_changes": {"a_curator", "a_manager"},
}


@pytest.fixture(scope="module")
def world(app, make_tenant, admin_headers):
    """Two libraries, a draft of A's depositor submitted to A's community."""
    a, a_people = make_tenant("iso-a")
    b, b_people = make_tenant("iso-b")
    client = app.test_client()
    headers = {
        "anonymous": {"Content-Type": "application/json", "Accept": "application/json"},
        "admin": admin_headers,
    }
    for prefix, people in (("a", a_people), ("b", b_people)):
        for group in ("depositors", "curators", "managers"):
            headers[f"{prefix}_{group[:-1]}"] = people[group]
    dep = headers["a_depositor"]
    draft = submit_draft(client, dep, a["community_id"], "Isolated draft")
    res = client.post(f"/api/records/{draft['id']}/draft/actions/submit-review", headers=dep,
                      json={"payload": {"content": "Prosím o schválení", "format": "html"}})
    assert res.status_code == 202, res.json
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.draft_indexer.refresh()  # usage counts drafts by search
    from invenio_requests.proxies import current_requests_service

    current_requests_service.indexer.refresh()  # the curators' queue searches requests
    return {"a": a, "b": b, "draft": draft, "request_id": res.json["id"], "headers": headers}


def attempt(client, world, action, h):
    """Perform ACTION on library A's data with headers H; return the status code."""
    a, draft, req = world["a"], world["draft"], world["request_id"]
    if action == "read_draft":
        return client.get(f"/api/records/{draft['id']}/draft", headers=h).status_code
    if action == "edit_draft":
        body = minimal_record("Changed title")
        return client.put(f"/api/records/{draft['id']}/draft", headers=h, json=body).status_code
    if action == "read_request":
        return client.get(f"/api/requests/{req}", headers=h).status_code
    if action in ("accept_request", "request_changes"):
        # A dry check: the request's links tell what this identity may do.
        res = client.get(f"/api/requests/{req}", headers=h)
        if res.status_code != 200:
            return res.status_code
        name = "accept" if action == "accept_request" else action
        return 200 if name in res.json["links"].get("actions", {}) else 403
    if action == "read_workflow":
        return client.get(f"/api/tenants/{a['slug']}/workflow", headers=h).status_code
    if action == "edit_workflow":
        return client.put(f"/api/tenants/{a['slug']}/workflow", headers=h,
                          json={"preset": "mediated"}).status_code
    if action == "read_queue":
        res = client.get(f"/api/tenants/{a['slug']}/submissions", headers=h)
        if res.status_code == 200:
            assert [hit["id"] for hit in res.json["hits"]["hits"]] == [req]
        return res.status_code
    if action == "edit_tenant_branding":
        return client.put(f"/api/tenants/{a['slug']}", headers=h,
                          json={"branding": {"primary_color": "#abcdef"}}).status_code
    if action == "edit_tenant_hosts":
        return client.put(f"/api/tenants/{a['slug']}", headers=h,
                          json={"hosts": [f"x.{a['slug']}.example"]}).status_code
    if action == "suspend_tenant":
        code = client.post(f"/api/tenants/{a['slug']}/actions/suspend", headers=h).status_code
        if code == 200:
            client.post(f"/api/tenants/{a['slug']}/actions/resume", headers=h)
        return code
    if action == "edit_community":
        community = client.get(f"/api/communities/{a['community_id']}").json
        body = {"slug": community["slug"], "access": community["access"],
                "metadata": {**community["metadata"], "description": "Edited"}}
        return client.put(f"/api/communities/{a['community_id']}", headers=h, json=body).status_code
    if action == "manage_members":
        return client.post(f"/api/tenants/{a['slug']}/members", headers=h,
                           json={"email": "nobody@example.org", "role": "curators"}).status_code
    if action == "read_usage":
        res = client.get(f"/api/tenants/{a['slug']}/usage", headers=h)
        if res.status_code == 200:
            assert res.json["drafts"] == 1 and res.json["members"]["curators"] == 1
        return res.status_code
    if action == "read_members":
        return client.get(f"/api/tenants/{a['slug']}/members", headers=h).status_code
    raise AssertionError(action)


@pytest.mark.parametrize("action", sorted(ALLOWED))
@pytest.mark.parametrize("role", ROLES)
def test_isolation_matrix(app, world, role, action):
    client = app.test_client()
    code = attempt(client, world, action, world["headers"][role])
    if role in ALLOWED[action]:
        # manage_members names an unknown user: allowed callers get the 400 for it.
        assert code == (400 if action == "manage_members" else 200), (role, action, code)
    else:
        assert code == 403, (role, action, code)  # anonymous callers too


def test_unknown_host_is_refused(client):
    res = client.get("/", headers={"Host": "evil.example"})
    assert res.status_code == 400
    res = client.get("/api/records", headers={"Host": "nobody.localhost"})
    assert res.status_code == 400


def test_forwarded_host_never_selects_a_tenant(client, world):
    a = world["a"]
    res = client.get("/search", headers={"Host": "127.0.0.1", "X-Forwarded-Host": f"{a['slug']}.localhost"})
    assert res.status_code == 200
    assert 'data-tenant=' not in res.get_data(as_text=True)
    res = client.get("/", headers={"Host": "evil.example", "X-Forwarded-Host": "127.0.0.1"})
    assert res.status_code == 400


def test_tenant_host_carries_its_branding_only(client, world):
    a, b = world["a"], world["b"]
    branding = {"primary_color": "#8b1e3f", "footer_text": f"Patička {a['slug']}"}
    res = client.put(f"/api/tenants/{a['slug']}", headers=world["headers"]["a_manager"],
                     json={"branding": branding})
    assert res.status_code == 200, res.json
    res = client.get("/", headers={"Host": f"{a['slug']}.localhost"})
    assert res.status_code == 302
    assert res.headers["Location"].endswith(f"/communities/{a['slug']}/records")
    res = client.get(f"/communities/{a['slug']}/records", headers={"Host": f"{a['slug']}.localhost"})
    html = res.get_data(as_text=True)
    assert res.status_code == 200
    assert f'data-tenant="{a["slug"]}"' in html
    assert f"Patička {a['slug']}" in html
    assert "--tenant-primary: #8b1e3f" in html
    assert b["slug"] not in html
    res = client.get("/uploads/new", headers={"Host": f"{a['slug']}.localhost"})
    assert res.status_code == 302
    assert res.headers["Location"].endswith(f"/uploads/new?community={a['slug']}")
    res = client.get("/search?q=x", headers={"Host": f"{a['slug']}.localhost"})
    assert res.headers["Location"].endswith(f"/communities/{a['slug']}/records?q=x")
