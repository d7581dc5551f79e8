"""SAML login on a library's host through the test IdPs, over the real protocol: signed
assertions from pysaml2 (scripts/test_idp), verified by python3-saml in the app; rules
from attributes to the library's roles applied at every login as a difference."""

import base64

import pytest
from invenio_accounts.models import User, UserIdentity

from saml_flow import MZK_IDP, SVKOS_IDP, issue


def library_roles(email, slug):
    user = User.query.filter_by(email=email).one_or_none()
    if user is None:
        return None
    return sorted(r.name.removeprefix(f"{slug}-") for r in user.roles
                  if r.name.startswith(f"{slug}-"))


def audit(app, slug, headers):
    res = app.test_client().get(f"/api/tenants/{slug}/sso/audit", headers=headers)
    assert res.status_code == 200, res.json
    return res.json["hits"]["hits"]


def logged_in(person_at):
    res = person_at.client.get("/account/settings/profile", base_url=person_at.base)
    return res.status_code == 200


def test_first_login_creates_the_account_and_applies_the_rules(app, sso_library, person_at):
    tenant, people = sso_library
    slug = tenant["slug"]
    person = person_at(slug)
    request_id, url = person.start(next_url="/account/settings/profile")
    action, saml_response, relay_state = person.sign_in_at_idp(url, "novak")
    res = person.post_to_acs(action, saml_response, relay_state)
    assert res.status_code == 302, res.get_data(as_text=True)
    assert res.headers["Location"].endswith("/account/settings/profile")
    assert logged_in(person)

    user = User.query.filter_by(email="jan.novak@mzk.cz").one()
    assert user.confirmed_at is not None and user.active
    assert user.user_profile["full_name"] == "Jan Novák"
    assert UserIdentity.get_user("saml", "novak@mzk.cz").id == user.id
    # member@mzk.cz → depositor; no curator entitlement
    assert library_roles("jan.novak@mzk.cz", slug) == ["depositors"]
    log = audit(app, slug, people["managers"])
    assert [(e["action"], e.get("role")) for e in log[:2]] == [
        ("role_added", "depositors"), ("account_created", None)]
    assert log[0]["user"] == "jan.novak@mzk.cz" and log[0]["idp"] == MZK_IDP

    # the next login finds the same account by its eduPersonUniqueId, changes nothing
    again = person_at(slug)
    assert again.login("novak").status_code == 302
    assert User.query.filter_by(email="jan.novak@mzk.cz").count() == 1
    assert audit(app, slug, people["managers"])[0]["action"] == "login"


def test_a_changed_attribute_takes_the_role_away_at_the_next_login(app, sso_library, person_at):
    tenant, people = sso_library
    slug = tenant["slug"]
    assert person_at(slug).login("svobodova").status_code == 302
    assert library_roles("eva.svobodova@mzk.cz", slug) == ["curators", "depositors"]
    # a role given by hand is not SSO's to take
    res = app.test_client().post(f"/api/tenants/{slug}/members", headers=people["managers"],
                                 json={"email": "eva.svobodova@mzk.cz", "role": "managers"})
    assert res.status_code == 200, res.json

    # she is no longer a curator at her institution: the entitlement is gone
    person = person_at(slug)
    request_id, _url = person.start()
    answer = issue("mzk", person, request_id, user="svobodova",
                   attributes={"eduPersonEntitlement": None})
    assert person.post_to_acs(f"{person.base}/saml/acs", answer).status_code == 302
    assert library_roles("eva.svobodova@mzk.cz", slug) == ["depositors", "managers"]
    entry = audit(app, slug, people["managers"])[0]
    assert (entry["action"], entry["role"], entry["user"]) == (
        "role_removed", "curators", "eva.svobodova@mzk.cz")


def tampered(answer):
    xml = base64.b64decode(answer).decode()
    assert "member@mzk.cz" in xml
    return base64.b64encode(xml.replace("member@mzk.cz", "staff@mzk.cz").encode()).decode()


