"""`invenio platform demo` (the last step of `make run`) on the test instance."""

from helpers import invoke_cli


def test_demo_libraries_get_charged_records_and_oai_sets(app, client, admin_headers):
    from invenio_rdm_records.proxies import current_rdm_records_service

    result = invoke_cli(app, ["platform", "demo"])
    assert result.exit_code == 0, result.output
    current_rdm_records_service.indexer.refresh()
    from invenio_requests.proxies import current_requests_service

    current_requests_service.indexer.refresh()
    presets = {"mzk": "mediated", "svkos": "open", "vkol": "closed"}
    for slug, preset in presets.items():
        assert client.get(f"/api/tenants/{slug}/workflow").json["preset"] == preset
        queue = client.get(f"/api/tenants/{slug}/submissions", headers=admin_headers).json
        pending = 1 if preset == "mediated" else 0  # one deposit waits for MZK's curators
        assert queue["counts"]["submitted"] == pending, (slug, queue["counts"])
        assert queue["counts"]["accepted"] == 2, (slug, queue["counts"])
        storage = client.get(f"/api/tenants/{slug}/usage", headers=admin_headers).json["storage"]
        assert storage["files"] == 2 + pending and storage["bytes"] > 0, (slug, storage)
        assert storage["location"].endswith(f"/tenants/{slug}")
        res = client.get(f"/oai2d/{slug}?verb=ListIdentifiers&metadataPrefix=oai_dc")
        assert res.status_code == 200
        assert res.get_data(as_text=True).count("<header>") == 2
    # idempotent: a second run adds nothing
    assert invoke_cli(app, ["platform", "demo"]).exit_code == 0
    storage = client.get("/api/tenants/mzk/usage", headers=admin_headers).json["storage"]
    assert storage["files"] == 3
