"""DataCite passwords under keys of their own (CONSORTIUM_DATACITE_KEYS), rotated by a
command; an account whose password no key reads is failing, and its works say so."""

import pytest
from cryptography.fernet import Fernet

from helpers import browser_of, invoke_cli, minimal_record, publish_in_library, submit_review


def _account(client, admin_headers, slug, prefix, repository_id, password):
    res = client.put(f"/api/tenants/{slug}/datacite", headers=admin_headers, json={
        "prefix": prefix, "repository_id": repository_id, "password": password})
    assert res.status_code == 200, res.json


def _draft(client, people, title):
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    return client.post("/api/records", headers=people["depositors"], json=body).json


@pytest.fixture
def library(app, datacite, make_tenant, admin_headers):
    """A library with its own account at the double (a fresh prefix per test)."""
    import secrets

    prefix = f"10.{71000 + secrets.randbelow(9000)}"
    repository = f"CZ.KEYS.{secrets.token_hex(3).upper()}"
    datacite.add_account(repository, "pw-keys", prefix)
    tenant, people = make_tenant("doi-keys")
    _account(app.test_client(), admin_headers, tenant["slug"], prefix, repository, "pw-keys")
    return tenant, people


def test_a_new_secret_key_leaves_the_passwords_readable(app, library, datacite, configure):
    """Published during an outage, registered by the retry after the secret key changed
    (API tokens are tied to the secret key: the retry is the operator's command)."""
    tenant, people = library
    client = app.test_client()
    datacite.fail_with = 503
    try:
        record = publish_in_library(client, people, tenant["community_id"],
                                    _draft(client, people, "Po změně klíče")["id"])
    finally:
        datacite.fail_with = None
    doi = record["pids"]["doi"]["identifier"]
    assert datacite.doi(doi) == (None, None)
    configure(SECRET_KEY="an-entirely-new-secret-key-after-a-leak-0123456789")
    res = invoke_cli(app, ["tenants", "dois", "--failed", "--retry", tenant["slug"]])
    assert res.exit_code == 0, res.output
    assert datacite.doi(doi)[1]["attributes"]["state"] == "findable"
    res = invoke_cli(app, ["tenants", "datacite", "show", tenant["slug"]])
    assert '"status": "enabled"' in res.output


def test_rotate_reencrypts_every_password_with_the_first_key(
        app, library, datacite, configure, admin_headers):
    from consortium_tenants.dois.crypto import configured_keys

    tenant, people = library
    old = list(configured_keys())
    new = Fernet.generate_key().decode()
    configure(CONSORTIUM_DATACITE_KEYS=[new, *old])
    res = invoke_cli(app, ["tenants", "datacite", "rotate"])
    assert res.exit_code == 0, res.output
    assert tenant["slug"] in res.output
    configure(CONSORTIUM_DATACITE_KEYS=new)  # the old key dropped (a string, as from the env)
    client = app.test_client()
    res = client.get(f"/api/tenants/{tenant['slug']}/datacite", headers=admin_headers)
    assert (res.json["status"], res.json["last_error"]) == ("enabled", None)
    record = publish_in_library(client, people, tenant["community_id"],
                                _draft(client, people, "Po rotaci klíčů")["id"])
    assert datacite.doi(record["pids"]["doi"]["identifier"])[1]["attributes"]["state"] \
        == "findable"


def test_an_unreadable_password_shows_as_failing_and_publishing_says_so(
        app, library, datacite, configure, admin_headers, make_user):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    tenant, people = library
    slug = tenant["slug"]
    configure(CONSORTIUM_DATACITE_KEYS=[Fernet.generate_key().decode()])
    client = app.test_client()
    res = client.get(f"/api/tenants/{slug}/datacite", headers=admin_headers)
    assert res.json["status"] == "failing"
    assert "cannot be decrypted" in res.json["last_error"]
    res = client.get(f"/api/tenants/{slug}/datacite", headers=people["managers"])
    assert res.json["status"] == "failing"
    # the administration panel
    staff, _headers = make_user()
    for role in ("administration", "consortium-admin"):
        current_datastore.add_role_to_user(staff, role)
    db.session.commit()
    page = browser_of(app, staff).get("/administration/consortium-datacite").get_data(
        as_text=True)
    assert f'data-library="{slug}" data-status="failing"' in page
    assert "cannot be decrypted" in page
    # publishing a work of the library is refused with the reason, in the request's language
    draft = _draft(client, people, "Bez čitelného hesla")
    res = client.put(f"/api/records/{draft['id']}/draft/review", headers=people["depositors"],
                     json={"receiver": {"community": tenant["community_id"]},
                           "type": "community-submission"})
    assert res.status_code == 200, res.json
    res = submit_review(client, people["depositors"], draft["id"])
    assert res.status_code == 202, res.json
    request_id = res.json["id"]
    res = client.post(f"/api/requests/{request_id}/actions/accept",
                      headers={**people["curators"], "Accept-Language": "cs"}, json={})
    assert res.status_code == 400, res.json
    assert "heslo nelze dešifrovat" in str(res.json), res.json
    assert client.get(f"/api/records/{draft['id']}",
                      headers=people["depositors"]).status_code == 404
    # rotate names the library it cannot read
    res = invoke_cli(app, ["tenants", "datacite", "rotate"])
    assert res.exit_code == 1 and slug in res.output
    # setting the password again heals it
    _account(client, admin_headers, slug, *_prefix_and_repository(client, admin_headers, slug),
             "pw-keys")
    res = client.get(f"/api/tenants/{slug}/datacite", headers=admin_headers)
    assert res.json["status"] == "enabled"


def _prefix_and_repository(client, admin_headers, slug):
    data = client.get(f"/api/tenants/{slug}/datacite", headers=admin_headers).json
    return data["prefix"], data["repository_id"]
