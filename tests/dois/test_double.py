"""The DataCite REST API test double answers as DataCite does."""

import pytest
import requests

VALID = {
    "creators": [{"name": "Nováková, Jana", "nameType": "Personal"}],
    "titles": [{"title": "Sborník"}],
    "publisher": {"name": "Knihovna"},
    "publicationYear": "2026",
    "types": {"resourceTypeGeneral": "Text", "resourceType": "Article"},
    "schemaVersion": "http://datacite.org/schema/kernel-4",
}


@pytest.fixture(scope="module")
def api(datacite):
    datacite.add_account("TEST.ONE", "secret-1", "10.90001")
    datacite.add_account("TEST.TWO", "secret-2", "10.90002")

    def call(method, path, account=("TEST.ONE", "secret-1"), **attributes):
        body = {"data": {"type": "dois", "attributes": attributes}} if attributes else None
        return requests.request(method, datacite.url + path.lstrip("/"), auth=account,
                                json=body, timeout=5)

    return call


def test_without_or_with_wrong_credentials_is_401(api):
    assert api("GET", "/dois/10.90001/x", account=None).status_code == 401
    res = api("POST", "/dois", account=("TEST.ONE", "wrong"), doi="10.90001/a", **VALID)
    assert res.status_code == 401
    assert res.json()["errors"][0]["title"] == "Bad credentials."


def test_findable_doi_is_created_read_hidden_and_not_deleted(api, datacite):
    res = api("POST", "/dois", doi="10.90001/abc", event="publish", url="https://x.example/1",
              **VALID)
    assert res.status_code == 201
    assert res.json()["data"]["attributes"]["state"] == "findable"
    res = api("GET", "/dois/10.90001/abc")
    assert res.status_code == 200
    assert res.json()["data"]["attributes"]["titles"] == [{"title": "Sborník"}]
    res = api("PUT", "/dois/10.90001/abc", event="hide")
    assert (res.status_code, res.json()["data"]["attributes"]["state"]) == (200, "registered")
    assert api("DELETE", "/dois/10.90001/abc").status_code == 405
    assert datacite.doi("10.90001/abc")[0] == "TEST.ONE"


def test_invalid_payload_is_422_with_the_schema_field(api, datacite):
    invalid = {**VALID, "publicationYear": 2026}
    del invalid["titles"]
    res = api("POST", "/dois", doi="10.90001/bad", event="publish", **invalid)
    assert res.status_code == 422
    sources = sorted(e["source"] for e in res.json()["errors"])
    assert sources == ["attributes", "publicationYear"]
    assert datacite.doi("10.90001/bad") == (None, None)
    taken = api("POST", "/dois", doi="10.90001/dup", event="publish", **VALID)
    assert taken.status_code == 201
    again = api("POST", "/dois", doi="10.90001/dup", event="publish", **VALID)
    assert again.status_code == 422


def test_draft_doi_needs_no_metadata_and_can_be_deleted(api):
    res = api("POST", "/dois", doi="10.90001/draft")
    assert (res.status_code, res.json()["data"]["attributes"]["state"]) == (201, "draft")
    assert api("DELETE", "/dois/10.90001/draft").status_code == 204
    assert api("GET", "/dois/10.90001/draft").status_code == 404


def test_accounts_keep_their_own_prefixes_and_dois(api):
    res = api("POST", "/dois", account=("TEST.TWO", "secret-2"), doi="10.90001/z",
              event="publish", **VALID)
    assert res.status_code == 403
    api("POST", "/dois", doi="10.90001/own", event="publish", **VALID)
    assert api("GET", "/dois/10.90001/own", account=("TEST.TWO", "secret-2")).status_code == 404
    assert api("PUT", "/dois/10.90001/own", account=("TEST.TWO", "secret-2"),
               event="hide").status_code == 404


def test_outage_answers_the_configured_status(api, datacite):
    datacite.fail_with = 503
    try:
        assert api("GET", "/dois/10.90001/own").status_code == 503
    finally:
        datacite.fail_with = None
    assert api("GET", "/dois/10.90001/own").status_code == 200


def test_put_creates_a_missing_doi_of_the_accounts_prefix(api, datacite):
    res = api("PUT", "/dois/10.90001/put-new", event="publish", **VALID)
    assert (res.status_code, res.json()["data"]["attributes"]["state"]) == (201, "findable")
    assert api("PUT", "/dois/10.90002/put-new", event="publish", **VALID).status_code == 403
    assert datacite.doi("10.90002/put-new") == (None, None)


def test_the_double_is_not_in_the_runtime_package_and_production_cannot_reach_it(
        monkeypatch):
    """It lives in scripts/ (not in the package, not in the image: docker's ignore list);
    invenio.cfg points at DataCite whatever DATACITE_PORT says."""
    import importlib.util
    import runpy

    from helpers import ROOT

    assert importlib.util.find_spec("consortium_tenants.dois.double") is None
    assert not list((ROOT / "site").rglob("*double*.py"))
    ignore = (ROOT / "docker" / "Dockerfile.dockerignore").read_text().split()
    assert "!scripts/" not in ignore and "!tests/" not in ignore
    monkeypatch.setenv("DATACITE_PORT", "5103")
    config = runpy.run_path(str(ROOT / "invenio.cfg"))
    assert "CONSORTIUM_DATACITE_URLS" not in config  # the module's default: DataCite's own


def test_make_run_points_the_platform_at_the_double(tmp_path):
    """scripts/env.sh (make run, not production) sends the local platform's DOIs to the
    double that scripts/app.sh starts from scripts/datacite_double.py."""
    import subprocess

    from helpers import ROOT

    out = subprocess.run(
        ["bash", "-c", 'source scripts/env.sh >/dev/null 2>&1; '
                       'echo "$INVENIO_CONSORTIUM_DATACITE_URLS"'],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={"PATH": "/usr/bin:/bin", "LOCAL_DIR": str(tmp_path), "DATACITE_PORT": "5999",
             "HOME": str(tmp_path)}).stdout.strip()
    assert out == "{'test': 'http://127.0.0.1:5999/', 'production': 'http://127.0.0.1:5999/'}"
    assert (tmp_path / "datacite-keys").read_text().strip()  # generated once per machine
    assert "scripts/datacite_double.py" in (ROOT / "scripts" / "app.sh").read_text()
