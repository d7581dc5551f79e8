"""A library's DataCite account: set by consortium administrators, read by its managers."""

import pytest

from helpers import invoke_cli

ACCOUNT = {"prefix": "10.80001", "repository_id": "CZ.ACC.REPO", "password": "Heslo-datacite-1",
           "test_mode": True, "enabled": True}


@pytest.fixture(scope="module")
def libraries(make_tenant):
    return make_tenant("acc-a"), make_tenant("acc-b")


def test_admin_sets_the_account_and_never_gets_the_password_back(app, libraries, admin_headers):
    from consortium_tenants.dois import crypto
    from consortium_tenants.dois.models import DataCiteAccountModel
    from consortium_tenants.tenants.models import TenantModel

    (a, _), _b = libraries
    client = app.test_client()
    res = client.put(f"/api/tenants/{a['slug']}/datacite", headers=admin_headers, json=ACCOUNT)
    assert res.status_code == 200, res.json
    assert res.json == {"library": a["slug"], "status": "enabled", "prefix": "10.80001",
                        "repository_id": "CZ.ACC.REPO", "test_mode": True, "enabled": True,
                        "last_error": None}
    assert "Heslo-datacite-1" not in client.get(
        f"/api/tenants/{a['slug']}/datacite", headers=admin_headers).get_data(as_text=True)
    row = DataCiteAccountModel.query.get(TenantModel.query.filter_by(slug=a["slug"]).one().id)
    assert b"Heslo-datacite-1" not in bytes(row.password)
    assert crypto.decrypt(row.password) == "Heslo-datacite-1"
    # the password may be left out when the account exists: it stays
    without_password = {k: v for k, v in ACCOUNT.items() if k != "password"}
    res = client.put(f"/api/tenants/{a['slug']}/datacite", headers=admin_headers,
                     json={**without_password, "test_mode": False})
    assert (res.status_code, res.json["test_mode"]) == (200, False)
    assert crypto.decrypt(DataCiteAccountModel.query.get(row.tenant_id).password) == \
        "Heslo-datacite-1"


def test_bad_input_is_400_with_field_messages(app, libraries, admin_headers):
    (_a, _), (b, _) = libraries
    client = app.test_client()
    res = client.put(f"/api/tenants/{b['slug']}/datacite", headers=admin_headers,
                     json={"prefix": "11.1", "repository_id": ""})
    assert res.status_code == 400
    fields = {e["field"]: e["messages"] for e in res.json["errors"]}
    assert fields["prefix"] == ["A DataCite prefix looks like 10.12345."]
    assert set(fields) == {"prefix", "repository_id", "password"}  # every field at once
    res = client.put(f"/api/tenants/{b['slug']}/datacite", headers=admin_headers,
                     json={"prefix": "10.80002", "repository_id": "CZ.B"})
    assert res.status_code == 400
    assert res.json["errors"] == [{"field": "password",
                                   "messages": ["Missing data for required field."]}]
    assert client.put("/api/tenants/no-such-lib/datacite", headers=admin_headers,
                      json=ACCOUNT).status_code == 404


def test_managers_see_prefix_and_status_only_and_nobody_else_sees_anything(
        app, libraries, admin_headers):
    (a, a_people), (b, b_people) = libraries
    client = app.test_client()
    client.put(f"/api/tenants/{a['slug']}/datacite", headers=admin_headers, json=ACCOUNT)
    res = client.get(f"/api/tenants/{a['slug']}/datacite", headers=a_people["managers"])
    assert res.status_code == 200
    assert res.json == {"library": a["slug"], "status": "enabled", "prefix": "10.80001"}
    url = f"/api/tenants/{a['slug']}/datacite"
    for headers in (b_people["managers"], a_people["curators"], a_people["depositors"],
                    {"Accept": "application/json"}):
        assert client.get(url, headers=headers).status_code == 403
    for headers in (a_people["managers"], b_people["managers"]):
        assert client.put(url, headers=headers, json=ACCOUNT).status_code == 403
        assert client.delete(url, headers=headers).status_code == 403
        assert client.get(f"/api/tenants/{a['slug']}/dois/failed",
                          headers=b_people["managers"]).status_code == 403
    # a library without an account and no consortium account: no DOI
    res = client.get(f"/api/tenants/{b['slug']}/datacite", headers=b_people["managers"])
    assert res.json == {"library": b["slug"], "status": "none", "prefix": None}


def test_cli_sets_shows_and_refuses_bad_input(app, libraries):
    (_a, _), (b, _) = libraries
    res = invoke_cli(app, ["tenants", "datacite", "set", b["slug"], "--prefix", "10.80003",
                           "--repository-id", "CZ.B.REPO", "--password", "pw-b", "--production"])
    assert res.exit_code == 0, res.output
    res = invoke_cli(app, ["tenants", "datacite", "show", b["slug"]])
    assert res.exit_code == 0
    assert '"prefix": "10.80003"' in res.output and '"test_mode": false' in res.output
    assert "pw-b" not in res.output
    res = invoke_cli(app, ["tenants", "datacite", "set", b["slug"], "--prefix", "doi:10.1",
                           "--repository-id", "X", "--password", "p"])
    assert res.exit_code == 1
    assert "A DataCite prefix looks like 10.12345." in res.output
    res = invoke_cli(app, ["tenants", "datacite", "remove", b["slug"]])
    assert res.exit_code == 0 and '"status": "none"' in res.output
