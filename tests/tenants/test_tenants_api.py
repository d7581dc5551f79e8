"""Tenant registry through the REST API: provisioning, validation, conflicts."""

import secrets

import pytest

from helpers import submit_draft, tenant_payload


def test_create_provisions_community_and_roles(client, admin_headers):
    slug = f"brno-{secrets.token_hex(3)}"
    res = client.post(
        "/api/tenants",
        headers=admin_headers,
        json=tenant_payload(slug, ror="https://ror.org/024d6js02", hosts=[f"repo.{slug}.example"]),
    )
    assert res.status_code == 201, res.json
    tenant = res.json
    assert tenant["status"] == "active"
    assert tenant["ror"] == "024d6js02"
    assert tenant["hosts"] == [f"repo.{slug}.example"]
    assert tenant["links"]["self"].endswith(f"/api/tenants/{slug}")

    community = client.get(f"/api/communities/{slug}").json
    assert community["id"] == tenant["community_id"]
    assert community["metadata"]["title"] == f"Knihovna {slug}"
    assert community["access"]["visibility"] == "public"

    res = client.get(f"/api/tenants/{slug}/members", headers=admin_headers)
    assert res.status_code == 200
    assert res.json == {"managers": [], "curators": [], "depositors": []}


def test_members_mirror_into_community_roles(client, admin_headers, make_tenant):
    tenant, people = make_tenant()
    res = client.get(f"/api/communities/{tenant['community_id']}/members", headers=people["managers"])
    assert res.status_code == 200, res.json
    got = {m["member"]["id"]: m["role"] for m in res.json["hits"]["hits"]}
    want = {str(people[f"{g}_user"].id): r for g, r in
            (("managers", "owner"), ("curators", "curator"), ("depositors", "reader"))}
    assert got == want
    curator = people["curators_user"]
    res = client.delete(f"/api/tenants/{tenant['slug']}/members", headers=admin_headers,
                        json={"email": curator.email, "role": "curators"})
    assert res.status_code == 200, res.json
    assert curator.email not in res.json["curators"]
    from invenio_communities.proxies import current_communities

    current_communities.service.members.indexer.refresh()
    res = client.get(f"/api/communities/{tenant['community_id']}/members", headers=people["managers"])
    assert str(curator.id) not in {m["member"]["id"] for m in res.json["hits"]["hits"]}


@pytest.mark.parametrize(
    "change, field",
    [
        ({"slug": "Bad Slug!"}, "slug"),
        ({"names": {"en": "Only English"}}, "names.cs"),
        ({"ror": "024d6js03"}, "ror"),
        ({"contact_email": "not-an-email"}, "contact_email"),
        ({"hosts": ["not a host"]}, "hosts"),
        ({"hosts": ["127.0.0.1"]}, "hosts"),
        ({"branding": {"primary_color": "red;}body{display:none"}}, "branding.primary_color"),
        ({"branding": {"footer_text": "<script>alert(1)</script>"}}, "branding.footer_text"),
        ({"branding": {"header_links": [{"title": "x", "url": "javascript:alert(1)"}]}},
         "branding.header_links.0.url"),
    ],
)
def test_bad_input_gives_field_errors_and_creates_nothing(client, admin_headers, change, field):
    slug = f"bad-{secrets.token_hex(3)}"
    body = {**tenant_payload(slug), **change}
    res = client.post("/api/tenants", headers=admin_headers, json=body)
    assert res.status_code == 400, res.json
    assert field in {e["field"] for e in res.json["errors"]}
    assert client.get(f"/api/tenants/{body['slug']}").status_code == 404
    assert client.get(f"/api/communities/{slug}").status_code == 404


def test_conflicts_are_409(client, admin_headers, make_tenant):
    tenant, _ = make_tenant()
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(tenant["slug"]))
    assert res.status_code == 409
    assert tenant["slug"] in res.json["message"]

    host = f"repo.{secrets.token_hex(3)}.example"
    res = client.put(f"/api/tenants/{tenant['slug']}", headers=admin_headers, json={"hosts": [host]})
    assert res.status_code == 200
    other = f"other-{secrets.token_hex(3)}"
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(other, hosts=[host]))
    assert res.status_code == 409
    assert host in res.json["message"]
    assert client.get(f"/api/tenants/{other}").status_code == 404


def test_failed_provisioning_leaves_nothing(client, admin_headers, make_user):
    """A community with the slug exists already: the tenant is not half-made."""
    from invenio_accounts.models import Role

    _, headers = make_user()
    slug = f"taken-{secrets.token_hex(3)}"
    res = client.post(
        "/api/communities",
        headers=admin_headers,
        json={"slug": slug, "access": {"visibility": "public"},
              "metadata": {"title": "Someone else's"}},
    )
    assert res.status_code == 201, res.json
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
    assert res.status_code == 400, res.json
    assert client.get(f"/api/tenants/{slug}").status_code == 404
    assert Role.query.filter(Role.name.like(f"{slug}-%")).count() == 0