REFUSALS = {
    # case: (IdP, /issue arguments, change to the answer, status, English, Czech)
    "tampered signature": ("mzk", {}, tampered, 400, "could not be verified",
                           "nepodařilo ověřit"),
    "wrong audience": ("mzk", {"audience": "http://other.localhost/saml/metadata"}, None, 400,
                       "meant for another site", "pro jiný web"),
    "expired": ("mzk", {"lifetime_minutes": -10}, None, 400, "has expired", "vypršela"),
    "out of scope": ("mzk", {"attributes": {"eduPersonScopedAffiliation": "member@evil.org"}},
                     None, 403, "outside its own domain", "mimo svou vlastní doménu"),
    "IdP not allowed": ("svkos", {"user": "horak"}, None, 403, "not allowed on this library",
                        "není na webu této knihovny povolena"),
    "no identifier": ("mzk", {"attributes": {"eduPersonUniqueId": None}}, None, 400,
                      "no usable identifier", "žádný použitelný identifikátor"),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
@pytest.mark.parametrize("language", ["en", "cs"])
def test_refused_answers_get_a_clear_page_and_change_nothing(app, sso_library, person_at, case,
                                                             language):
    tenant, _people = sso_library
    idp, args, change, status, english, czech = REFUSALS[case]
    person = person_at(tenant["slug"])
    request_id, _url = person.start()
    answer = issue(idp, person, request_id, **args)
    users = User.query.count()
    res = person.post_to_acs(f"{person.base}/saml/acs", (change or (lambda a: a))(answer),
                             language=language)
    page = res.get_data(as_text=True)
    assert res.status_code == status, page
    assert (english if language == "en" else czech) in page
    assert "Traceback" not in page
    assert User.query.count() == users
    assert not logged_in(person)


def test_a_replayed_answer_is_refused(app, sso_library, person_at):
    tenant, _people = sso_library
    person = person_at(tenant["slug"])
    request_id, _url = person.start()
    answer = issue("mzk", person, request_id)
    assert person.post_to_acs(f"{person.base}/saml/acs", answer).status_code == 302
    thief = person_at(tenant["slug"])
    res = thief.post_to_acs(f"{thief.base}/saml/acs", answer)
    assert res.status_code == 400
    assert "Start the login again" in res.get_data(as_text=True)
    assert not logged_in(thief)


def test_an_answer_nobody_asked_for_is_refused(app, sso_library, person_at):
    tenant, _people = sso_library
    person = person_at(tenant["slug"])
    res = person.post_to_acs(f"{person.base}/saml/acs", issue("mzk", person, None))
    assert res.status_code == 400 and not logged_in(person)
    res = person.post_to_acs(f"{person.base}/saml/acs", "bm90IFNBTUw=")  # "not SAML"
    assert res.status_code == 400 and not logged_in(person)


def test_an_account_is_never_linked_by_e_mail_alone(app, sso_library, person_at, make_user):
    tenant, _people = sso_library
    owner, _headers = make_user(email="karel.owner@mzk.cz")
    person = person_at(tenant["slug"])
    request_id, _url = person.start()
    # the IdP asserts someone else's address for a new identifier
    answer = issue("mzk", person, request_id, user="alumnus",
                   attributes={"mail": "karel.owner@mzk.cz"})
    res = person.post_to_acs(f"{person.base}/saml/acs", answer)
    assert res.status_code == 409
    assert "karel.owner@mzk.cz" in res.get_data(as_text=True)
    assert not logged_in(person)
    assert UserIdentity.get_user("saml", "alumnus@mzk.cz") is None


def test_two_libraries_with_different_idps_and_rules_stay_apart(app, sso_library, make_tenant,
                                                                person_at):
    first, _people = sso_library
    second, people = make_tenant("sso")
    res = app.test_client().put(
        f"/api/tenants/{second['slug']}/sso", headers=people["managers"],
        json={"idps": [SVKOS_IDP], "rules": [{"attribute": "eduPersonScopedAffiliation",
                                               "value": "member@svkos.cz",
                                               "role": "depositors"}]})
    assert res.status_code == 200, res.json
    assert person_at(second["slug"]).login("horak", idp="svkos").status_code == 302
    assert library_roles("karel.horak@svkos.cz", second["slug"]) == ["depositors"]
    assert library_roles("karel.horak@svkos.cz", first["slug"]) == []
    # MZK's IdP is not allowed on the second library's site
    person = person_at(second["slug"])
    res = person.client.get("/saml/login", base_url=person.base, query_string={"idp": MZK_IDP})
    assert res.status_code == 403


def test_settings_and_audit_are_the_managers(app, sso_library):
    tenant, people = sso_library
    slug, client = tenant["slug"], app.test_client()
    assert client.get(f"/api/tenants/{slug}/sso", headers=people["managers"]).json["rules"]
    for who in ("depositors", "curators"):
        assert client.get(f"/api/tenants/{slug}/sso/audit", headers=people[who]).status_code == 403
        assert client.put(f"/api/tenants/{slug}/sso", headers=people[who],
                          json={"idps": [], "rules": []}).status_code == 403
    res = client.put(f"/api/tenants/{slug}/sso", headers=people["managers"],
                     json={"idps": ["https://idp.example.org/unknown"],
                           "rules": [{"attribute": "eduPersonEntitlement", "value": "x",
                                      "role": "owners"}]})
    assert res.status_code == 400
    text = str(res.json)
    assert "Unknown identity provider" in text and "Must be one of" in text
    assert client.get(f"/api/tenants/{slug}/sso", headers=people["managers"]).json["idps"][0][
        "entity_id"] == MZK_IDP  # unchanged
    assert client.get("/api/sso/idps").json["hits"]["total"] >= 2


@pytest.mark.parametrize("language, label", [("en", "Log in with your institution"),
                                             ("cs", "Přihlásit se přes svou instituci")])
def test_the_login_page_of_a_library_offers_its_institution_first(app, sso_library, language,
                                                                  label):
    tenant, _people = sso_library
    client = app.test_client()
    page = client.get("/login/", base_url=f"http://{tenant['slug']}.localhost",
                      headers={"Accept-Language": language}, follow_redirects=True)
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert label in text
    assert text.index('id="sso-login"') < text.index('name="login_user_form"')
    assert "/saml/login?idp=" in text
    # the consortium's own site has no institution login; e-mail and password only
    plain = client.get("/login/", headers={"Accept-Language": language},
                       follow_redirects=True).get_data(as_text=True)
    assert 'id="sso-login"' not in plain and 'name="login_user_form"' in plain


def test_the_cli_sets_a_librarys_idps_and_rules_as_the_demo_does(app, make_tenant, test_idps):
    from helpers import invoke_cli

    tenant, people = make_tenant("sso")
    result = invoke_cli(app, [
        "tenants", "sso", "set", tenant["slug"], "--idp", MZK_IDP,
        "--rule", "eduPersonScopedAffiliation=member@mzk.cz:depositors",
        "--rule", "eduPersonEntitlement=urn:geant:mzk.cz:repository:curator:curators"])
    assert result.exit_code == 0, result.output
    settings = app.test_client().get(f"/api/tenants/{tenant['slug']}/sso",
                                     headers=people["managers"]).json
    assert settings["rules"][1] == {"attribute": "eduPersonEntitlement",
                                    "value": "urn:geant:mzk.cz:repository:curator",
                                    "role": "curators"}
    bad = invoke_cli(app, ["tenants", "sso", "set", tenant["slug"], "--idp",
                           "https://unknown.example/idp"])
    assert bad.exit_code == 1 and "Unknown identity provider" in bad.output
