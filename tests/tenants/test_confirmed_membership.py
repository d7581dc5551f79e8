"""Membership by e-mail domain needs a confirmed address (issue 25 §1).

Anyone can sign up with any address: only the link of the confirmation mail,
sent through a real SMTP server, proves it, and only then does the person join
the library owning the address's domain.
"""

import re
import secrets
from urllib.parse import urlsplit

from helpers import submit_draft, submit_review


def _sign_up(app, email, language="en", client=None):
    client = client or app.test_client()
    return client.post("/signup/", headers={"Accept-Language": language}, data={
        "email": email, "password": "Heslo-123456", "password_confirm": "Heslo-123456",
        "profile.username": f"eve{secrets.token_hex(3)}", "profile.full_name": "Eva Nováková",
        "profile.affiliations": "", "register_user_form": "1",
    })


def _members(app, slug, headers):
    res = app.test_client().get(f"/api/tenants/{slug}/members", headers=headers)
    assert res.status_code == 200, res.json
    return sum(res.json.values(), [])


def _token_of(email):
    """An API token of the account EMAIL (as if its owner had made one)."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db
    from invenio_oauth2server.models import Token

    user = current_datastore.find_user(email=email)
    token = Token.create_personal("tests", user.id, scopes=[], is_internal=False)
    db.session.commit()
    return {"Authorization": f"Bearer {token.access_token}",
            "Content-Type": "application/json", "Accept": "application/json"}


def _submit(app, headers, community_id):
    """Submit a new draft to COMMUNITY_ID (the library); the submit-review response."""
    client = app.test_client()
    draft = submit_draft(client, headers, community_id)
    return submit_review(client, headers, draft["id"])


def test_sign_up_joins_the_library_only_after_the_mailed_link_is_followed(
        app, make_tenant, smtp_server):
    tenant, people = make_tenant("conf")
    slug, manager = tenant["slug"], people["managers"]
    email = f"eve-{secrets.token_hex(3)}@{tenant['email_domains'][0]}"

    res = _sign_up(app, email)
    assert res.status_code == 302, res.get_data(as_text=True)[:500]
    # Not a member, and not logged in: a login before confirmation is refused.
    assert email not in _members(app, slug, manager)
    browser = app.test_client()
    res = browser.post("/login/", data={"email": email, "password": "Heslo-123456"})
    assert res.status_code == 200  # the form again, with the reason
    assert "confirm" in res.get_data(as_text=True).lower()
    assert email not in _members(app, slug, manager)
    # Whatever credentials she holds, she cannot deposit into the library.
    headers = _token_of(email)
    res = _submit(app, headers, tenant["community_id"])
    assert res.status_code == 403, res.json

    # The confirmation mail arrived at the SMTP server; its link confirms the address.
    message = smtp_server.wait_for(email)
    assert message["Subject"] == (
        "Library Consortium Repository: please confirm your e-mail address")
    body = message.get_body(preferencelist=("plain", "html")).get_content()
    link = re.search(r"https?://\S+/confirm/[\w.-]+", body)
    assert link, body
    url = urlsplit(link.group(0))
    res = browser.get(url.path)
    assert res.status_code == 302, res.get_data(as_text=True)[:500]

    assert email in _members(app, slug, manager)
    members = app.test_client().get(f"/api/tenants/{slug}/members", headers=manager).json
    assert email in members["depositors"]
    res = _submit(app, headers, tenant["community_id"])
    assert res.status_code == 202, res.json
    assert res.json["status"] in ("submitted", "accepted")
    # Following the link logged her in.
    assert browser.get("/account/settings/profile").status_code == 200


def test_an_unconfirmed_account_does_not_join_at_login(app, make_tenant):
    """An account that exists unconfirmed (made before this rule, or by hand) logs in
    only once confirmed, and joins only then."""
    from datetime import datetime, timezone

    from flask_security.utils import hash_password
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    tenant, people = make_tenant("unconf")
    email = f"novak@{tenant['email_domains'][0]}"
    user = current_datastore.create_user(email=email, password=hash_password("Heslo-123456"),
                                         active=True)
    db.session.commit()
    res = app.test_client().post("/login/", data={"email": email, "password": "Heslo-123456"})
    assert res.status_code == 200
    assert email not in _members(app, tenant["slug"], people["managers"])
    # Should an operator allow login without confirmation, logging in still joins nobody.
    security = app.extensions["security"]  # Flask-Security reads the setting once, at start
    security.login_without_confirmation = True
    try:
        res = app.test_client().post("/login/",
                                     data={"email": email, "password": "Heslo-123456"})
    finally:
        security.login_without_confirmation = False
    assert res.status_code == 302
    assert email not in _members(app, tenant["slug"], people["managers"])

    user = current_datastore.find_user(email=email)
    user.confirmed_at = datetime.now(timezone.utc)
    db.session.commit()
    res = app.test_client().post("/login/", data={"email": email, "password": "Heslo-123456"})
    assert res.status_code == 302
    assert email in _members(app, tenant["slug"], people["managers"])


def test_the_sign_up_page_says_a_confirmation_mail_follows(app):
    en = app.test_client().get("/signup/").get_data(as_text=True)
    assert "confirm your address" in en
    cs = app.test_client().get("/signup/", headers={"Accept-Language": "cs"}).get_data(
        as_text=True)
    assert "potvrďte svou adresu" in cs
    # After signing up, the next page says where the instructions went.
    for language, said in (("en", "Confirmation instructions have been sent to"),
                           ("cs", "Pokyny pro potvrzení byly zaslány na")):
        browser = app.test_client()
        email = f"new-{secrets.token_hex(3)}@example.org"
        res = _sign_up(app, email, language, client=browser)
        assert res.status_code == 302
        page = browser.get(res.location, headers={"Accept-Language": language})
        assert said in page.get_data(as_text=True), language


def test_the_administrator_made_by_platform_init_is_confirmed_and_logs_in(app):
    """`invenio platform init` (the app fixture ran it) creates the admin confirmed."""
    from invenio_accounts.proxies import current_datastore

    assert current_datastore.find_user(email="admin@consortium.example").confirmed_at
    res = app.test_client().post("/login/", data={"email": "admin@consortium.example",
                                                   "password": "consortium-admin"})
    assert res.status_code == 302, res.get_data(as_text=True)[:300]
