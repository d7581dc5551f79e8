"""Issue 25 §3: each input that gave a 500 (or was wrongly accepted) gets a clear 4xx in
the request's language and changes nothing. The route walk is tests/test_no_500.py."""

import pytest

from helpers import tenant_payload

SUSHI = "/api/sushi/r51"


def cs(headers):
    return {**headers, "Accept-Language": "cs"}


def en(headers):
    return {**headers, "Accept-Language": "en"}


@pytest.fixture(scope="module")
def library(make_tenant):
    return make_tenant("hostile")


def statement_count(slug):
    from consortium_tenants.billing.models import StatementModel
    from consortium_tenants.tenants.models import TenantModel
    from invenio_db import db

    db.session.expire_all()
    tenant = TenantModel.query.filter_by(slug=slug).one()
    return StatementModel.query.filter_by(tenant_id=tenant.id).count()


@pytest.mark.parametrize("method,path", [
    ("POST", "/api/tenants"),
    ("PUT", "/api/tenants/{slug}"),
    ("POST", "/api/tenants/{slug}/members"),
    ("POST", "/api/billing/tariffs"),
    ("PUT", "/api/tenants/{slug}/datacite"),
    ("PUT", "/api/tenants/{slug}/workflow"),
    ("PUT", "/api/tenants/{slug}/oa-policy"),
    ("PUT", "/api/tenants/{slug}/kramerius"),
    ("POST", "/api/tenants/{slug}/sushi-credentials"),
    ("POST", "/api/tenants/{slug}/imports"),
])
@pytest.mark.parametrize("body,code,message", [
    (b"{", 400, ("The body is not valid JSON.", "Tělo požadavku není platný JSON.")),
    (b"\xff\xfe", 400, ("The body is not valid JSON.", "Tělo požadavku není platný JSON.")),
    (b"[" * 50000 + b"]" * 50000, 400, ("The body is not valid JSON.",
                                          "Tělo požadavku není platný JSON.")),
    (b"[1, 2]", 400, ("The body must be a JSON object.",
                      "Tělem požadavku musí být objekt JSON, ne jiná hodnota.")),
    (b'{"label": "x\\u0000"}', 400, ("The request contains a NUL character.",
                                     "Požadavek obsahuje znak NUL.")),
])
def test_a_body_that_is_no_json_object_is_a_400_in_the_request_language(
        client, library, admin_headers, method, path, body, code, message):
    tenant, _ = library
    url = path.format(slug=tenant["slug"])
    before = client.get(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                        headers=admin_headers).json["hits"]
    for language, text in zip(("en", "cs"), message):
        res = client.open(url, method=method, data=body,
                          headers={**admin_headers, "Accept-Language": language})
        assert res.status_code == code, (res.status_code, res.get_data(as_text=True)[:300])
        assert res.json["message"] == text
    after = client.get(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                       headers=admin_headers).json["hits"]
    assert after == before  # no credential issued for a malformed body


def test_another_content_type_is_a_415(client, library, admin_headers):
    tenant, _ = library
    res = client.put(f"/api/tenants/{tenant['slug']}/workflow", data="preset=open",
                     headers={**cs(admin_headers), "Content-Type": "text/plain"})
    assert res.status_code == 415
    assert res.json["message"] == "Pošlete tělo požadavku jako application/json."


def test_revoking_an_unknown_credential_is_a_404(client, library, admin_headers):
    tenant, _ = library
    for requestor in ("no-such-requestor", "x\x00"):
        res = client.delete(f"/api/tenants/{tenant['slug']}/sushi-credentials/{requestor}",
                            headers=cs(admin_headers))
        assert res.status_code in (400, 404), res.get_data(as_text=True)[:300]


@pytest.mark.parametrize("prices", [
    {"price_gb_month": "1e9"}, {"price_gb_month": "1e400"}, {"price_deposit": "123456789"},
    {"member_fee_year": "1e10"}, {"free_gb": "1e9"}, {"price_gb_month": "NaN"},
])
def test_tariff_prices_beyond_the_columns_are_a_400(client, admin_headers, prices):
    body = {"effective_from": "2031-01-01", "price_gb_month": "1.5", "price_deposit": "0",
            "member_fee_year": "1000", "vat_rate": "0.21", **prices}
    res = client.post("/api/billing/tariffs", headers=cs(admin_headers), json=body)
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["message"] == "Objevila se chyba validace."
    listed = client.get("/api/billing/tariffs", headers=admin_headers).json
    assert "2031-01-01" not in str(listed)


@pytest.mark.parametrize("quota", ["9" * 400, int("9" * 400), "１０ GB", "10 GB\n",
                                   10**19, "1e400", -1])
