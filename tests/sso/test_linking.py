"""Linking a password account to an institution's login (issue 27): the person logged in
with their password chooses "Link my institution account" in account settings, signs in
at the test IdP, and the IdP's eduPersonUniqueId is linked to THEIR account — never by
e-mail; the next login through the institution opens that account."""

import secrets
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from invenio_accounts.models import User, UserIdentity
from invenio_db import db

from helpers import browser_of
from saml_flow import IDP, MZK_IDP, Browser, issue

LINK = {"en": "Link my institution account", "cs": "Propojit s účtem mé instituce"}


class LoggedInPerson(Browser):
    """A person's browser logged in with their password on the library's host."""

    def __init__(self, app, slug, user):
        super().__init__(app, slug)
        self.client = browser_of(app, user, base_url=self.base)

    def start_link(self, language="en"):
        """The profile page's "Link my institution account" → (request ID, IdP URL)."""
        page = self.client.get("/account/settings/profile", base_url=self.base,
                               headers={"Accept-Language": language})
        text = page.get_data(as_text=True)
        assert page.status_code == 200 and LINK[language] in text
        assert 'href="/saml/link?idp=' in text
        res = self.client.get("/saml/link", base_url=self.base, query_string={"idp": MZK_IDP})
        assert res.status_code == 302, res.get_data(as_text=True)
        url = res.headers["Location"]
        assert url.startswith(f"{IDP}/mzk/sso?")
        return self.request_id(url), url

    @staticmethod
    def request_id(url):
        import base64
        import re
        import zlib

        xml = zlib.decompress(base64.b64decode(parse_qs(urlsplit(url).query)["SAMLRequest"][0]),
                              -15).decode()
        return re.search(r'ID="([^"]+)"', xml).group(1)

    def finish(self, saml_response, language="en"):
        """Post the IdP's answer to the ACS, follow it back to `link_done`."""
        res = self.post_to_acs(f"{self.base}/saml/acs", saml_response, language=language)
        # the IdP's POST comes without the session cookie in a browser (SameSite=Lax):
        # a session set here would replace the person's and log them out
        assert not [c for c in res.headers.getlist("Set-Cookie") if c.startswith("session=")]
        if res.status_code != 302:
            return res
        done = urlsplit(res.headers["Location"])
        assert done.path == "/saml/link/done", res.headers["Location"]
        return self.client.get(done.path, base_url=self.base, query_string=done.query,
                               headers={"Accept-Language": language})


def identity():
    """A fresh eduPersonUniqueId at the MZK test IdP (no account has it yet)."""
    return f"link-{secrets.token_hex(4)}@mzk.cz"


def linked(user):
    return UserIdentity.query.filter_by(id_user=user.id, method="saml").one_or_none()


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_password_account_is_linked_and_then_opened_by_the_institution(
        app, sso_library, make_user, person_at, language):
    tenant, people = sso_library
    slug = tenant["slug"]
    # her password account has another address than the one her institution releases
    user, _headers = make_user(email=f"marie-{secrets.token_hex(3)}@example.org")
    person = LoggedInPerson(app, slug, user)
    request_id, url = person.start_link(language)
    unique_id = identity()  # signed by the test IdP for this request, as its login page does
    answer = issue("mzk", person, request_id, attributes={"eduPersonUniqueId": unique_id})
    res = person.finish(answer, language)
    assert res.status_code == 302 and res.headers["Location"].endswith("/account/settings/profile")
    assert linked(user).id == unique_id
    page = person.client.get("/account/settings/profile", base_url=person.base,
                             headers={"Accept-Language": language}).get_data(as_text=True)
    assert unique_id in page and LINK[language] not in page
    # the rules of the library apply to the linked account (member@mzk.cz → depositor)
    db.session.expire_all()
    user = db.session.get(User, user.id)
    assert f"{slug}-depositors" in {r.name for r in user.roles}
    log = app.test_client().get(f"/api/tenants/{slug}/sso/audit",
                                headers=people["managers"]).json["hits"]["hits"]
    assert (log[1]["action"], log[1]["user"]) == ("account_linked", user.email)

    # later, the institution's login opens her account (not a new one by Jan's e-mail)
    stranger = person_at(slug)
    request_id, _url = stranger.start()
    res = stranger.post_to_acs(f"{stranger.base}/saml/acs",
                               issue("mzk", stranger, request_id,
                                     attributes={"eduPersonUniqueId": unique_id}))
    assert res.status_code == 302
    profile = stranger.client.get("/account/settings/profile", base_url=stranger.base)
    assert user.email in profile.get_data(as_text=True)


