"""SSO in a real browser, the library's side (issue 27): a library's manager, from the
library's own administration menu, allows the test IdP (found by name) and adds a rule;
a person logs in through the test IdP (scripts/test_idp) and gets the role; the manager
reads the audit log entry — in Czech and English, axe-clean. And a person with a password
account links it to their institution's login from their account settings."""

import os
import re
import secrets
from urllib.parse import urlsplit

import pytest
from invenio_accounts.models import User
from invenio_db import db
from playwright.sync_api import expect

from browsing import axe, log_in
from helpers import invoke_cli

IDP = f"http://127.0.0.1:{os.environ.get('IDP_PORT', '5105')}"
MZK_IDP = f"{IDP}/mzk/metadata"
WORDS = {
    "cs": {"page": "Přihlášení přes instituce", "search": "Název nebo entity ID",
           "search_button": "Hledat", "allow": "Povolit Testovací IdP MZK",
           "attribute": "Atribut", "value": "Hodnota", "role": "Role", "curators": "Kurátoři",
           "add": "Přidat pravidlo", "empty": re.compile("^Délka musí být od 1 do 1.024.$"),
           "added": "role přidána", "sso": "Přihlásit se přes svou instituci",
           "link": "Propojit s účtem mé instituce",
           "linked": "Váš účet je propojen s přihlášením vaší instituce"},
    "en": {"page": "Institution login", "search": "Name or entity ID",
           "search_button": "Search", "allow": "Allow MZK test IdP",
           "attribute": "Attribute", "value": "Value", "role": "Role", "curators": "Curators",
           "add": "Add the rule", "empty": "Length must be between 1 and 1,024.",
           "added": "role added", "sso": "Log in with your institution",
           "link": "Link my institution account",
           "linked": "Your account is linked to your institution's login"},
}


def no_violations(page):
    violations = axe(page)
    assert violations == [], violations


def sign_in_at_the_idp(page, name, base):
    """At the test IdP's login page: pick NAME, sign in, be back on BASE's host."""
    page.wait_for_url(re.compile(re.escape(f"{IDP}/mzk/sso?")))
    page.get_by_label(re.compile(name)).check()
    page.get_by_role("button", name="Sign in / Přihlásit").click()
    page.wait_for_url(lambda url: urlsplit(url).netloc == urlsplit(base).netloc
                      and "/saml/" not in url)
    page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_manager_sets_sso_and_reads_the_audit_log(app, site, open_page, make_library,
                                                     language):
    words = WORDS[language]
    library = make_library("open", prefix="ssom")
    result = invoke_cli(app, ["tenants", "sso", "idps-import", MZK_IDP])
    assert result.exit_code == 0, result.output
    base = site.library(library.slug)

    manager = open_page(language, "manager")
    log_in(manager, base, library.manager)
    manager.goto(f"{base}/libraries/{library.slug}/workflow")
    manager.locator("nav.library-nav").get_by_role("link", name=words["page"]).click()
    manager.wait_for_url(re.compile(rf"/libraries/{library.slug}/sso$"))
    no_violations(manager)

    manager.get_by_label(words["search"]).fill("mzk")
    manager.locator("form[role=search]").get_by_role("button", name=words["search_button"]).click()
    manager.get_by_role("button", name=words["allow"]).click()
    expect(manager.locator("table.sso-allowed")).to_contain_text(MZK_IDP)

    # a rule without a value: refused in the page's language, the field marked
    manager.watch.expect(rf"/libraries/{library.slug}/sso", 400)
    manager.get_by_label(words["attribute"]).select_option("eduPersonScopedAffiliation")
    manager.get_by_role("button", name=words["add"]).click()
    expect(manager.locator("#sso-error-value")).to_have_text(words["empty"])
    no_violations(manager)

    manager.get_by_label(words["value"]).fill("member@mzk.cz")
    manager.get_by_label(words["role"], exact=True).select_option(label=words["curators"])
    manager.get_by_role("button", name=words["add"]).click()
    expect(manager.locator("table.sso-rules")).to_contain_text("member@mzk.cz")
    no_violations(manager)

    # a person of MZK logs in through the test IdP on the library's site
    person = open_page(language, "person")
    person.goto(f"{base}/login/")
    person.get_by_role("link", name=words["sso"]).click()
    sign_in_at_the_idp(person, "Tomáš Kučera", base)
    db.session.expire_all()
    user = User.query.filter_by(email="tomas.kucera@mzk.cz").one()
    assert f"{library.slug}-curators" in {r.name for r in user.roles}

    manager.reload()
    entry = manager.locator("table.sso-audit tr[data-action=role_added]").first
    expect(entry).to_contain_text("tomas.kucera@mzk.cz")
    expect(entry).to_contain_text(words["added"])
    expect(entry).to_contain_text(words["curators"])
    no_violations(manager)


def test_a_password_account_is_linked_to_the_institution_login(app, site, open_page,
                                                               make_library, make_person):
    """Marie has a password account (another address than her institution's); she links
    it in her account settings, and her institution's login opens it from then on."""
    language, words = "cs", WORDS["cs"]
    library = make_library("open", prefix="sso-link")
    result = invoke_cli(app, ["tenants", "sso", "idps-import", MZK_IDP])
    assert result.exit_code == 0, result.output
    res = app.test_client().put(
        f"/api/tenants/{library.slug}/sso", headers=library.manager.headers,
        json={"idps": [MZK_IDP], "rules": [{"attribute": "eduPersonScopedAffiliation",
                                            "value": "member@mzk.cz", "role": "depositors"}]})
    assert res.status_code == 200, res.json
    base = site.library(library.slug)
    marie = make_person(f"marie-{secrets.token_hex(3)}@example.org", "Marie Veselá")

    page = open_page(language, "marie")
    log_in(page, base, marie)
    page.goto(f"{base}/account/settings/profile")
    no_violations(page)
    page.get_by_role("link", name=words["link"]).click()
    sign_in_at_the_idp(page, "Marie Veselá", base)
    assert urlsplit(page.url).path == "/account/settings/profile", page.url
    expect(page.locator("#sso-link")).to_contain_text(words["linked"])
    expect(page.locator("#sso-link")).to_contain_text("vesela@mzk.cz")
    db.session.expire_all()
    account = User.query.filter_by(email=marie.email).one()
    assert f"{library.slug}-depositors" in {r.name for r in account.roles}
    assert User.query.filter_by(email="marie.vesela@mzk.cz").count() == 0

    # another browser: the institution's login opens her password account
    again = open_page(language, "marie-again")
    again.goto(f"{base}/login/")
    again.get_by_role("link", name=words["sso"]).click()
    sign_in_at_the_idp(again, "Marie Veselá", base)
    again.goto(f"{base}/account/settings/profile")
    expect(again.locator("#sso-link")).to_contain_text("vesela@mzk.cz")
    assert again.locator("input[name=profile-email]").input_value() == marie.email
