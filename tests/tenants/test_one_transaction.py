"""Each tenant operation is one transaction; its list links are built safely."""

from urllib.parse import parse_qs, urlsplit

import pytest
from invenio_communities.members.services.service import MemberService


class CommunitySyncFailed(Exception):
    """The fault injected into the community membership service."""


def test_a_failing_community_sync_leaves_no_half_added_member(
        client, admin_headers, make_tenant, make_user, monkeypatch):
    tenant, people = make_tenant("sync")
    user, _ = make_user()

    def fail(*args, **kwargs):
        raise CommunitySyncFailed()

    monkeypatch.setattr(MemberService, "add", fail)
    with pytest.raises(CommunitySyncFailed):
        client.post(f"/api/tenants/{tenant['slug']}/members", headers=admin_headers,
                    json={"email": user.email, "role": "curators"})
    monkeypatch.undo()

    members = client.get(f"/api/tenants/{tenant['slug']}/members", headers=admin_headers)
    assert members.status_code == 200
    assert user.email not in members.json["curators"]
    community = client.get(f"/api/communities/{tenant['community_id']}/members",
                           headers=people["managers"])
    assert community.status_code == 200
    assert str(user.id) not in [hit["member"]["id"] for hit in community.json["hits"]["hits"]]


def test_the_tenant_list_links_escape_the_query(client, make_tenant):
    tenant, _ = make_tenant("escape")
    query = f"{tenant['slug']} & more?#"
    res = client.get("/api/tenants", query_string={"q": query, "size": 1})
    assert res.status_code == 200
    for link in res.json["links"].values():
        args = parse_qs(urlsplit(link).query)
        assert args["q"] == [query], link
        assert args["size"] == ["1"], link
