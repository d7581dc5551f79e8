"""Test SAML 2 identity providers for the local platform and the test suite.

NEVER for production: anyone can pick any person on its login page. Run by
scripts/services.sh (service `idp`) with its own virtualenv
(scripts/test_idp/requirements.txt: pysaml2, which signs with Debian's xmlsec1).

One process serves every IdP of users.json at http://127.0.0.1:$IDP_PORT/<name>/:

  GET  /<name>/metadata   SAML metadata (signing certificate, SSO endpoint,
                          shibmd:Scope, mdui:DisplayName in cs/en)
  GET  /<name>/sso        HTTP-Redirect binding: the AuthnRequest is read and a
                          login page lists the IdP's test people
  POST /<name>/login      the chosen person: a signed Response (assertion signed too)
                          posted back to the SP's ACS by an auto-submitting form
  POST /<name>/issue      for tests (JSON): a signed Response for any person,
                          audience, ACS, lifetime and attribute overrides, so the
                          SP's refusals can be exercised over the real protocol
  GET  /health            "ok"

The signing key of each IdP is generated at first start in $IDP_STATE_DIR
(test-only keys; never committed).
"""

import base64
import html
import json
import os
import subprocess
import sys
import uuid
import xml.etree.ElementTree as ET
import zlib
from urllib.parse import parse_qs
from wsgiref.simple_server import WSGIRequestHandler, make_server

from saml2 import BINDING_HTTP_REDIRECT
from saml2.config import IdPConfig
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_TRANSIENT, NameID
from saml2.server import Server

HERE = os.path.dirname(os.path.abspath(__file__))
PORT = int(os.environ.get("IDP_PORT", "5105"))
HOST = os.environ.get("IDP_HOST", "127.0.0.1")
STATE_DIR = os.environ.get("IDP_STATE_DIR", os.path.join(HERE, ".state"))
USERS = json.load(open(os.environ.get("IDP_USERS", os.path.join(HERE, "users.json"))))
IDPS = {k: v for k, v in USERS.items() if not k.startswith("_")}
BASE = f"http://{HOST}:{PORT}"
PASSWORD_CLASS = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
SAMLP = "urn:oasis:names:tc:SAML:2.0:protocol"
SAML = "urn:oasis:names:tc:SAML:2.0:assertion"


def entity_id(name):
    return f"{BASE}/{name}/metadata"


def key_pair(name):
    """(key file, cert file) of IdP `name`, generated once (RSA 2048, 10 years)."""
    os.makedirs(STATE_DIR, exist_ok=True)
    key, crt = (os.path.join(STATE_DIR, f"{name}.{ext}") for ext in ("key", "crt"))
    if not (os.path.exists(key) and os.path.exists(crt)):
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
             "-subj", f"/CN=Test IdP {name} (not for production)",
             "-keyout", key, "-out", crt],
            check=True, capture_output=True,
        )
    return key, crt


def cert_body(name):
    pem = open(key_pair(name)[1]).read()
    return "".join(line for line in pem.splitlines() if "CERTIFICATE" not in line)


def sp_metadata(audience, acs):
    """Minimal metadata of the SP asking (pysaml2 looks the audience up in metadata)."""
    e = html.escape
    return f"""<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    entityID="{e(audience)}"><md:SPSSODescriptor
    protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:AssertionConsumerService index="0" Location="{e(acs)}"
      Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"/>
  </md:SPSSODescriptor></md:EntityDescriptor>"""


def server(name, audience, acs, lifetime_minutes=5):
    key, crt = key_pair(name)
    config = IdPConfig()
    config.load({
        "entityid": entity_id(name),
        "service": {"idp": {
            "endpoints": {"single_sign_on_service": [(f"{BASE}/{name}/sso", BINDING_HTTP_REDIRECT)]},
            "policy": {"default": {"lifetime": {"minutes": lifetime_minutes},
                                   "name_form": NAME_FORMAT_URI}},
            "name_id_format": [NAMEID_FORMAT_TRANSIENT],
        }},
        "key_file": key, "cert_file": crt,
        "xmlsec_binary": "/usr/bin/xmlsec1",
        "metadata": {"inline": [sp_metadata(audience, acs)]},
    })
    return Server(config=config)


def metadata(name):
    idp = IDPS[name]
    e = html.escape
    names = "".join(
        f'<mdui:DisplayName xml:lang="{lang}">{e(text)}</mdui:DisplayName>'
        for lang, text in idp["name"].items())
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"
    xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:shibmd="urn:mace:shibboleth:metadata:1.0"
    xmlns:mdui="urn:oasis:names:tc:SAML:metadata:ui" entityID="{e(entity_id(name))}">
  <md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:Extensions>
      <shibmd:Scope regexp="false">{e(idp["scope"])}</shibmd:Scope>
      <mdui:UIInfo>{names}</mdui:UIInfo>
    </md:Extensions>
    <md:KeyDescriptor use="signing"><ds:KeyInfo><ds:X509Data>
      <ds:X509Certificate>{cert_body(name)}</ds:X509Certificate>
    </ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>{NAMEID_FORMAT_TRANSIENT}</md:NameIDFormat>
    <md:SingleSignOnService Binding="{BINDING_HTTP_REDIRECT}" Location="{e(BASE)}/{name}/sso"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>
