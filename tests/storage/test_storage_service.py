"""Storage is an invenio-records-resources service (issue 32 §4): who reads a library's
usage is decided by the instance's one permission policy from config; its usage keeps the
bytes reserved for uploads in progress apart from the bytes stored (the quota counts both,
bills the stored ones); what a file is declared as goes through its schema first."""

from helpers import browser_of, new_draft, upload

MiB = 2**20


def test_who_reads_storage_is_decided_by_the_policy_from_config(app, configure, make_tenant):
    from consortium_tenants.tenants.permissions import TenantPermissionPolicy

    class CuratorsReadUsage(TenantPermissionPolicy):
        can_read_usage = TenantPermissionPolicy.curators

    tenant, people = make_tenant("stpol")
    _, other_people = make_tenant("stpolo")
    url = f"/libraries/{tenant['slug']}/storage"
    curator = browser_of(app, people["curators_user"])
    stranger = browser_of(app, other_people["curators_user"])
    assert curator.get(url).status_code == 403
    configure(CONSORTIUM_TENANTS_PERMISSION_POLICY=CuratorsReadUsage)
    assert curator.get(url).status_code == 200
    assert stranger.get(url).status_code == 403
    assert browser_of(app, people["depositors_user"]).get(url).status_code == 403


def test_the_storage_page_shows_stored_and_reserved_bytes_apart(app, client, make_tenant):
    tenant, people = make_tenant("stres")
    slug, depositor = tenant["slug"], people["depositors"]
    draft = new_draft(client, depositor)
    assert upload(client, depositor, draft["id"], "small.txt", b"s" * 1500).status_code == 200
    size = 6 * MiB
    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=depositor, json=[
        {"key": "big.tif", "size": size,
         "transfer": {"type": "M", "parts": 2, "part_size": 5 * MiB}}])
    assert res.status_code == 201, res.json
    manager = browser_of(app, people["managers_user"])
    for language, stored, reserved in (("en", "Stored", "Reserved for uploads in progress"),
                                       ("cs", "Uloženo",
                                        "Rezervováno pro rozpracovaná nahrávání")):
        html = manager.get(f"/libraries/{slug}/storage",
                           headers={"Accept-Language": language}).get_data(as_text=True)
        assert f'<tr><td>{stored}</td><td class="storage-stored" data-bytes="1500">' in html
        assert (f'<tr><td>{reserved}</td><td class="storage-reserved" '
                f'data-bytes="{size}">') in html
    usage = client.get(f"/api/tenants/{slug}/usage",
                       headers=people["managers"]).json["storage"]
    assert (usage["bytes"], usage["stored"], usage["reserved"]) == (size + 1500, 1500, size)
    # a shape S3 could not assemble is refused by the declaration's schema, nothing reserved
    res = client.post(f"/api/records/{draft['id']}/draft/files", headers=depositor, json=[
        {"key": "odd.tif", "size": size,
         "transfer": {"type": "M", "parts": 3, "part_size": 5 * MiB}}])
    assert res.status_code == 400 and res.json["reason"] == "parts", res.json
    usage = client.get(f"/api/tenants/{slug}/usage",
                       headers=people["managers"]).json["storage"]
    assert usage["reserved"] == size