def test_quotas_beyond_an_exabyte_or_in_other_digits_are_a_400(client, library, admin_headers,
                                                              quota):
    tenant, _ = library
    res = client.put(f"/api/tenants/{tenant['slug']}", headers=en(admin_headers),
                     json={**tenant_payload(tenant["slug"]), "storage": {"quota": quota}})
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["message"] == "A validation error occurred."


def test_a_quota_in_ascii_digits_still_works(client, library, admin_headers):
    tenant, _ = library
    res = client.put(f"/api/tenants/{tenant['slug']}", headers=admin_headers,
                     json={**tenant_payload(tenant["slug"]), "storage": {"quota": "2 GB"}})
    assert res.status_code == 200, res.json
    assert res.json["storage"]["quota"] == 2 * 10**9


@pytest.mark.parametrize("period", ["２０２６-11", "2026-11\n", "9999-13", "10000-01",
                                    "2026-1", "2026-Q5", "x\x00"])
def test_statement_periods_in_other_shapes_are_a_400_and_store_nothing(
        client, library, admin_headers, period):
    tenant, _ = library
    before = statement_count(tenant["slug"])
    res = client.get(f"/api/tenants/{tenant['slug']}/statements",
                     query_string={"period": period}, headers=cs(admin_headers))
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    if "\x00" in period:
        assert res.json["message"] == "Požadavek obsahuje znak NUL."
    else:
        assert res.json["message"] == "Objevila se chyba validace."
        assert res.json["errors"][0]["messages"] == [
            "Zadejte měsíc (2026-11), čtvrtletí (2026-Q4) nebo rok (2026)."]
    assert statement_count(tenant["slug"]) == before


@pytest.mark.parametrize("months", [{"from": "9999-12", "to": "9999-12"},
                                    {"from": "２０２６-01", "to": "2026-02"},
                                    {"from": "0000-01", "to": "2026-01"}])
def test_months_out_of_range_are_a_400_on_stats_api_and_pages(client, library, admin_headers,
                                                              months):
    tenant, people = library
    res = client.get(f"/api/tenants/{tenant['slug']}/stats", query_string=months,
                     headers=cs(people["managers"]))
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["message"] == "Objevila se chyba validace."
    assert res.json["errors"]["from"] == ["Očekává se měsíc ve tvaru RRRR-MM."]
    for page in (f"/libraries/{tenant['slug']}/stats", "/stats"):
        res = client.get(page, query_string=months)
        assert res.status_code < 500, (page, res.status_code)


@pytest.mark.parametrize("params,code", [
    ({"requestor_id": "x\x00", "customer_id": "mzk", "api_key": "k"}, 2000),
    ({"requestor_id": "x", "customer_id": "mzk\x00", "api_key": "k"}, 2000),
    ({"requestor_id": "x", "customer_id": "mzk", "api_key": "k\x00"}, 2000),
])
def test_sushi_nul_bytes_are_counter_exceptions(client, params, code):
    res = client.get(f"{SUSHI}/reports", query_string=params)
    assert res.status_code == 401, res.get_data(as_text=True)[:300]
    assert res.json["Code"] == code


def test_sushi_customer_with_nul_and_dates_out_of_range(client, library, admin_headers):
    tenant, people = library
    res = client.post(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                      headers=admin_headers, json={"label": "hostile"})
    assert res.status_code == 201, res.json
    creds = {"requestor_id": res.json["requestor_id"], "api_key": res.json["api_key"]}
    res = client.get(f"{SUSHI}/reports", query_string={**creds, "customer_id": "mzk\x00"})
    assert res.status_code == 403 and res.json["Code"] == 2010
    for dates in ({"begin_date": "2026-01", "end_date": "9999-12"},
                  {"begin_date": "２０２６-01", "end_date": "2026-02"},
                  {"begin_date": "2026-01-01\n", "end_date": "2026-02"},
                  {"begin_date": "0000-01", "end_date": "2026-02"}):
        res = client.get(f"{SUSHI}/reports/pr", query_string={
            **creds, "customer_id": tenant["slug"], **dates})
        assert res.status_code < 500, (dates, res.get_data(as_text=True)[:300])
        assert res.status_code == 400 and res.json["Code"] == 3020, (dates, res.json)
    res = client.get(f"{SUSHI}/reports/ir", query_string={
        **creds, "customer_id": tenant["slug"], "begin_date": "2025-01", "end_date": "2025-02",
        "item_id": "x\x00", "yop": "²⁰²⁰|2020"})
    assert res.status_code == 200, res.get_data(as_text=True)[:300]


