"""Billing is an invenio-records-resources service (issue 32 §4): its permission policy is
the instance's one policy from config (CONSORTIUM_TENANTS_PERMISSION_POLICY), and each
write is a unit of work (a refused one leaves nothing)."""


def test_who_reads_statements_is_decided_by_the_policy_from_config(client, configure,
                                                                   make_tenant):
    from consortium_tenants.tenants.permissions import TenantPermissionPolicy

    class CuratorsReadStatements(TenantPermissionPolicy):
        can_read_statements = TenantPermissionPolicy.curators

    tenant, people = make_tenant("pol")
    other, other_people = make_tenant("polo")
    query = {"period": "2026-11"}
    paths = [f"/api/tenants/{tenant['slug']}/{kind}" for kind in ("statements", "snapshots")]
    for path in paths:
        assert client.get(path, headers=people["curators"], query_string=query).status_code == 403
    configure(CONSORTIUM_TENANTS_PERMISSION_POLICY=CuratorsReadStatements)
    for path in paths:
        res = client.get(path, headers=people["curators"], query_string=query)
        assert res.status_code == 200, (path, res.json)
        assert res.json["period"] == "2026-11"
        assert client.get(path, headers=other_people["curators"],
                          query_string=query).status_code == 403
        assert client.get(path, headers=people["depositors"],
                          query_string=query).status_code == 403


def test_a_refused_tariff_change_leaves_nothing(client, admin_headers):
    """A tariff the schema refuses, and one deleted that does not exist: 4xx, nothing
    written (the unit of work is rolled back), the list as before."""
    before = client.get("/api/billing/tariffs", headers=admin_headers).json["hits"]
    res = client.post("/api/billing/tariffs", headers=admin_headers, json={
        "effective_from": "2031-01-01", "price_gb_month": "-1", "price_deposit": "5",
        "member_fee_year": "1200", "vat_rate": "0.21"})
    assert res.status_code == 400, res.json
    assert [e["field"] for e in res.json["errors"]] == ["price_gb_month"]
    res = client.delete("/api/billing/tariffs/2031-02-01", headers=admin_headers)
    assert res.status_code == 404, res.json
    assert client.get("/api/billing/tariffs", headers=admin_headers).json["hits"] == before
