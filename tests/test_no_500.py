"""No input gets a 5xx: every route the instance adds, walked with hostile inputs.

The routes come from the URL maps of the UI and the REST application, filtered to the
instance's own (blueprints `consortium_*`, administration views of the site package).
Each is called with its path parameters filled with real ids (a library, a credential,
a request, a record, a period) and with hostile values, with a hostile query string
and, where it takes a body, with malformed, huge, wrongly typed and overlong bodies —
as an anonymous visitor, a depositor and a consortium administrator, in Czech and in
English. Asserted: never a 5xx; a JSON 4xx carries a message in the request's
language; a refused write leaves every row of the instance's tables and every S3
object as it was.
"""

import hashlib
import itertools
import json
import re

import pytest

from helpers import TEST_BUCKET, browser_of, deposit, submit_review

CZECH_LETTERS = re.compile("[áčďéěíňóřšťúůýžÁČĎÉĚÍŇÓŘŠŤÚŮÝŽ„“]")
WRITES = {"POST", "PUT", "PATCH", "DELETE"}

HOSTILE_VALUES = [
    "x\x00", "２０２６-11", "9999-12", "0000-00", "10000-01", "2026-11\n", "-1",
    "9" * 400, "1e400", "<script>alert(1)</script>", "%", "a" * 5000, "", "ř" * 300,
]
"""Values of path parameters and query arguments."""

QUERY_NAMES = [
    "period", "from", "to", "format", "q", "sort", "page", "size", "status", "lang",
    "interval", "expand", "begin_date", "end_date", "customer_id", "requestor_id",
    "api_key", "platform", "item_id", "yop", "metric_type", "verb", "metadataPrefix",
    "identifier", "set", "resumptionToken", "until", "granularity", "slug", "library",
]
"""Query arguments the instance's routes read (each request sets all of them)."""

FIELD_NAMES = [
    "slug", "names", "short_name", "ror", "contact_email", "hosts", "email_domains",
    "branding", "storage", "quota", "max_file_size", "max_files", "oai_identifier_prefix",
    "email", "role", "label", "prefix", "repository_id", "password", "test_mode", "enabled",
    "effective_from", "price_gb_month", "price_deposit", "member_fee_year", "free_gb",
    "vat_rate", "currency", "preset", "rules", "payload", "content", "idps",
    "licenses", "max_embargo_months", "embargo_by_resource_type", "versions",
    "funding_required", "data_within_months", "severity", "base_url", "manifest_url",
]
"""Body fields the instance's services read."""

FIELD_VALUES = [-1, 10**400, "1e400", 1e300, "\u0000", "９９", None, [], {}, "a" * 100_000,
                True, "9" * 400, "10.12345\n", "CZ MZK\n<script>"]


def _raw_bodies():
    """(content type, bytes) of the hostile bodies."""
    bodies = [
        ("application/json", b"{"),
        ("application/json", b'{"a": }'),
        ("application/json", b"[]"),
        ("application/json", b'"text"'),
        ("application/json", b"1e400"),
        ("application/json", b"null"),
        ("application/json", b"\xff\xfe\x00garbage"),
        ("application/json", b"[" * 100_000 + b"]" * 100_000),
        ("application/json", json.dumps({"x": "a" * 2_000_000}).encode()),
        ("application/json", b'{"slug": "\\u0000"}'),
        ("text/plain", b"slug=x"),
        ("application/x-www-form-urlencoded", b"slug=x&quota=-1"),
    ]
    for value in FIELD_VALUES:
        text = json.dumps({name: value for name in FIELD_NAMES}) if value != 10**400 else (
            "{" + ", ".join(f'"{n}": {"9" * 400}' for n in FIELD_NAMES) + "}")
        bodies.append(("application/json", text.encode()))
    # nested shapes that parse: the storage limits and names with hostile members
    for value in ("9" * 400, -5, "１０ GB", "10 GB\n", 10**30):
        bodies.append(("application/json", json.dumps(
            {"storage": {"quota": value, "max_file_size": value, "max_files": value},
             "names": {"cs": value, "en": value}}, default=str).encode()))
    return bodies


BODIES = _raw_bodies()


def instance_rules(flask_app):
    """Rules of FLASK_APP whose view is the instance's own."""
    for rule in flask_app.url_map.iter_rules():
        view = flask_app.view_functions.get(rule.endpoint)
        module = getattr(getattr(view, "view_class", view), "__module__", "") or ""
        blueprint = rule.endpoint.partition(".")[0]
        if blueprint.startswith("consortium_") or module.startswith("consortium_"):
            if rule.endpoint.endswith(".static") or "static" in rule.rule.split("/")[1:2]:
                continue
            yield rule