@pytest.mark.parametrize("account", [
    {"repository_id": "CZ MZK REPO"}, {"repository_id": "CZ.MZK\n"},
    {"repository_id": "<script>"}, {"prefix": "10.12345\n"}, {"prefix": "10.１２３４５"},
])
def test_datacite_account_in_other_shapes_is_a_400(client, library, admin_headers, account):
    tenant, _ = library
    body = {"prefix": "10.12345", "repository_id": "CZ.MZK", "password": "secret", **account}
    res = client.put(f"/api/tenants/{tenant['slug']}/datacite", headers=cs(admin_headers),
                     json=body)
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert res.json["message"] == "Objevila se chyba validace."
    field = next(iter(account))
    messages = {e["field"]: e["messages"] for e in res.json["errors"]}
    assert messages[field][0] in ("Prefix DataCite má tvar 10.12345.",
                                  "ID repozitáře v DataCite má tvar CZ.MZK.")
    stored = client.get(f"/api/tenants/{tenant['slug']}/datacite", headers=admin_headers).json
    assert stored.get(field) != account[field]


def test_api_messages_follow_accept_language(client, library):
    tenant, people = library
    res = client.get("/api/tenants/no-such-library", headers=cs(people["managers"]))
    assert res.status_code == 404
    assert res.json["message"] == "Členská knihovna se zkratkou „no-such-library“ neexistuje."
    res = client.put(f"/api/tenants/{tenant['slug']}/datacite", headers=cs(people["depositors"]),
                     json={"prefix": "10.12345"})
    assert res.status_code == 403
    assert res.json["message"] == "S touto členskou knihovnou to dělat nesmíte."
    res = client.get(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                     headers=cs(people["depositors"]))
    assert res.status_code == 403 and res.json["message"] == "Přístup odepřen."
    res = client.get(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                     headers=en(people["depositors"]))
    assert res.status_code == 403 and res.json["message"] == "Permission denied."


def test_signup_without_its_optional_profile_fields_is_no_500(app):
    from invenio_accounts.models import User

    client = app.test_client()
    email = "no-affiliation@hostile.example"
    res = client.post("/signup/", data={
        "email": email, "password": "Heslo-123456", "password_confirm": "Heslo-123456",
        "profile.username": "noaffiliation", "profile.full_name": "Bez Afiliace"})
    assert res.status_code < 500, res.get_data(as_text=True)[:500]
    assert User.query.filter_by(email=email).one_or_none() is not None


def _field_messages(res, field):
    return [m for e in res.json.get("errors", []) if e["field"] == field for m in e["messages"]]


@pytest.mark.parametrize("value", ["١٢", "1_0", " 12", "１２", "12\n", "+-1"])
def test_numbers_in_other_digits_or_shapes_are_a_400(client, library, admin_headers, value):
    tenant, _ = library
    res = client.put(f"/api/tenants/{tenant['slug']}", headers=en(admin_headers),
                     json={**tenant_payload(tenant["slug"]), "storage": {"max_files": value}})
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert _field_messages(res, "storage.max_files") == ["Not a valid integer."]
    res = client.post("/api/billing/tariffs", headers=cs(admin_headers), json={
        "effective_from": "2032-01-01", "price_gb_month": value, "price_deposit": "0",
        "member_fee_year": "1000", "vat_rate": "0.21"})
    assert res.status_code == 400, res.get_data(as_text=True)[:300]
    assert _field_messages(res, "price_gb_month") == ["Není to platné číslo."]
    assert "2032-01-01" not in str(client.get("/api/billing/tariffs", headers=admin_headers).json)
    res = client.put(f"/api/tenants/{tenant['slug']}", headers=en(admin_headers),
                     json={**tenant_payload(tenant["slug"]), "storage": {"max_files": "12"}})
    assert res.status_code == 200 and res.json["storage"]["max_files"] == 12


def test_bounds_and_lengths_are_told_in_the_request_language(client, library, admin_headers):
    tenant, _ = library
    for language, bounds, length in (
        ("en", "Must be greater than or equal to 1 and less than or equal to 100,000.",
         "Length must be between 1 and 255."),
        ("cs", "Musí být od 1 do 100\xa0000.", "Délka musí být od 1 do 255."),
    ):
        headers = {**admin_headers, "Accept-Language": language}
        res = client.put(f"/api/tenants/{tenant['slug']}", headers=headers,
                         json={**tenant_payload(tenant["slug"]), "storage": {"max_files": 0}})
        assert res.status_code == 400
        assert _field_messages(res, "storage.max_files") == [bounds]
        res = client.put(f"/api/tenants/{tenant['slug']}/datacite", headers=headers, json={
            "prefix": "10.12345", "repository_id": "CZ.HOSTILE", "password": "x" * 256})
        assert res.status_code == 400
        assert _field_messages(res, "password") == [length]
