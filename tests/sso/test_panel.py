"""Administration → Institution login (SSO): consortium administrators set a library's
allowed IdPs and rules, and read its audit log, in Czech and English."""

import pytest

from helpers import staff_browser
from saml_flow import MZK_IDP, SVKOS_IDP

PANEL = "/administration/consortium-sso"


@pytest.mark.parametrize("language, title", [("en", "Institution login (SSO)"),
                                             ("cs", "Přihlášení přes instituce (SSO)")])
def test_the_panel_sets_a_librarys_idps_and_rules(app, make_tenant, test_idps, language, title):
    admin = staff_browser(app)
    tenant, people = make_tenant("sso-panel")
    slug = tenant["slug"]
    page = admin.get(f"{PANEL}?edit={slug}", headers={"Accept-Language": language})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and title in text
    assert f'<form class="ui form" method="post" data-library="{slug}">' in text
    assert f'value="{MZK_IDP}"' in text and f'value="{SVKOS_IDP}"' in text

    res = admin.post(PANEL, data={
        "slug": slug, "idps": [MZK_IDP, SVKOS_IDP],
        "rules": "eduPersonScopedAffiliation=member@mzk.cz:depositors\n"
                 "eduPersonEntitlement=urn:geant:mzk.cz:repository:curator:curators\n"})
    assert res.status_code == 302, res.get_data(as_text=True)
    settings = app.test_client().get(f"/api/tenants/{slug}/sso",
                                     headers=people["managers"]).json
    assert [i["entity_id"] for i in settings["idps"]] == [MZK_IDP, SVKOS_IDP]
    assert settings["rules"][1] == {"attribute": "eduPersonEntitlement",
                                    "value": "urn:geant:mzk.cz:repository:curator",
                                    "role": "curators"}

    # a malformed rule and an unknown role: 400, the form again, nothing changed
    for rules in ("member@mzk.cz depositors", "eduPersonEntitlement=x:owners"):
        res = admin.post(PANEL, data={"slug": slug, "idps": [MZK_IDP], "rules": rules},
                         headers={"Accept-Language": language})
        assert res.status_code == 400
        assert 'class="ui form error"' in res.get_data(as_text=True)
    again = app.test_client().get(f"/api/tenants/{slug}/sso", headers=people["managers"]).json
    assert again == settings


def test_the_panel_is_the_administrators(app, make_tenant):
    tenant, _people = make_tenant("sso-panel")
    depositor_staff = staff_browser(app, roles=("administration",), prefix="panel-only")
    res = depositor_staff.post(PANEL, data={"slug": tenant["slug"], "idps": [], "rules": ""})
    assert res.status_code == 403
    assert "You are not allowed to do this." in res.get_data(as_text=True)
