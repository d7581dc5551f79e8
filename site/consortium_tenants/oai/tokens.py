"""Stateless resumption tokens: the list request and the sort key of its last record, signed.

A token is an itsdangerous `URLSafeTimedSerializer` dump (HMAC over the payload
and its time of issue, with a salt of its own), so nothing is kept on the server:
a harvester can resume anywhere within CONSORTIUM_OAI_TOKEN_TTL seconds (a day by
default), and each page is one `search_after` query, as fast at the millionth
record as at the first. A token that was altered, has expired or was issued by
another endpoint is refused (the endpoint answers badResumptionToken).
"""

import time
from datetime import datetime, timezone

from flask import current_app
from itsdangerous import BadData, SignatureExpired, URLSafeTimedSerializer

SALT = "consortium-oai-resumption-token"


class BadToken(Exception):
    """Malformed, tampered with, expired or from another endpoint."""


class ResumptionTokens:
    """Issues and reads the tokens of one secret; they live MAX_AGE seconds."""

    def __init__(self, secret_key, max_age):
        self.serializer = URLSafeTimedSerializer(secret_key, salt=SALT)
        self.max_age = max_age

    def dumps(self, state):
        """A token carrying STATE (a JSON-able dict) and the time it expires (UTC)."""
        issued = int(time.time())  # the token's own stamp is this second or a later one
        token = self.serializer.dumps(state)
        return token, datetime.fromtimestamp(issued + self.max_age, timezone.utc)

    def loads(self, token, scope):
        """The state of TOKEN, issued by endpoint SCOPE and not expired; else BadToken."""
        try:
            state = self.serializer.loads(token, max_age=self.max_age)
        except SignatureExpired:
            raise BadToken("The resumption token has expired; start the harvest again.")
        except BadData:
            raise BadToken("The resumption token is not one this repository issued.")
        if not isinstance(state, dict) or state.get("scope") != scope:
            raise BadToken("The resumption token belongs to another OAI-PMH endpoint.")
        return state


def current_tokens():
    """The tokens of this application: its SECRET_KEY, CONSORTIUM_OAI_TOKEN_TTL."""
    config = current_app.config
    return ResumptionTokens(config["SECRET_KEY"], config["CONSORTIUM_OAI_TOKEN_TTL"])