"""


def read_authn_request(saml_request):
    """ID, ACS URL and issuer of an HTTP-Redirect AuthnRequest (deflated, base64)."""
    xml = zlib.decompress(base64.b64decode(saml_request), -15)
    root = ET.fromstring(xml)
    if root.tag != f"{{{SAMLP}}}AuthnRequest":
        raise ValueError("not an AuthnRequest")
    issuer = root.find(f"{{{SAML}}}Issuer")
    return {
        "in_response_to": root.get("ID"),
        "acs": root.get("AssertionConsumerServiceURL"),
        "audience": issuer.text.strip() if issuer is not None else None,
    }


def signed_response(name, user, acs, audience, in_response_to=None, lifetime_minutes=5,
                    attributes=None):
    """Base64 of a signed Response (signed assertion inside) for `user` of IdP `name`."""
    identity = {k: (v if isinstance(v, list) else [v])
                for k, v in IDPS[name]["users"][user].items()}
    for key, value in (attributes or {}).items():
        if value is None:
            identity.pop(key, None)
        else:
            identity[key] = value if isinstance(value, list) else [value]
    identity = {k: v for k, v in identity.items() if v}
    response = server(name, audience, acs, lifetime_minutes).create_authn_response(
        identity,
        in_response_to=in_response_to,
        destination=acs,
        sp_entity_id=audience,
        name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text=uuid.uuid4().hex),
        authn={"class_ref": PASSWORD_CLASS},
        sign_assertion=True,
        sign_response=True,
        sign_alg="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256",
        digest_alg="http://www.w3.org/2001/04/xmlenc#sha256",
    )
    return base64.b64encode(str(response).encode()).decode()


PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>{title}</title></head><body><main>{body}</main></body></html>"""


def login_page(name, params):
    e = html.escape
    people = "".join(
        f'<li><label><input type="radio" name="user" value="{e(u)}"{" checked" if i == 0 else ""}> '
        f'{e(a.get("displayName", u))} ({e(a.get("eduPersonUniqueId", ""))})</label></li>'
        for i, (u, a) in enumerate(IDPS[name]["users"].items()))
    title = IDPS[name]["name"]["en"]
    body = (
        f'<h1>{e(title)} / {e(IDPS[name]["name"].get("cs", title))}</h1>'
        '<p>Test identity provider: choose a person (no password). '
        'Testovací poskytovatel identity: vyberte osobu (bez hesla).</p>'
        f'<form method="post" action="/{name}/login">'
        f'<input type="hidden" name="SAMLRequest" value="{e(params.get("SAMLRequest", ""))}">'
        f'<input type="hidden" name="RelayState" value="{e(params.get("RelayState", ""))}">'
        f'<ul>{people}</ul><button type="submit">Sign in / Přihlásit</button></form>')
    return PAGE.format(title=e(title), body=body)


def post_form(acs, saml_response, relay_state):
    e = html.escape
    body = (
        f'<form method="post" action="{e(acs)}" id="saml">'
        f'<input type="hidden" name="SAMLResponse" value="{e(saml_response)}">'
        f'<input type="hidden" name="RelayState" value="{e(relay_state or "")}">'
        '<noscript><button type="submit">Continue / Pokračovat</button></noscript></form>'
        '<script>document.getElementById("saml").submit()</script>')
    return PAGE.format(title="Signing in", body=body)


def app(environ, start_response):
    method = environ["REQUEST_METHOD"]
    parts = environ.get("PATH_INFO", "").strip("/").split("/")

    def answer(status, body, ctype="text/html; charset=utf-8"):
        data = body.encode() if isinstance(body, str) else body
        start_response(status, [("Content-Type", ctype), ("Content-Length", str(len(data)))])
        return [data]

    try:
        if parts == ["health"]:
            return answer("200 OK", "ok", "text/plain")
        if len(parts) != 2 or parts[0] not in IDPS:
            return answer("404 Not Found", "no such IdP", "text/plain")
        name, action = parts
        query = {k: v[0] for k, v in parse_qs(environ.get("QUERY_STRING", "")).items()}
        body = b""
        if method == "POST":
            body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
        if action == "metadata" and method == "GET":
            return answer("200 OK", metadata(name), "application/samlmetadata+xml")
        if action == "sso" and method == "GET":
            read_authn_request(query["SAMLRequest"])  # refuse garbage before showing the page
            return answer("200 OK", login_page(name, query))
        if action == "login" and method == "POST":
            form = {k: v[0] for k, v in parse_qs(body.decode()).items()}
            request = read_authn_request(form["SAMLRequest"])
            response = signed_response(name, form["user"], request["acs"], request["audience"],
                                       request["in_response_to"])
            return answer("200 OK", post_form(request["acs"], response, form.get("RelayState")))
        if action == "issue" and method == "POST":
            args = json.loads(body or b"{}")
            response = signed_response(
                name, args["user"], args["acs"], args["audience"], args.get("in_response_to"),
                args.get("lifetime_minutes", 5), args.get("attributes"))
            return answer("200 OK", json.dumps({"SAMLResponse": response}), "application/json")
        return answer("405 Method Not Allowed", "", "text/plain")
    except (KeyError, ValueError, zlib.error) as exc:
        return answer("400 Bad Request", f"bad request: {exc!r}", "text/plain")


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format, *args):
        sys.stderr.write("%s\n" % (format % args))


if __name__ == "__main__":
    for idp_name in IDPS:
        key_pair(idp_name)
    print(f"test IdPs {', '.join(IDPS)} on {BASE}", flush=True)
    make_server(HOST, PORT, app, handler_class=QuietHandler).serve_forever()