def test_slug_is_immutable_and_names_follow_to_community(client, admin_headers, make_tenant):
    tenant, _ = make_tenant()
    slug = tenant["slug"]
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers, json={"slug": "renamed"})
    assert res.status_code == 400
    assert "slug" in {e["field"] for e in res.json["errors"]}
    res = client.put(
        f"/api/tenants/{slug}", headers=admin_headers,
        json={"names": {"cs": "Nový název knihovny", "en": "New library name"}},
    )
    assert res.status_code == 200, res.json
    assert client.get(f"/api/communities/{slug}").json["metadata"]["title"] == "Nový název knihovny"
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"branding": {"primary_color": "#8b1e3f", "secondary_color": "#f4d35e"}})
    assert res.status_code == 200, res.json
    theme = client.get(f"/api/communities/{slug}").json["theme"]
    assert theme["enabled"] and theme["style"]["primaryColor"] == "#8b1e3f"
    assert client.get(f"/communities/{slug}/records").status_code == 200


def test_list_paging_sorting_and_query(client, make_tenant):
    prefix = f"pg{secrets.token_hex(2)}"
    slugs = sorted(make_tenant(prefix)[0]["slug"] for _ in range(3))
    res = client.get(f"/api/tenants?q={prefix}&sort=slug&size=2&page=1")
    assert res.status_code == 200
    assert res.json["hits"]["total"] == 3
    assert [t["slug"] for t in res.json["hits"]["hits"]] == slugs[:2]
    assert "next" in res.json["links"]
    res = client.get(f"/api/tenants?q={prefix}&sort=-slug&size=2&page=2")
    assert [t["slug"] for t in res.json["hits"]["hits"]] == slugs[:1]
    res = client.get("/api/tenants?sort=nonsense")
    assert res.status_code == 400
    assert client.get("/api/tenants/does-not-exist").status_code == 404


def test_suspend_resume_and_delete_rules(client, admin_headers, make_tenant):
    tenant, _ = make_tenant()
    slug = tenant["slug"]
    res = client.post(f"/api/tenants/{slug}/actions/suspend", headers=admin_headers)
    assert res.status_code == 200 and res.json["status"] == "suspended"
    res = client.post(f"/api/tenants/{slug}/actions/resume", headers=admin_headers)
    assert res.status_code == 200 and res.json["status"] == "active"
    res = client.delete(f"/api/tenants/{slug}", headers=admin_headers)
    assert res.status_code == 204
    assert client.get(f"/api/tenants/{slug}").status_code == 404


def test_delete_is_refused_while_records_exist(client, admin_headers, make_tenant):
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant()
    headers = people["depositors"]
    submit_draft(client, headers, tenant["community_id"])
    current_rdm_records_service.indexer.refresh()
    current_rdm_records_service.draft_indexer.refresh()
    res = client.delete(f"/api/tenants/{tenant['slug']}", headers=admin_headers)
    assert res.status_code == 409
    assert "records" in res.json["message"]
    assert client.get(f"/api/tenants/{tenant['slug']}").status_code == 200


def test_users_join_their_library_by_email_domain_on_login(app, admin_headers, make_tenant):
    """Confirmed accounts (e.g. made by `invenio users create --confirm`) join at login;
    unconfirmed ones: tests/tenants/test_confirmed_membership.py."""
    from datetime import datetime, timezone

    from flask_security.utils import hash_password
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    tenant, _ = make_tenant("dom")
    domain = tenant["email_domains"][0]
    for email in (f"novak@{domain}", "someone@elsewhere.example"):
        current_datastore.create_user(
            email=email, password=hash_password("Heslo-123456"), active=True,
            confirmed_at=datetime.now(timezone.utc),
        )
    db.session.commit()
    for email in (f"novak@{domain}", "someone@elsewhere.example"):
        res = app.test_client().post("/login/", data={"email": email, "password": "Heslo-123456"})
        assert res.status_code == 302, res.get_data(as_text=True)[:300]
    members = app.test_client().get(
        f"/api/tenants/{tenant['slug']}/members", headers=admin_headers
    ).json
    assert f"novak@{domain}" in members["depositors"]
    assert "someone@elsewhere.example" not in sum(members.values(), [])


def test_sign_up_alone_does_not_join_the_library(app, admin_headers, make_tenant):
    """Joining waits for the confirmation link (test_confirmed_membership.py)."""
    tenant, _ = make_tenant("signup")
    email = f"dvorak@{tenant['email_domains'][0]}"
    res = app.test_client().post("/signup/", data={
        "email": email, "password": "Heslo-123456", "password_confirm": "Heslo-123456",
        "profile.username": f"dvorak{secrets.token_hex(3)}", "profile.full_name": "Petr Dvořák",
        "profile.affiliations": "", "register_user_form": "1",
    })
    assert res.status_code == 302, res.get_data(as_text=True)[:500]
    members = app.test_client().get(
        f"/api/tenants/{tenant['slug']}/members", headers=admin_headers
    ).json
    assert email not in sum(members.values(), [])
