"""The SAML protocol of a library's SP, through python3-saml (invenio-saml's request
adapter): one SP per library host — entityID `<site>/saml/metadata`, ACS `<site>/saml/acs`.

invenio-saml's own views are not used: they build an IdP's settings once per process
(the first host asking would give every host its entityID), answer errors as JSON and
link accounts by e-mail. The settings here are built per request from the host and the
IdP's row, so each library is its own SP and the IdPs come from the database.
"""

import base64
import binascii

from flask import request
from invenio_saml.utils import prepare_flask_request
from onelogin.saml2.authn_request import OneLogin_Saml2_Authn_Request
from onelogin.saml2.errors import OneLogin_Saml2_ValidationError as VE
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from .errors import SsoRefusal

POST = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST"
REDIRECT = "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
REFUSALS = {
    VE.ASSERTION_EXPIRED: "expired", VE.SESSION_EXPIRED: "expired",
    VE.RESPONSE_EXPIRED: "expired", VE.ASSERTION_TOO_EARLY: "expired",
    VE.WRONG_AUDIENCE: "audience", VE.WRONG_DESTINATION: "audience",
    VE.WRONG_INRESPONSETO: "unsolicited",
    VE.INVALID_SIGNATURE: "signature", VE.NO_SIGNED_ASSERTION: "signature",
    VE.NO_SIGNATURE_FOUND: "signature", VE.NO_SIGNED_MESSAGE: "signature",
    VE.WRONG_SIGNED_ELEMENT: "signature", VE.INVALID_SIGNED_ELEMENT: "signature",
    VE.DEPRECATED_SIGNATURE_METHOD: "signature", VE.DEPRECATED_DIGEST_METHOD: "signature",
    VE.WRONG_ISSUER: "signature",
}
"""python3-saml's validation errors → the page the person gets (errors.REASONS)."""


def site():
    """This host's site URL (scheme, host, port), no trailing slash."""
    return request.host_url.rstrip("/")


def sp_entity_id():
    return f"{site()}/saml/metadata"


def acs_url():
    return f"{site()}/saml/acs"


def settings(idp=None):
    """python3-saml settings of this host's SP (and IDP's, an IdentityProviderModel)."""
    data = {
        "strict": True,
        "debug": False,
        "sp": {"entityId": sp_entity_id(),
               "assertionConsumerService": {"url": acs_url(), "binding": POST},
               "NameIDFormat": "urn:oasis:names:tc:SAML:2.0:nameid-format:transient"},
        "security": {"wantAssertionsSigned": True, "rejectDeprecatedAlgorithm": True,
                     "requestedAuthnContext": False, "wantNameId": False,
                     "wantAttributeStatement": True},
    }
    if idp is not None:
        data["idp"] = {"entityId": idp.entity_id,
                       "singleSignOnService": {"url": idp.sso_url, "binding": REDIRECT},
                       "x509certMulti": {"signing": list(idp.certificates)}}
    return OneLogin_Saml2_Settings(data, sp_validation_only=idp is None)


def sp_metadata():
    """This host's SP metadata (XML bytes)."""
    return settings().get_sp_metadata()


def login_redirect(idp, relay_state):
    """(AuthnRequest ID, URL of IDP's SSO endpoint carrying the request: HTTP-Redirect)."""
    authn = OneLogin_Saml2_Authn_Request(settings(idp))
    url = OneLogin_Saml2_Utils.redirect(
        idp.sso_url, {"SAMLRequest": authn.get_request(), "RelayState": relay_state})
    return authn.get_id(), url


def read_unverified(saml_response):
    """(issuer, InResponseTo) of a posted SAMLResponse, before anything is verified
    (to find the IdP and the request it answers); SsoRefusal("malformed") for garbage."""
    try:
        base64.b64decode(saml_response, validate=False)
        response = OneLogin_Saml2_Response(settings(), saml_response)
        issuers = response.get_issuers()
        return (issuers[0] if len(issuers) == 1 else None), response.get_in_response_to()
    except (binascii.Error, ValueError, TypeError, VE, Exception) as error:  # noqa: B014
        raise SsoRefusal("malformed") from error


def verify(idp, saml_response, request_id):
    """The verified OneLogin response of IDP answering REQUEST_ID; SsoRefusal otherwise
    (signature with IDP's certificates, audience and destination of this host, validity
    window, InResponseTo)."""
    response = OneLogin_Saml2_Response(settings(idp), saml_response)
    try:
        response.is_valid(prepare_flask_request(request), request_id=request_id,
                          raise_exceptions=True)
    except VE as error:
        raise SsoRefusal(REFUSALS.get(error.code, "invalid"), str(error)) from error
    except Exception as error:  # xmlsec/lxml failures of a forged document
        raise SsoRefusal("signature") from error
    return response