def snapshot(s3):
    """A digest of every row of the instance's tables and of the S3 bucket's listing."""
    from invenio_db import db
    from sqlalchemy import text

    tables = [t for t in db.metadata.sorted_tables if t.name.startswith("consortium_")
              ] + [t for t in db.metadata.sorted_tables if t.name in (
                  "accounts_user", "accounts_role", "accounts_userrole", "communities_metadata",
                  "communities_members", "rdm_drafts_metadata", "rdm_records_metadata",
                  "request_metadata", "files_object", "oauth2server_token")]
    digest = hashlib.sha256()
    db.session.rollback()
    with db.engine.connect() as connection:
        for table in tables:
            rows = connection.execute(text(
                f'SELECT md5(coalesce(string_agg(t::text, \'|\' ORDER BY t::text), \'\')) '
                f'FROM "{table.name}" t')).scalar()
            digest.update(f"{table.name}:{rows};".encode())
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=TEST_BUCKET)
    for page in pages:
        for item in page.get("Contents", []):
            digest.update(f"{item['Key']}:{item['Size']}:{item.get('ETag')};".encode())
    return digest.hexdigest()


@pytest.fixture(scope="module")
def walk_world(app, make_tenant, make_user, admin_headers):
    """Real ids for the path parameters: a library with people, a SUSHI credential,
    a submission request, a published work."""
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    client = app.test_client()
    tenant, people = make_tenant("walk")
    slug = tenant["slug"]
    res = client.post(f"/api/tenants/{slug}/sushi-credentials", headers=admin_headers,
                      json={"label": "walk"})
    assert res.status_code == 201, res.json
    requestor_id = res.json["requestor_id"]
    draft = deposit(client, people["depositors"], tenant["community_id"], title="Walk")
    res = submit_review(client, people["depositors"], draft["id"])
    request_id = res.json["id"] if res.status_code == 202 else None
    admin_user, _ = make_user()
    for role in ("administration", "consortium-admin"):
        current_datastore.add_role_to_user(admin_user, role)
    db.session.commit()
    return {
        "slug": slug, "requestor_id": requestor_id, "id": request_id,
        "request_id": request_id,
        "pid_value": draft["id"], "report": "pr", "period": "2026-11",
        "effective_from": "2026-01-01", "people": people, "admin_user": admin_user,
        "depositor_user": people["depositors_user"],
    }


def real_value(name, world):
    return str(world.get(name) or {"uuid": "00000000-0000-0000-0000-000000000000"}.get(
        name, "x"))


def fillings(rule, world, flask_app):
    """Paths of RULE: its parameters all real, then each hostile value in every parameter;
    only those that reach RULE (a value its converter refuses makes another URL)."""
    from werkzeug.exceptions import HTTPException
    from werkzeug.routing import BuildError, RequestRedirect

    adapter = flask_app.url_map.bind("localhost")

    names = sorted(rule.arguments)
    values = [{n: real_value(n, world) for n in names}]
    for hostile in HOSTILE_VALUES:
        if "/" in hostile:
            continue  # it would not fill the parameter: the URL is no route of the instance
        values.append({n: hostile for n in names})
        if len(names) > 1:  # hostile in one parameter, the others real
            for name in names:
                values.append({**values[0], name: hostile})
        if not names:
            break
    paths = []
    for args in values:
        try:
            path = rule.build(args, append_unknown=False)[1]
        except (BuildError, ValueError, TypeError):
            continue  # a converter refuses the value (e.g. <uuid:…>): no such URL
        try:
            endpoint, _ = adapter.match(path, method=sorted(rule.methods)[0])
        except (HTTPException, RequestRedirect):
            continue
        if endpoint == rule.endpoint and path not in paths:
            paths.append(path)
    return paths


def hostile_query(index):
    value = HOSTILE_VALUES[index % len(HOSTILE_VALUES)]
    return {name: value for name in QUERY_NAMES}


def call(send, language, method, path, problems):
    """SEND(LANGUAGE), or None with the problem recorded when the application raised (the
    test app propagates exceptions: a 500 in production)."""
    try:
        return send(language)
    except Exception as error:  # noqa: BLE001 - every exception is a finding
        problems.append(f"{method} {path[:120]!r} [{language}]: 500 {type(error).__name__}: "
                        f"{str(error)[:200]}")
        return None


