"""Single sign-on in a real browser (issue 27): on a library's host, "Log in with your
institution" → the test IdP's login page (scripts/test_idp) → back on the library's host,
a depositor of the library by its rules → a deposit, in Czech and English."""

import os
import re
import secrets
from urllib.parse import urlsplit

import pytest
from invenio_accounts.models import User
from playwright.sync_api import expect

from helpers import invoke_cli
from test_journeys import fill_deposit_form, same_host, submit_for_review

IDP = f"http://127.0.0.1:{os.environ.get('IDP_PORT', '5105')}"
MZK_IDP = f"{IDP}/mzk/metadata"
LABEL = {"cs": "Přihlásit se přes svou instituci", "en": "Log in with your institution"}


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_member_logs_in_through_the_institution_and_deposits(app, site, open_page,
                                                                make_library, language):
    library = make_library("open", prefix="sso")
    result = invoke_cli(app, ["tenants", "sso", "idps-import", MZK_IDP])
    assert result.exit_code == 0, result.output
    res = app.test_client().put(
        f"/api/tenants/{library.slug}/sso", headers=library.manager.headers,
        json={"idps": [MZK_IDP], "rules": [{"attribute": "eduPersonScopedAffiliation",
                                            "value": "member@mzk.cz", "role": "depositors"}]})
    assert res.status_code == 200, res.json
    base = site.library(library.slug)
    page = open_page(language, "member")

    page.goto(f"{base}/login/")
    page.get_by_role("link", name=LABEL[language]).click()
    page.wait_for_url(re.compile(re.escape(f"{IDP}/mzk/sso?")))
    page.get_by_label(re.compile("Tomáš Kučera")).check()
    page.get_by_role("button", name="Sign in / Přihlásit").click()
    page.wait_for_url(lambda url: urlsplit(url).netloc == urlsplit(base).netloc
                      and "/saml/" not in url)
    page.wait_for_load_state("networkidle")
    same_host(page, base)
    # a person of its own: tests/sso follow Jan Novák from his first login
    user = User.query.filter_by(email="tomas.kucera@mzk.cz").one()
    assert f"{library.slug}-depositors" in {r.name for r in user.roles}

    page.goto(f"{base}/uploads/new")
    title = f"SSO deposit {secrets.token_hex(2)}"
    fill_deposit_form(page, language, title, "Deposited after an institutional login.",
                      library_rules=False)
    submit_for_review(page)
    same_host(page, base)
    assert re.search(r"/records/[a-z0-9]{5}-[a-z0-9]{5}$", page.url), page.url
    expect(page.locator("h1", has_text=title)).to_be_visible()
