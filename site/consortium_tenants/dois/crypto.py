"""Account passwords encrypted at rest with a key derived from SECRET_KEY."""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app

SALT = b"consortium-datacite-password"


@lru_cache(maxsize=4)
def _fernet_of(secret_key):
    key = hashlib.pbkdf2_hmac("sha256", secret_key.encode(), SALT, 100_000)
    return Fernet(base64.urlsafe_b64encode(key))


def _fernet():
    return _fernet_of(current_app.config["SECRET_KEY"])


def encrypt(password):
    return _fernet().encrypt(password.encode())


def decrypt(token):
    """The password, or None when SECRET_KEY changed since it was stored."""
    try:
        return _fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        return None
