"""Administration → DataCite accounts: consortium administrators set a library's account."""

import pytest

from helpers import browser_of

PANEL = "/administration/consortium-datacite"


@pytest.fixture(scope="module")
def staff_browser(app, make_user):
    """A consortium administrator with panel access, logged in."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user, _headers = make_user()
    for role in ("administration", "consortium-admin"):
        current_datastore.add_role_to_user(user, role)
    db.session.commit()
    return browser_of(app, user)


def _account(client, admin_headers, slug):
    res = client.get(f"/api/tenants/{slug}/datacite", headers=admin_headers)
    assert res.status_code == 200
    return res.json


def test_panel_sets_changes_and_removes_an_account_without_showing_its_password(
        app, staff_browser, make_tenant, admin_headers):
    from consortium_tenants.dois.accounts import account_of_prefix

    client = app.test_client()
    slug = make_tenant("dc-panel")[0]["slug"]
    page = staff_browser.get(f"{PANEL}?edit={slug}").get_data(as_text=True)
    assert f'data-library="{slug}" data-status="none"' in page
    assert f'<form class="ui form" method="post" data-library="{slug}">' in page

    res = staff_browser.post(PANEL, data={
        "action": "set", "slug": slug, "prefix": "10.70301", "repository_id": "CZ.PANEL",
        "password": "tajne-heslo-1", "test_mode": "on", "enabled": "on"})
    assert res.status_code == 302
    account = _account(client, admin_headers, slug)
    assert {k: account[k] for k in ("prefix", "repository_id", "test_mode", "enabled", "status")} \
        == {"prefix": "10.70301", "repository_id": "CZ.PANEL", "test_mode": True,
            "enabled": True, "status": "enabled"}
    page = staff_browser.get(f"{PANEL}?edit={slug}").get_data(as_text=True)
    assert "tajne-heslo-1" not in page and f'data-library="{slug}" data-status="enabled"' in page
    assert 'value="CZ.PANEL"' in page

    # production, switched off; an empty password keeps the stored one
    res = staff_browser.post(PANEL, data={"action": "set", "slug": slug, "prefix": "10.70301",
                                          "repository_id": "CZ.PANEL2", "password": ""})
    assert res.status_code == 302
    account = _account(client, admin_headers, slug)
    assert (account["repository_id"], account["test_mode"], account["enabled"],
            account["status"]) == ("CZ.PANEL2", False, False, "disabled")
    assert account_of_prefix("10.70301").password == "tajne-heslo-1"

    res = staff_browser.post(PANEL, data={"action": "remove", "slug": slug})
    assert res.status_code == 302
    assert _account(client, admin_headers, slug)["status"] == "none"


@pytest.mark.parametrize("language, label", [("cs", "ID repozitáře (klient DataCite)"),
                                             ("en", "Repository id (DataCite client id)")])
def test_panel_shows_field_errors_and_keeps_nothing(
        app, staff_browser, make_tenant, admin_headers, language, label):
    client = app.test_client()
    slug = make_tenant("dc-panel")[0]["slug"]
    res = staff_browser.post(PANEL, headers={"Accept-Language": language}, data={
        "action": "set", "slug": slug, "prefix": "11.5", "repository_id": "CZ.X"})
    assert res.status_code == 400
    page = res.get_data(as_text=True)
    assert 'id="datacite-prefix-error"' in page and "10.12345" in page
    assert 'id="datacite-password-error"' in page  # a new account needs one
    assert 'id="datacite-repository_id-error"' not in page
    assert label in page and 'value="11.5"' in page  # the submitted form again
    assert _account(client, admin_headers, slug)["status"] == "none"


def test_panel_is_closed_to_library_managers(app, make_tenant, admin_headers):
    client = app.test_client()
    tenant, people = make_tenant("dc-panel")
    res = client.put(f"/api/tenants/{tenant['slug']}/datacite", headers=admin_headers, json={
        "prefix": "10.70302", "repository_id": "CZ.KEPT", "password": "pw"})
    assert res.status_code == 200
    manager = browser_of(app, people["managers_user"])
    assert manager.get(PANEL).status_code == 403
    res = manager.post(PANEL, data={"action": "remove", "slug": tenant["slug"]})
    assert res.status_code == 403
    assert _account(client, admin_headers, tenant["slug"])["status"] == "enabled"
