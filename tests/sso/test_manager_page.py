"""A library's own SSO page (`/libraries/<slug>/sso`): its managers allow IdPs found by
name, add and remove rules and read the audit log, in Czech and English, without the
consortium's administrators; the same service (and validation) as the REST API."""

import re
import secrets

import pytest

from helpers import browser_of
from saml_flow import MZK_IDP, SVKOS_IDP, issue

TITLE = {"en": "Institution login", "cs": "Přihlášení přes instituce"}


def page_of(app, people, role, slug):
    """A browser of the library's ROLE on its own host, and the page's path."""
    base = f"http://{slug}.localhost"
    return browser_of(app, people[f"{role}_user"], base_url=base), base, f"/libraries/{slug}/sso"


def settings(app, slug, people):
    res = app.test_client().get(f"/api/tenants/{slug}/sso", headers=people["managers"])
    assert res.status_code == 200, res.json
    return res.json


@pytest.mark.parametrize("language", ["en", "cs"])
def test_a_manager_allows_an_idp_found_by_name_and_adds_a_rule(app, make_tenant, test_idps,
                                                               language):
    tenant, people = make_tenant("sso-page")
    slug = tenant["slug"]
    browser, base, path = page_of(app, people, "managers", slug)
    lang = {"Accept-Language": language}

    # the page is linked where the library's other manager pages are
    workflow = browser.get(f"/libraries/{slug}/workflow", base_url=base, headers=lang)
    assert f'href="{path}"' in workflow.get_data(as_text=True)

    page = browser.get(path, base_url=base, headers=lang)
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f"{TITLE[language]}:" in text
    # searching by name ignores case and accents: "testovaci svkos" finds "Testovací IdP SVKOS"
    found = browser.get(path, base_url=base, headers=lang,
                        query_string={"q": "TESTOVACI svkos" if language == "cs" else "svkos"})
    found_text = found.get_data(as_text=True)
    assert f'data-entity-id="{SVKOS_IDP}"' in found_text
    assert f'data-entity-id="{MZK_IDP}"' not in found_text
    assert ("Testovací IdP SVKOS" if language == "cs" else "SVKOS test IdP") in found_text

    token = ""  # the tests' forms go without CSRF tokens; test_the_page_needs_its_token
    res = browser.post(path, base_url=base, headers=lang, data={
        "csrf_token": token, "action": "add_idp", "entity_id": SVKOS_IDP})
    assert res.status_code == 303
    res = browser.post(path, base_url=base, headers=lang, data={
        "csrf_token": token, "action": "add_rule", "attribute": "eduPersonScopedAffiliation",
        "value": " member@svkos.cz ", "role": "curators"})
    assert res.status_code == 303
    assert settings(app, slug, people) == {
        "library": slug,
        "idps": [{"entity_id": SVKOS_IDP,
                  "names": {"cs": "Testovací IdP SVKOS", "en": "SVKOS test IdP"}}],
        "rules": [{"attribute": "eduPersonScopedAffiliation", "value": "member@svkos.cz",
                   "role": "curators"}]}
    text = browser.get(path, base_url=base, headers=lang).get_data(as_text=True)
    assert ("Pravidlo přidáno." if language == "cs" else "Rule added.") in text
    assert ("Kurátoři" if language == "cs" else "Curators") in text

    # and takes both away again
    for data in ({"action": "remove_rule", "attribute": "eduPersonScopedAffiliation",
                  "value": "member@svkos.cz", "role": "curators"},
                 {"action": "remove_idp", "entity_id": SVKOS_IDP}):
        res = browser.post(path, base_url=base, headers=lang, data={"csrf_token": token, **data})
        assert res.status_code == 303
    assert settings(app, slug, people)["idps"] == settings(app, slug, people)["rules"] == []


