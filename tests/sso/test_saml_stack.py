"""The SAML stack as installed: lxml and xmlsec share one libxml2, and python3-saml
verifies what the test IdP (scripts/test_idp, pysaml2 in its own virtualenv, started by
scripts/services.sh) signs — over HTTP, no SAML layer mocked.

This is the CI's import check of the lxml/xmlsec pair pinned in the Pipfile: the most
common failure of python3-saml deployments is a libxml2 mismatch between the two.
"""

import base64
import os
import subprocess
import sys

import pytest
import requests

IDP = f"http://127.0.0.1:{os.environ.get('IDP_PORT', '5105')}"
SP = "http://mzk.localhost:5000/saml/metadata"
ACS = "http://mzk.localhost:5000/saml/acs"


def test_the_web_servers_uwsgi_lets_the_app_load_xmlsec(tmp_path):
    # uWSGI built from source links the system's libxml2 when its headers are installed;
    # in such a process xmlsec refuses to import ("lxml & xmlsec libxml2 library version
    # mismatch") and the web app (invenio-saml imports it) does not load at all, while
    # every test in pytest passes. Served by the project's uWSGI and INI, as `make run`.
    from local_web import running_nginx, running_uwsgi

    application = (
        "import lxml.etree, xmlsec\n"
        "def application(environ, start_response):\n"
        "    start_response('200 OK', [('Content-Type', 'text/plain')])\n"
        "    return [b'xmlsec loaded']\n")
    with running_uwsgi(tmp_path / "app", application) as (port, log):
        with running_nginx(tmp_path / "nginx", port) as (url, _, _):
            res = requests.get(url + "/", timeout=30)
            assert (res.status_code, res.text) == (200, "xmlsec loaded"), \
                log.read_text()[-2000:]


def test_lxml_and_xmlsec_share_one_libxml2():
    # In a fresh interpreter: xmlsec refuses to import when they differ.
    out = subprocess.run(
        [sys.executable, "-c",
         "import lxml.etree as e, xmlsec; "
         "print(e.LIBXML_VERSION == xmlsec.get_libxml_version(), e.LIBXML_VERSION)"],
        capture_output=True, text=True, check=True,
    ).stdout.split()
    assert out[0] == "True", out
    import onelogin.saml2.auth  # noqa: F401  (python3-saml imports with the pair)
    import invenio_saml  # noqa: F401


def sp_settings(idp_name):
    from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser

    idp = OneLogin_Saml2_IdPMetadataParser.parse(
        requests.get(f"{IDP}/{idp_name}/metadata", timeout=10).text)["idp"]
    return {
        "strict": True,
        "sp": {"entityId": SP, "assertionConsumerService": {
            "url": ACS, "binding": "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"}},
        "idp": idp,
        "security": {"wantAssertionsSigned": True, "rejectDeprecatedAlgorithm": True},
    }


def issue(idp_name="mzk", **args):
    body = {"user": "novak", "acs": ACS, "audience": SP, **args}
    res = requests.post(f"{IDP}/{idp_name}/issue", json=body, timeout=30)
    assert res.status_code == 200, res.text
    return res.json()["SAMLResponse"]


def verify(saml_response, idp_name="mzk"):
    from onelogin.saml2.response import OneLogin_Saml2_Response
    from onelogin.saml2.settings import OneLogin_Saml2_Settings

    settings = OneLogin_Saml2_Settings(sp_settings(idp_name), sp_validation_only=True)
    response = OneLogin_Saml2_Response(settings, saml_response)
    request = {"http_host": "mzk.localhost:5000", "script_name": "/saml/acs",
               "server_port": 5000, "https": "off", "get_data": {}, "post_data": {}}
    return response, response.is_valid(request, raise_exceptions=False)


def test_python3_saml_accepts_the_test_idps_signed_assertion():
    response, valid = verify(issue())
    assert valid, response.get_error()
    assert response.get_attributes()["urn:oid:1.3.6.1.4.1.5923.1.1.1.13"] == ["novak@mzk.cz"]


def test_a_tampered_assertion_fails_its_signature():
    xml = base64.b64decode(issue()).decode()
    assert "member@mzk.cz" in xml
    forged = base64.b64encode(xml.replace("member@mzk.cz", "staff@mzk.cz").encode()).decode()
    response, valid = verify(forged)
    assert not valid
    assert "ignature" in response.get_error() or "Digest" in response.get_error()


def test_another_idps_signature_is_not_the_configured_idps():
    # svkos's IdP signs, mzk's certificate is configured: refused
    response, valid = verify(issue("svkos", user="horak"), idp_name="mzk")
    assert not valid


@pytest.mark.parametrize("args, reason", [
    ({"lifetime_minutes": -10}, "expired"),
    ({"audience": "http://svkos.localhost:5000/saml/metadata"}, "audience"),
])
def test_expired_and_foreign_audience_are_refused(args, reason):
    response, valid = verify(issue(**args))
    assert not valid
    assert reason in response.get_error().lower(), response.get_error()
