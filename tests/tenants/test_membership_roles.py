"""Library membership comes from the library's own roles only (`<slug>-managers|curators|depositors`)."""

from helpers import init_file, new_draft, storage_usage


def test_a_role_that_only_starts_with_a_library_slug_is_no_membership(
    client, admin_headers, make_tenant, make_user
):
    """A consortium administrator holding `<slug>-editors` belongs to no library."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    tenant, _ = make_tenant("foo")
    slug = tenant["slug"]
    user, headers = make_user()
    current_datastore.create_role(name=f"{slug}-editors", id=f"{slug}-editors")
    for role in ("consortium-admin", f"{slug}-editors"):
        current_datastore.add_role_to_user(user, role)
    db.session.commit()

    # Not charged to the library: an unaffiliated depositor may not upload.
    draft = new_draft(client, headers, "Not a member")
    res = init_file(client, headers, draft["id"], "a.txt", 3)
    assert res.status_code == 403, res.json
    assert "belong to none" in res.json["message"]
    assert storage_usage(client, admin_headers, slug)["files"] == 0

    # Not held back by the library's suspension either.
    res = client.post(f"/api/tenants/{slug}/actions/suspend", headers=admin_headers)
    assert res.status_code == 200
    new_draft(client, headers, "Still not a member")
