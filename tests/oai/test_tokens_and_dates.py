"""Unit tests: resumption tokens and OAI-PMH dates (no application, no services)."""

import time
from datetime import datetime, timedelta, timezone

import pytest
from itsdangerous import URLSafeTimedSerializer

from consortium_tenants.oai.provider import OAIError, datestamp, parse_date
from consortium_tenants.oai.tokens import SALT, BadToken, ResumptionTokens

STATE = {"scope": "mzk", "prefix": "oai_dc", "set": "mzk:rukopisy", "from": "2026-01-01",
         "until": None, "after": [1767225600000, "abcde-12345"], "cursor": 100}


def _flip(text, index):
    """TEXT with the character at INDEX replaced by another URL-safe one."""
    return text[:index] + ("A" if text[index] != "A" else "B") + text[index + 1:]


def test_token_round_trip_gives_back_the_state_and_announces_its_expiry():
    tokens = ResumptionTokens("a secret", max_age=3600)
    before = datetime.now(timezone.utc).replace(microsecond=0)
    token, expires = tokens.dumps(STATE)
    assert tokens.loads(token, "mzk") == STATE
    assert before + timedelta(seconds=3600) <= expires <= before + timedelta(seconds=3601)


def test_token_is_an_itsdangerous_timed_token_with_its_own_salt():
    token, _ = ResumptionTokens("a secret", 3600).dumps(STATE)
    assert URLSafeTimedSerializer("a secret", salt=SALT).loads(token, max_age=3600) == STATE
    with pytest.raises(Exception):
        URLSafeTimedSerializer("a secret").loads(token)  # no salt: another signature


def test_token_uses_only_url_safe_characters():
    token, _ = ResumptionTokens("a secret", 3600).dumps(STATE)
    assert set(token) <= set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.")


@pytest.mark.parametrize("where", ["payload", "timestamp", "signature"])
def test_tampered_token_is_refused(where):
    tokens = ResumptionTokens("a secret", 3600)
    token, _ = tokens.dumps(STATE)
    payload, stamp, signature = token.rsplit(".", 2)  # a compressed payload starts with "."
    index = {"payload": 3, "timestamp": len(payload) + 2,
             "signature": len(payload) + len(stamp) + 4}[where]
    with pytest.raises(BadToken, match="not one this repository issued"):
        tokens.loads(_flip(token, index), "mzk")


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "eyJhIjoxfQ.AAAAAAAAAAAAAAAAAAAAAA"])
def test_malformed_token_is_refused(token):
    with pytest.raises(BadToken):
        ResumptionTokens("a secret", 3600).loads(token, "mzk")


def test_token_of_another_secret_is_refused():
    token, _ = ResumptionTokens("another secret", 3600).dumps(STATE)
    with pytest.raises(BadToken, match="not one this repository issued"):
        ResumptionTokens("a secret", 3600).loads(token, "mzk")


def test_token_of_another_endpoint_is_refused():
    tokens = ResumptionTokens("a secret", 3600)
    token, _ = tokens.dumps(STATE)
    with pytest.raises(BadToken, match="another OAI-PMH endpoint"):
        tokens.loads(token, "consortium")


def test_token_older_than_max_age_is_refused():
    token, _ = ResumptionTokens("a secret", 3600).dumps(STATE)
    time.sleep(1.1)  # the token's stamp has whole seconds
    assert ResumptionTokens("a secret", 3600).loads(token, "mzk") == STATE
    with pytest.raises(BadToken, match="expired"):
        ResumptionTokens("a secret", max_age=0).loads(token, "mzk")


UTC = timezone.utc


@pytest.mark.parametrize("value, end, moment, length", [
    ("2026-01-02", False, datetime(2026, 1, 2, tzinfo=UTC), 10),
    ("2026-01-02", True, datetime(2026, 1, 3, tzinfo=UTC), 10),  # until: the whole day
    ("2026-12-31", True, datetime(2027, 1, 1, tzinfo=UTC), 10),
    ("2026-01-02T03:04:05Z", False, datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC), 20),
    ("2026-01-02T03:04:05Z", True, datetime(2026, 1, 2, 3, 4, 6, tzinfo=UTC), 20),
    ("2024-02-29", False, datetime(2024, 2, 29, tzinfo=UTC), 10),
])
def test_oai_dates_at_day_and_second_granularity(value, end, moment, length):
    assert parse_date(value, "until" if end else "from", end=end) == (moment, length)


@pytest.mark.parametrize("value", [
    "", "yesterday", "2026-1-2", "2026-01-02T03:04:05", "2026-01-02T03:04Z",
    "2026-01-02T03:04:05.5Z", "2026-01-02T03:04:05+01:00", "2026-02-30", "2025-02-29",
    "2026-13-01", "2026-01-02T24:00:00Z", " 2026-01-02", "2026-01-02 ",
])
def test_malformed_oai_dates_are_bad_arguments(value):
    with pytest.raises(OAIError) as error:
        parse_date(value, "from")
    assert error.value.code == "badArgument" and "from=" in error.value.message


@pytest.mark.parametrize("indexed, stamp", [
    ("2026-01-02T03:04:05.678901+00:00", "2026-01-02T03:04:05Z"),
    ("2026-01-02T03:04:05Z", "2026-01-02T03:04:05Z"),
    ("2026-01-02T01:30:00+02:00", "2026-01-01T23:30:00Z"),  # converted to UTC
])
def test_datestamps_are_utc_seconds(indexed, stamp):
    assert datestamp(indexed) == stamp
