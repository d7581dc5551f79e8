"""The browser's side of a SAML login against the test IdPs (scripts/test_idp, started by
scripts/services.sh): the library's host through the Flask test client, the IdP over HTTP."""

import base64
import html
import os
import re
import zlib
from urllib.parse import parse_qs, urlsplit

import requests

IDP = f"http://127.0.0.1:{os.environ.get('IDP_PORT', '5105')}"
MZK_IDP = f"{IDP}/mzk/metadata"
SVKOS_IDP = f"{IDP}/svkos/metadata"
RULES = [
    {"attribute": "eduPersonScopedAffiliation", "value": "member@mzk.cz", "role": "depositors"},
    {"attribute": "eduPersonEntitlement", "value": "urn:geant:mzk.cz:repository:curator",
     "role": "curators"},
]


class Browser:
    """A person's browser on a library's host (the Flask test client) and at the IdP
    (real HTTP): starts the login, signs in at the IdP, posts its answer back."""

    def __init__(self, app, slug):
        self.client = app.test_client()
        self.base = f"http://{slug}.localhost"

    def start(self, next_url="/account/settings/profile", **args):
        """GET /saml/login: (AuthnRequest ID, IdP URL it redirects to)."""
        res = self.client.get("/saml/login", base_url=self.base,
                              query_string={"next": next_url, **args})
        assert res.status_code == 302, res.get_data(as_text=True)
        url = res.headers["Location"]
        query = parse_qs(urlsplit(url).query)
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
        return re.search(r'ID="([^"]+)"', xml).group(1), url

    def sign_in_at_idp(self, url, user):
        """The IdP's login page, the person chosen: (ACS URL, SAMLResponse, RelayState)."""
        page = requests.get(url, timeout=30)
        assert page.status_code == 200, page.text
        fields = dict(re.findall(r'name="(SAMLRequest|RelayState)" value="([^"]*)"', page.text))
        fields = {k: html.unescape(v) for k, v in fields.items()}
        answer = requests.post(url.split("/sso")[0] + "/login",
                               data={**fields, "user": user}, timeout=30)
        assert answer.status_code == 200, answer.text
        action = html.unescape(re.search(r'action="([^"]+)"', answer.text).group(1))
        posted = dict(re.findall(r'name="(SAMLResponse|RelayState)" value="([^"]*)"',
                                 answer.text))
        return action, html.unescape(posted["SAMLResponse"]), html.unescape(posted["RelayState"])

    def post_to_acs(self, action, saml_response, relay_state="/", language="en"):
        assert action == f"{self.base}/saml/acs", action
        return self.client.post("/saml/acs", base_url=self.base,
                                data={"SAMLResponse": saml_response, "RelayState": relay_state},
                                headers={"Accept-Language": language})

    def login(self, user, idp="mzk", language="en"):
        _request_id, url = self.start()
        assert url.startswith(f"{IDP}/{idp}/sso?")
        return self.post_to_acs(*self.sign_in_at_idp(url, user), language=language)


def issue(idp, browser, request_id, **args):
    """A signed answer of IDP (test IdP's /issue) to REQUEST_ID, with ARGS overriding
    the person, audience, lifetime or attributes."""
    body = {"user": "novak", "acs": f"{browser.base}/saml/acs",
            "audience": f"{browser.base}/saml/metadata", "in_response_to": request_id, **args}
    res = requests.post(f"{IDP}/{idp}/issue", json=body, timeout=30)
    assert res.status_code == 200, res.text
    return res.json()["SAMLResponse"]


