"""Federation metadata feeds (eduID.cz's `eduid+idp`): fetched, their XML signature
verified with the federation's signing certificate, kept in the database with the IdPs
they list. A feed that fails (unsigned, signed by another key, altered, expired,
unreachable) is refused: the last good feed and its IdPs stay, the error is recorded."""

from datetime import datetime, timezone
from pathlib import Path

import requests
from flask import current_app
from invenio_db import db
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from . import metadata
from .models import FederationFeedModel, IdentityProviderModel

NS = metadata.NS


class FeedError(Exception):
    """A feed that is not used (its reason)."""


def utcnow():
    return datetime.now(timezone.utc).replace(tzinfo=None)


def _read(source):
    if source.startswith(("http://", "https://")):
        response = requests.get(source, timeout=60)
        response.raise_for_status()
        return response.content
    return Path(source).read_bytes()


def _certificate(value):
    """PEM text of a certificate given as PEM or as a path to a PEM file."""
    return value if "BEGIN CERTIFICATE" in value else Path(value).read_text()


def _parse_instant(value):
    value = value.strip().replace("Z", "+00:00")
    return datetime.fromisoformat(value).astimezone(timezone.utc).replace(tzinfo=None)


def verify(xml, certificate):
    """The root of feed XML whose enveloped signature over the whole document verifies
    with CERTIFICATE (PEM) and that has not expired; FeedError otherwise."""
    root = metadata.parse(xml)
    if root.tag != f"{{{NS['md']}}}EntitiesDescriptor":
        raise FeedError("not a metadata feed (no EntitiesDescriptor)")
    signature = root.find("ds:Signature", NS)
    if signature is None:
        raise FeedError("the feed is not signed")
    references = signature.findall("ds:SignedInfo/ds:Reference", NS)
    root_id = root.get("ID")
    if len(references) != 1 or references[0].get("URI") not in (
            "", f"#{root_id}" if root_id else ""):
        raise FeedError("the signature does not cover the whole feed")
    try:
        OneLogin_Saml2_Utils.validate_metadata_sign(xml, certificate, raise_exceptions=True)
    except Exception as error:  # xmlsec's and python3-saml's errors alike
        raise FeedError(f"the signature does not verify with the federation's "
                        f"certificate ({error})") from error
    valid_until = root.get("validUntil")
    if valid_until:
        try:
            until = _parse_instant(valid_until)
        except ValueError as error:
            raise FeedError(f"validUntil is not a date: {valid_until}") from error
        if until < utcnow():
            raise FeedError(f"the feed expired at {valid_until}")
    return root


def refresh(url, certificate, store_idps):
    """Fetch and verify the feed at URL; on success store it and its IdPs (STORE_IDPS,
    the service's) and forget the IdPs it no longer lists; on failure keep what was
    stored and record the error. Returns the number of IdPs; raises FeedError."""
    row = db.session.get(FederationFeedModel, url)
    if row is None:
        row = FederationFeedModel(url=url)
        db.session.add(row)
    row.last_attempt = utcnow()
    try:
        xml = _read(url)
        root = verify(xml, _certificate(certificate))
        entity_ids = store_idps(xml, url)
    except (FeedError, metadata.MetadataError, requests.RequestException, OSError) as error:
        db.session.rollback()
        row = db.session.get(FederationFeedModel, url) or FederationFeedModel(url=url)
        db.session.add(row)
        row.last_attempt = utcnow()
        row.last_error = str(error)[:2000]
        db.session.commit()
        raise error if isinstance(error, FeedError) else FeedError(str(error)) from error
    IdentityProviderModel.query.filter(
        IdentityProviderModel.source == url,
        IdentityProviderModel.entity_id.notin_(entity_ids or [""]),
    ).delete(synchronize_session=False)
    row.xml = xml.decode("utf-8") if isinstance(xml, bytes) else xml
    row.fetched = row.last_attempt
    row.valid_until = _parse_instant(root.get("validUntil")) if root.get("validUntil") else None
    row.idps = len(entity_ids)
    row.last_error = None
    db.session.commit()
    return len(entity_ids)


def refresh_all(store_idps):
    """Every feed of CONSORTIUM_SSO_FEDERATION_FEEDS: {url: IdP count or error text}."""
    results = {}
    for feed in current_app.config["CONSORTIUM_SSO_FEDERATION_FEEDS"]:
        try:
            results[feed["url"]] = refresh(feed["url"], feed["certificate"], store_idps)
        except FeedError as error:
            current_app.logger.error("Federation feed %s refused: %s", feed["url"], error)
            results[feed["url"]] = f"refused: {error}"
    return results
