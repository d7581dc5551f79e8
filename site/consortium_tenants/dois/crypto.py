"""Account passwords encrypted at rest with keys of their own (CONSORTIUM_DATACITE_KEYS).

A list of Fernet keys (cryptography's MultiFernet): the first encrypts, every one
decrypts, so a key is rotated by putting a new one first, running
`invenio tenants datacite rotate` (re-encrypts every stored password with it) and
then dropping the old one. SECRET_KEY is not involved: changing it leaves the
passwords readable. Passwords stored before the key list existed (encrypted with a
key derived from SECRET_KEY) are still read with that key until `rotate` re-encrypts
them.
"""

import base64
import hashlib
from functools import lru_cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from flask import current_app

LEGACY_SALT = b"consortium-datacite-password"


class MissingKeys(RuntimeError):
    """CONSORTIUM_DATACITE_KEYS holds no key: nothing can be encrypted."""


def configured_keys(value=None):
    """The keys of CONSORTIUM_DATACITE_KEYS (a list, or a string of keys separated by
    commas or white space, as INVENIO_CONSORTIUM_DATACITE_KEYS gives it)."""
    value = current_app.config.get("CONSORTIUM_DATACITE_KEYS") if value is None else value
    if not value:
        return ()
    if isinstance(value, (str, bytes)):
        value = value.decode() if isinstance(value, bytes) else value
        value = value.replace(",", " ").split()
    return tuple(key.decode() if isinstance(key, bytes) else str(key).strip() for key in value)


@lru_cache(maxsize=8)
def _legacy_fernet(secret_key):
    key = hashlib.pbkdf2_hmac("sha256", secret_key.encode(), LEGACY_SALT, 100_000)
    return Fernet(base64.urlsafe_b64encode(key))


@lru_cache(maxsize=8)
def _fernets(keys):
    return tuple(Fernet(key) for key in keys)


def _decrypting():
    """Every Fernet a stored password may be encrypted with, the configured ones first."""
    fernets = list(_fernets(configured_keys()))
    secret_key = current_app.config.get("SECRET_KEY")
    if secret_key:
        fernets.append(_legacy_fernet(secret_key))
    return MultiFernet(fernets)


def encrypt(password):
    """PASSWORD encrypted with the first key of CONSORTIUM_DATACITE_KEYS."""
    keys = configured_keys()
    if not keys:
        raise MissingKeys("CONSORTIUM_DATACITE_KEYS is not set: DataCite passwords cannot "
                          "be stored (see docker/.env.example).")
    return _fernets(keys)[0].encrypt(password.encode())


def decrypt(token):
    """The password, or None when no key of CONSORTIUM_DATACITE_KEYS (nor the legacy
    SECRET_KEY-derived one) reads it."""
    try:
        return _decrypting().decrypt(bytes(token)).decode()
    except (InvalidToken, ValueError, TypeError):
        return None


def rotate(token):
    """TOKEN re-encrypted with the first configured key, or None when no key reads it."""
    keys = configured_keys()
    if not keys:
        raise MissingKeys("CONSORTIUM_DATACITE_KEYS is not set.")
    password = decrypt(token)
    if password is None:
        return None
    return _fernets(keys)[0].encrypt(password.encode())
