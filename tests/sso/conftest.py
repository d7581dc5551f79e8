"""SSO fixtures: the test IdPs known to the platform, a library allowing one of them."""

import pytest

from helpers import invoke_cli
from saml_flow import MZK_IDP, RULES, SVKOS_IDP, Browser


@pytest.fixture(scope="session")
def test_idps(app):
    """Both test IdPs imported from their metadata, as an operator does."""
    for source in (MZK_IDP, SVKOS_IDP):
        result = invoke_cli(app, ["tenants", "sso", "idps-import", source])
        assert result.exit_code == 0, result.output
    return {"mzk": MZK_IDP, "svkos": SVKOS_IDP}


@pytest.fixture()
def sso_library(app, make_tenant, test_idps):
    """A library allowing the MZK test IdP with RULES, set by its manager over REST."""
    tenant, people = make_tenant("sso")
    res = app.test_client().put(f"/api/tenants/{tenant['slug']}/sso", headers=people["managers"],
                                json={"idps": [MZK_IDP], "rules": RULES})
    assert res.status_code == 200, res.json
    return tenant, people


@pytest.fixture()
def person_at(app):
    return lambda slug: Browser(app, slug)