def test_an_institution_account_linked_elsewhere_is_refused(app, sso_library, make_user):
    tenant, _people = sso_library
    unique_id = identity()
    first, _ = make_user()
    second, _ = make_user()
    person = LoggedInPerson(app, tenant["slug"], first)
    request_id, _url = person.start_link()
    assert person.finish(issue("mzk", person, request_id,
                               attributes={"eduPersonUniqueId": unique_id})).status_code == 302
    other = LoggedInPerson(app, tenant["slug"], second)
    request_id, _url = other.start_link()
    res = other.finish(issue("mzk", other, request_id,
                             attributes={"eduPersonUniqueId": unique_id}))
    assert res.status_code == 409
    assert "linked to another account" in res.get_data(as_text=True)
    assert linked(first).id == unique_id and linked(second) is None
    # a linked account is not linked twice
    res = person.client.get("/saml/link", base_url=person.base, query_string={"idp": MZK_IDP})
    assert res.status_code == 409


def test_the_link_belongs_to_the_browser_that_started_it(app, sso_library, make_user):
    """Someone who starts a link and gets another person to sign in at the IdP cannot
    finish it in their own browser (the link waits for the session that started it)."""
    tenant, _people = sso_library
    attacker_user, _ = make_user()
    victim_user, _ = make_user()
    attacker = LoggedInPerson(app, tenant["slug"], attacker_user)
    victim = LoggedInPerson(app, tenant["slug"], victim_user)
    request_id, _url = attacker.start_link()
    # the victim's browser posts the IdP's answer to the attacker's request
    res = victim.post_to_acs(f"{victim.base}/saml/acs",
                             issue("mzk", victim, request_id,
                                   attributes={"eduPersonUniqueId": identity()}))
    assert res.status_code == 302
    done = urlsplit(res.headers["Location"])
    # neither the victim's session (it did not start this link) ...
    res = victim.client.get(done.path, base_url=victim.base, query_string=done.query)
    assert res.status_code == 400
    # ... nor the attacker's, once the token is spent, links anything
    res = attacker.client.get(done.path, base_url=attacker.base, query_string=done.query)
    assert res.status_code == 400
    assert linked(attacker_user) is None and linked(victim_user) is None
    # nor a guessed token in the attacker's own session
    request_id, _url = attacker.start_link()
    res = attacker.client.get("/saml/link/done", base_url=attacker.base,
                              query_string={"code": "guess"})
    assert res.status_code == 400 and linked(attacker_user) is None


@pytest.mark.parametrize("language, how", [
    ("en", 'choose "Link my institution account" in your account settings'),
    ("cs", "v nastavení účtu zvolte „Propojit s účtem mé instituce“"),
])
def test_the_e_mail_refusal_tells_how_to_link(app, sso_library, person_at, make_user, language,
                                              how):
    tenant, _people = sso_library
    owner, _ = make_user(email=f"owner-{secrets.token_hex(3)}@mzk.cz")
    person = person_at(tenant["slug"])
    request_id, _url = person.start()
    res = person.post_to_acs(f"{person.base}/saml/acs",
                             issue("mzk", person, request_id, user="alumnus",
                                   attributes={"eduPersonUniqueId": identity(),
                                               "mail": owner.email}),
                             language=language)
    text = res.get_data(as_text=True).replace("&#34;", '"').replace("&quot;", '"')
    assert res.status_code == 409 and how in text
    assert '/login/?next=/account/settings/profile"' in unquote(text)
    assert linked(owner) is None


@pytest.mark.parametrize("language, why", [("en", "outside its own domain"),
                                           ("cs", "mimo svou vlastní doménu")])
def test_a_refused_answer_is_shown_to_the_person_still_logged_in(app, sso_library, make_user,
                                                                  language, why):
    tenant, _people = sso_library
    user, _ = make_user()
    person = LoggedInPerson(app, tenant["slug"], user)
    request_id, _url = person.start_link(language)
    res = person.finish(issue("mzk", person, request_id, attributes={
        "eduPersonUniqueId": identity(), "eduPersonScopedAffiliation": "member@evil.org"}),
        language)
    assert res.status_code == 403 and why in res.get_data(as_text=True)
    assert linked(user) is None
    profile = person.client.get("/account/settings/profile", base_url=person.base)
    assert profile.status_code == 200  # still logged in
