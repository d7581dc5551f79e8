"""The migration taking the domain-join role from unconfirmed addresses (issue 25 §1)."""

import importlib.util
import secrets
from datetime import datetime, timezone
from pathlib import Path

import consortium_tenants

REVISION = next(
    (Path(consortium_tenants.__file__).parent / "alembic").glob("7b3d5f9a2c18_*.py"))


def _run_upgrade():
    """The revision's upgrade() on the test database, as `invenio alembic upgrade` runs it."""
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from invenio_db import db

    spec = importlib.util.spec_from_file_location("unconfirmed_domain_members", REVISION)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    db.session.commit()
    with db.engine.begin() as connection:
        with Operations.context(MigrationContext.configure(connection)):
            module.upgrade()
    db.session.expire_all()


def _user(email, confirmed):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user = current_datastore.create_user(
        email=email, password=None, active=True,
        confirmed_at=datetime.now(timezone.utc) if confirmed else None)
    db.session.commit()
    return user


def _community_role(community_id, user):
    from invenio_communities.members.records.models import MemberModel

    member = MemberModel.query.filter_by(community_id=community_id, user_id=user.id
                                         ).one_or_none()
    return member.role if member else None


def test_migration_removes_only_the_domain_role_of_unconfirmed_addresses(
        app, client, admin_headers, make_tenant):
    from invenio_communities.proxies import current_communities

    tenant, people = make_tenant("mig")
    other, _ = make_tenant("migo")
    slug, domain, community = tenant["slug"], tenant["email_domains"][0], tenant["community_id"]
    tag = secrets.token_hex(3)
    eve = _user(f"eve-{tag}@{domain}", confirmed=False)          # joined unconfirmed
    ada = _user(f"ada-{tag}@{domain}", confirmed=True)           # confirmed: stays
    cyril = _user(f"cyril-{tag}@{domain}", confirmed=False)      # curator: stays curator
    olga = _user(f"olga-{tag}@elsewhere.example", confirmed=False)  # not the domain: stays
    for user, role in ((eve, "depositors"), (ada, "depositors"), (cyril, "depositors"),
                       (cyril, "curators"), (olga, "depositors")):
        res = client.post(f"/api/tenants/{slug}/members", headers=admin_headers,
                          json={"email": user.email, "role": role})
        assert res.status_code == 200, res.json
    # Unconfirmed, of this library's domain, but a depositor in another library: stays.
    res = client.post(f"/api/tenants/{other['slug']}/members", headers=admin_headers,
                      json={"email": eve.email, "role": "depositors"})
    assert res.status_code == 200, res.json
    assert _community_role(community, eve) == "reader"

    _run_upgrade()

    members = client.get(f"/api/tenants/{slug}/members", headers=admin_headers).json
    assert eve.email not in sum(members.values(), [])
    assert ada.email in members["depositors"]
    assert olga.email in members["depositors"]
    assert cyril.email in members["curators"] and cyril.email not in members["depositors"]
    assert _community_role(community, eve) is None
    assert _community_role(community, ada) == "reader"
    assert _community_role(community, cyril) == "curator"
    assert _community_role(other["community_id"], eve) == "reader"
    others = client.get(f"/api/tenants/{other['slug']}/members", headers=admin_headers).json
    assert eve.email in others["depositors"]
    # The library's community member list (search) no longer shows her.
    current_communities.service.members.indexer.refresh()
    res = client.get(f"/api/communities/{community}/members?size=100",
                     headers=people["managers"])
    assert res.status_code == 200, res.json
    listed = {hit["member"]["id"] for hit in res.json["hits"]["hits"]}
    assert str(eve.id) not in listed and str(ada.id) in listed