def check(res, send, method, path, language, problems, seen):
    """Record a problem unless RES is below 500 and, as a JSON 4xx, in LANGUAGE: a Czech
    answer differs from the English one to the same request (SEND(language) repeats it),
    an English one has no Czech letters."""
    where = f"{method} {path[:120]!r} [{language}]"
    if res is None:
        return
    if res.status_code >= 500:
        problems.append(f"{where}: {res.status_code} {res.get_data(as_text=True)[:300]!r}")
        return
    if not (400 <= res.status_code < 500 and res.is_json):
        return
    body = res.get_json(silent=True)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str):
        return  # e.g. a COUNTER exception (Code/Message are English by the standard)
    if language == "en":
        if CZECH_LETTERS.search(message.replace("ř", "")):  # "ř…": an echoed input
            problems.append(f"{where}: {res.status_code} not in English: {message[:200]!r}")
        return
    key = (method, res.status_code, message)
    if key in seen:
        return
    seen.add(key)
    other = call(send, "en", method, path, problems)
    if other is None:
        return
    english = (other.get_json(silent=True) or {}) if other.is_json else {}
    if isinstance(english, dict) and english.get("message") == message:
        problems.append(f"{where}: {res.status_code} not in Czech: {message[:200]!r}")


def test_no_route_of_the_instance_answers_5xx_to_hostile_input(
        app, api_app, walk_world, admin_headers, s3):
    world = walk_world
    actors = {
        "anonymous": ({"Accept": "application/json"}, app.test_client()),
        "api": (None, app.test_client(use_cookies=False)),
        "depositor": (world["people"]["depositors"], browser_of(app, world["depositor_user"])),
        "admin": (admin_headers, browser_of(app, world["admin_user"])),
    }
    ui_rules = [(r, "", app) for r in instance_rules(app)]
    api_rules = [(r, "/api", api_app) for r in instance_rules(api_app)]
    assert len(api_rules) > 20 and len(ui_rules) > 10, (len(api_rules), len(ui_rules))
    # writes that succeed with any body (DELETE, actions) go last: they may remove the ids
    ordered = sorted(ui_rules + api_rules, key=lambda item: "DELETE" in item[0].methods)
    problems, requests_made, seen = [], 0, set()
    languages = itertools.cycle(["cs", "en"])
    before = snapshot(s3)
    for rule, prefix, flask_app in ordered:
        methods = sorted(rule.methods - {"HEAD", "OPTIONS"})
        for path_index, path in enumerate(fillings(rule, world, flask_app)):
            for method in methods:
                for actor, (headers, browser) in actors.items():
                    if actor == "api" or (path_index > 1 and actor != "admin"):
                        continue  # (others meet one hostile path per route: runtime)
                    api = prefix == "/api"
                    client = actors["api"][1] if api else browser  # tokens, no cookies
                    base = dict(headers) if api else {}
                    if method not in WRITES:
                        def send(language, client=client, prefix=prefix, path=path, base=base,
                                 query=hostile_query(path_index), method=method):
                            return client.open(prefix + path, method=method,
                                               query_string=query,
                                               headers={**base, "Accept-Language": language})
                        language = next(languages)
                        res = call(send, language, method, prefix + path, problems)
                        requests_made += 1
                        check(res, send, method, prefix + path, language, problems, seen)
                        continue
                    bodies = BODIES if path_index == 0 else BODIES[:3]
                    if actor != "admin":
                        bodies = bodies[:6]
                    for content_type, data in bodies:
                        def send(language, client=client, prefix=prefix, path=path, base=base, data=data,
                                 content_type=content_type, method=method):
                            return client.open(prefix + path, method=method, data=data,
                                               headers={**base, "Content-Type": content_type,
                                                        "Accept-Language": language})
                        language = next(languages)
                        res = call(send, language, method, prefix + path, problems)
                        requests_made += 1
                        check(res, send, method, prefix + path, language, problems, seen)
                        after = snapshot(s3)
                        if (res is None or res.status_code >= 400) and after != before:
                            problems.append(f"{method} {prefix}{path[:120]!r} as {actor}: "
                                            f"{getattr(res, 'status_code', 500)} but rows or objects changed")
                        before = after
    assert not problems, f"{len(problems)} of {requests_made} requests:\n" + "\n".join(
        problems[:80])