@pytest.mark.parametrize("language, empty, unknown", [
    ("en", "Length must be between 1 and 1,024.", "Unknown identity provider"),
    ("cs", "Délka musí být od 1 do 1", "Neznámý poskytovatel identity"),
])
def test_refused_changes_say_why_in_the_pages_language_and_change_nothing(
        app, make_tenant, test_idps, language, empty, unknown):
    tenant, people = make_tenant("sso-page")
    slug = tenant["slug"]
    browser, base, path = page_of(app, people, "managers", slug)
    lang = {"Accept-Language": language}
    token = ""
    before = settings(app, slug, people)

    res = browser.post(path, base_url=base, headers=lang, data={
        "csrf_token": token, "action": "add_rule", "attribute": "eduPersonEntitlement",
        "value": "  ", "role": "depositors"})
    text = res.get_data(as_text=True)
    assert res.status_code == 400
    assert 'class="ui form error"' in text and empty in text
    assert "Control characters" not in text and "Řídicí znaky" not in text
    assert 'aria-invalid="true" aria-describedby="sso-error-value"' in text
    # the person's choice stays in the form
    assert '<option value="eduPersonEntitlement" selected>' in text

    for data in ({"action": "add_rule", "attribute": "mail", "value": "x@mzk.cz",
                  "role": "depositors"},
                 {"action": "add_rule", "attribute": "eduPersonEntitlement", "value": "x",
                  "role": "owners"},
                 {"action": "add_idp", "entity_id": "https://idp.example.org/unknown"},
                 {"action": "add_rule", "attribute": "eduPersonEntitlement",
                  "value": "a\x07b", "role": "depositors"}):
        res = browser.post(path, base_url=base, headers=lang, data={"csrf_token": token, **data})
        assert res.status_code == 400, data
        assert "Traceback" not in res.get_data(as_text=True)
    res = browser.post(path, base_url=base, headers=lang, data={
        "csrf_token": token, "action": "add_idp", "entity_id": "https://idp.example.org/unknown"})
    assert unknown in res.get_data(as_text=True)
    assert settings(app, slug, people) == before

    # an unknown action: 400, nothing changed
    assert browser.post(path, base_url=base, data={"csrf_token": token, "action": "drop"}
                        ).status_code == 400
    assert settings(app, slug, people) == before


def test_the_page_is_the_managers(app, make_tenant, test_idps):
    tenant, people = make_tenant("sso-page")
    slug = tenant["slug"]
    for role in ("curators", "depositors"):
        browser, base, path = page_of(app, people, role, slug)
        assert browser.get(path, base_url=base).status_code == 403
        assert f'href="{path}"' not in browser.get(
            f"/libraries/{slug}/submissions", base_url=base).get_data(as_text=True)
    other, _others = make_tenant("sso-page")
    browser, base, _path = page_of(app, people, "managers", slug)
    assert browser.get(f"/libraries/{other['slug']}/sso", base_url=base).status_code == 403
    anonymous = app.test_client().get(f"/libraries/{slug}/sso", base_url=base)
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


@pytest.mark.parametrize("language, added", [("en", "role added"), ("cs", "role přidána")])
def test_the_manager_reads_the_audit_log(app, sso_library, person_at, language, added):
    tenant, people = sso_library
    slug = tenant["slug"]
    # people of their own (tests/sso/test_login.py follows the IdP's people from their
    # first login): an alumnus whom no rule matches, then a member
    suffix = secrets.token_hex(3)
    for user, name in (("alumnus", f"petr-{suffix}"), ("novak", f"jan-{suffix}")):
        person = person_at(slug)
        request_id, _url = person.start()
        answer = issue("mzk", person, request_id, user=user, attributes={
            "eduPersonUniqueId": f"{name}@mzk.cz", "mail": f"{name}@mzk.cz"})
        assert person.post_to_acs(f"{person.base}/saml/acs", answer).status_code == 302
    browser, base, path = page_of(app, people, "managers", slug)
    text = browser.get(path, base_url=base, headers={"Accept-Language": language}
                       ).get_data(as_text=True)
    rows = re.findall(r'<tr data-action="([a-z_]+)">(.*?)</tr>', text, re.S)
    assert rows[0][0] == "role_added"
    assert added in rows[0][1] and f"jan-{suffix}@mzk.cz" in rows[0][1]
    assert MZK_IDP in rows[0][1]
    assert {"login", "account_created"} & {action for action, _row in rows[1:]}
    assert f"petr-{suffix}@mzk.cz" in text


def test_rest_finds_idps_by_name(app, test_idps):
    client = app.test_client()
    hits = client.get("/api/sso/idps", query_string={"q": "testovací mzk"}).json["hits"]
    assert [h["entity_id"] for h in hits["hits"]] == [MZK_IDP] and hits["total"] == 1
    assert client.get("/api/sso/idps", query_string={"q": "nowhere-at-all"}
                      ).json["hits"]["total"] == 0
    assert client.get("/api/sso/idps", query_string={"size": "x"}).status_code == 200


def test_the_page_needs_its_token(app, make_tenant, test_idps, configure):
    tenant, people = make_tenant("sso-page")
    slug = tenant["slug"]
    browser, base, path = page_of(app, people, "managers", slug)
    configure(WTF_CSRF_ENABLED=True)
    form = {"action": "add_idp", "entity_id": MZK_IDP}
    assert browser.post(path, base_url=base, data=form).status_code == 400
    assert settings(app, slug, people)["idps"] == []
    page = browser.get(path, base_url=base)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    res = browser.post(path, base_url=base, data={**form, "csrf_token": token.group(1)})
    assert res.status_code == 303
    assert [i["entity_id"] for i in settings(app, slug, people)["idps"]] == [MZK_IDP]
