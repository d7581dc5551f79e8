"""`invenio platform demo` (the last step of `make run`) on the test instance.

Run as a process of its own, as `make run` runs it: no request context, a
fresh instance (the demo libraries do not exist yet).
"""

import html
import json
import re

from helpers import browser_of, run_cli


def queue_community(slug):
    from consortium_tenants.tenants.models import TenantModel

    return TenantModel.query.filter_by(slug=slug).one().community_id


def test_demo_from_a_shell_fills_an_empty_instance_once(app, client, admin_headers):
    from invenio_accounts.proxies import current_datastore
    from invenio_rdm_records.proxies import current_rdm_records_service

    assert client.get("/api/tenants/mzk").status_code == 404  # an empty instance
    result = run_cli("platform", "demo")
    assert result.returncode == 0, result.stdout + result.stderr
    # Demo accounts are created confirmed (they could not log in otherwise).
    for email in ("manager@mzk.example", "researcher@svkos.example", "curator@vkol.example"):
        assert current_datastore.find_user(email=email).confirmed_at, email
    current_rdm_records_service.indexer.refresh()
    from invenio_requests.proxies import current_requests_service

    current_requests_service.indexer.refresh()
    presets = {"mzk": "mediated", "svkos": "open", "vkol": "closed"}
    assert client.get("/api/tenants/mzk/kramerius").json["base_url"] == \
        "https://www.digitalniknihovna.cz/mzk"
    oa = client.get("/api/tenants/mzk/oa-policy").json  # tenants.yaml `oa_policy:`
    assert oa["based_on"] == "czech-national" and oa["policy"]["severity"] == "error"
    for slug, preset in presets.items():
        assert client.get(f"/api/tenants/{slug}/workflow").json["preset"] == preset
        queue = client.get(f"/api/tenants/{slug}/submissions", headers=admin_headers).json
        pending = 1 if preset == "mediated" else 0  # one deposit waits for MZK's curators
        assert queue["counts"]["submitted"] == pending, (slug, queue["counts"])
        assert queue["counts"]["accepted"] == 3, (slug, queue["counts"])
        storage = client.get(f"/api/tenants/{slug}/usage", headers=admin_headers).json["storage"]
        assert storage["files"] == 2 + 8 + pending and storage["bytes"] > 0, (slug, storage)
        assert storage["location"].endswith(f"/tenants/{slug}")
        res = client.get(f"/oai2d/{slug}?verb=ListIdentifiers&metadataPrefix=oai_dc")
        assert res.status_code == 200
        assert res.get_data(as_text=True).count("<header>") == 3
        # each demo library mints under its own test prefix (tenants.yaml `datacite:`)
        prefix = {"mzk": "10.83001", "svkos": "10.83002", "vkol": "10.83003"}[slug]
        hits = client.get(f"/api/records?q=parent.communities.ids:{queue_community(slug)}",
                          headers={"Accept": "application/json"}).json["hits"]["hits"]
        assert sorted(h["pids"]["doi"]["identifier"].split("/")[0] for h in hits) == \
            [prefix] * 3, slug
        # the digitised work: its eight page scans in a IIIF manifest, in page order
        scans = [h for h in hits if h["metadata"]["resource_type"]["id"] == "publication-book"]
        manifest = client.get(f"/api/iiif/3/record:{scans[0]['id']}/manifest").json
        assert [c["label"]["none"][0] for c in manifest["items"]] == \
            [f"strana-{n:03}.png" for n in range(1, 9)], slug
        # MZK set its Kramerius (tenants.yaml `kramerius:`): its digitised work links there
        uuid = "uuid:ba4934d1-0a1e-4a01-a89d-c948477ca833"
        page = client.get(f"/records/{scans[0]['id']}", base_url=f"http://{slug}.localhost"
                          ).get_data(as_text=True)
        link = f'href="https://www.digitalniknihovna.cz/mzk/uuid/{uuid}"'
        assert (link in page) == (slug == "mzk"), slug
    # The curators' request page names the depositor (not "Anonymous user").
    from invenio_users_resources.proxies import current_users_service

    current_users_service.indexer.refresh()
    pending = client.get("/api/tenants/mzk/submissions", headers=admin_headers).json
    request_id = pending["hits"]["hits"][0]["id"]
    curator = browser_of(app, current_datastore.find_user(email="curator@mzk.example"),
                         password="demo-Heslo-2026")
    page = curator.get(f"/communities/mzk/requests/{request_id}").get_data(as_text=True)
    shown = json.loads(html.unescape(re.search(r"data-record='([^']*)'", page).group(1)))
    depositor = shown["expanded"]["created_by"]
    assert (depositor["username"], depositor["profile"]["full_name"]) == \
        ("researcher-mzk", "Researcher MZK")
    # idempotent: a second run adds nothing
    again = run_cli("platform", "demo")
    assert again.returncode == 0, again.stdout + again.stderr
    storage = client.get("/api/tenants/mzk/usage", headers=admin_headers).json["storage"]
    assert storage["files"] == 11
