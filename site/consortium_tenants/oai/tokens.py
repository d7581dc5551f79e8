"""Stateless resumption tokens: the query and the sort key of the last record, signed.

Nothing is kept on the server, so a token stays valid for
CONSORTIUM_OAI_TOKEN_TTL seconds (a day by default) and a harvester can resume
anywhere, any time within it; each page is one `search_after` query, as fast
at the millionth record as at the first.
"""

import base64
import hashlib
import hmac
import json
import time

from flask import current_app


class BadToken(Exception):
    """Malformed, tampered with, expired or from another endpoint."""


def _key():
    return hashlib.sha256(
        b"consortium-oai-token:" + current_app.config["SECRET_KEY"].encode()
    ).digest()


def _b64(raw):
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _unb64(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def encode(state):
    """A token carrying STATE (JSON-able) with an expiry; returns (token, expiry)."""
    expiry = int(time.time()) + current_app.config["CONSORTIUM_OAI_TOKEN_TTL"]
    body = _b64(json.dumps({**state, "exp": expiry}, separators=(",", ":")).encode())
    signature = _b64(hmac.new(_key(), body.encode(), hashlib.sha256).digest()[:16])
    return f"{body}.{signature}", expiry


def decode(token, scope):
    """The state of TOKEN, checked to belong to SCOPE (an endpoint); else BadToken."""
    try:
        body, signature = token.split(".")
        expected = _b64(hmac.new(_key(), body.encode(), hashlib.sha256).digest()[:16])
        if not hmac.compare_digest(signature, expected):
            raise BadToken("The resumption token is not one this repository issued.")
        state = json.loads(_unb64(body))
    except BadToken:
        raise
    except (ValueError, TypeError):
        raise BadToken("The resumption token is malformed.")
    if not isinstance(state, dict) or state.get("exp", 0) < time.time():
        raise BadToken("The resumption token has expired; start the harvest again.")
    if state.get("scope") != scope:
        raise BadToken("The resumption token belongs to another OAI-PMH endpoint.")
    return state
