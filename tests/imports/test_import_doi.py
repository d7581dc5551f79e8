"""A DOI policy per import run (issue 28): the manager chooses at the start (CLI, REST, the
page) to keep the source's DOIs (external DOIs), register new ones under the library's
prefix (over the DataCite test double) or none; the choice is kept with the run; `new` is
refused at its field in the request's language where the library has no DOI prefix."""

import re

import pytest

from helpers import browser_of, invoke_cli
from oai_source import Source, item

OLD_DOI = "10.5555/nusl.2019.42"


@pytest.fixture()
def source():
    server = Source([item(1, "Dílo s DOI"), item(2, "Dílo bez DOI")], flavor="invenio")
    server.items[next(iter(sorted(server.items)))]["doi"] = OLD_DOI
    yield server
    server.stop()


def import_with(app, people, slug, url, *args):
    result = invoke_cli(app, ["tenants", "import", "oai", slug, url, "--format", "marcxml",
                              "--bypass-review", *args, "--as", people["managers_user"].email])
    return result


def works(client, people, slug, run_id):
    """source number → the published work (JSON) of a run's items."""
    items = client.get(f"/api/tenants/{slug}/imports/{run_id}/items",
                       headers=people["managers"]).json["items"]
    return {i["source_id"].rsplit("/", 1)[1]: client.get(f"/api/records/{i['record']}").json
            for i in items if i["record"]}


def run_of(output):
    return output.split("Run ", 1)[1].split(":", 1)[0]


def test_each_doi_policy_gives_the_works_their_dois(app, make_tenant, admin_headers,
                                                    datacite, source):
    client = app.test_client()
    found = {}
    for number, policy in enumerate(("keep", "new", "none"), 1):
        prefix, account = f"10.7003{number}", f"CZ.IMP{number}.REPO"
        datacite.add_account(account, "pw-imp", prefix)
        tenant, people = make_tenant(f"imp-doi-{policy}")
        slug = tenant["slug"]
        res = client.put(f"/api/tenants/{slug}/datacite", headers=admin_headers, json={
            "prefix": prefix, "repository_id": account, "password": "pw-imp"})
        assert res.status_code == 200, res.json
        result = import_with(app, people, slug, source.url, "--doi", policy)
        assert result.exit_code == 0, result.output
        assert "created 2, updated 0, unchanged 0, deleted 0, failed 0" in result.output
        run_id = run_of(result.output)
        run = client.get(f"/api/tenants/{slug}/imports/{run_id}",
                         headers=people["managers"]).json
        assert run["options"]["doi_policy"] == policy  # kept with the run
        found[policy] = works(client, people, slug, run_id)
        page = browser_of(app, people["managers_user"]).get(
            f"/libraries/{slug}/imports/{run_id}", headers={"Accept-Language": "cs"})
        assert f'data-policy="{policy}"' in page.get_data(as_text=True)

    keep, new, none = found["keep"], found["new"], found["none"]
    assert keep["1"]["pids"]["doi"] == {"identifier": OLD_DOI, "provider": "external"}
    assert "doi" not in keep["2"]["pids"]  # nothing to keep: no DOI
    for number in ("1", "2"):
        doi = new[number]["pids"]["doi"]
        assert doi["provider"] == "datacite" and doi["identifier"].startswith("10.70032/")
        assert datacite.doi(doi["identifier"])[0] == "CZ.IMP2.REPO"
        assert "doi" not in none[number]["pids"]
    # the old DOI stays among the alternate identifiers whatever the policy
    for chosen in (keep, new, none):
        assert {"identifier": OLD_DOI, "scheme": "doi"} in chosen["1"]["metadata"][
            "identifiers"]


@pytest.mark.parametrize("language, text", [("cs", "Knihovna nemá prefix DOI"),
                                            ("en", "The library has no DOI prefix")])
def test_new_dois_are_refused_at_their_field_where_the_library_has_no_prefix(
        app, make_tenant, configure, source, language, text):
    configure(CONSORTIUM_IMPORT_PRIVATE_SOURCES=True)
    tenant, people = make_tenant("imp-doi-none")
    slug, client = tenant["slug"], app.test_client()
    headers = {**people["managers"], "Accept-Language": language}
    res = client.post(f"/api/tenants/{slug}/imports", headers=headers, json={
        "url": source.url, "metadata_prefix": "marcxml", "doi_policy": "new"})
    assert res.status_code == 400, res.json
    assert "doi_policy" in str(res.json) and text in str(res.json), res.json
    for hostile in ("mint", "NEW", "new\n", "x\x00", "", ["new"], {"new": 1}, 1,
                    "ř" * 300):
        res = client.post(f"/api/tenants/{slug}/imports", headers=headers, json={
            "url": source.url, "metadata_prefix": "marcxml", "doi_policy": hostile})
        assert res.status_code == 400, (hostile, res.status_code)
    browser = browser_of(app, people["managers_user"])
    res = browser.post(f"/libraries/{slug}/imports", headers={"Accept-Language": language},
                       data={"url": source.url, "metadata_prefix": "marcxml",
                             "doi_policy": "new"})
    html = res.get_data(as_text=True)
    assert res.status_code == 400
    assert re.search(r'id="error-doi_policy" role="alert">[^<]*' + re.escape(text), html), html
    assert client.get(f"/api/tenants/{slug}/imports", headers=headers).json["runs"] == []
    result = import_with(app, people, slug, source.url, "--doi", "new")
    assert result.exit_code == 1 and "no DOI prefix" in result.output
    # the page offers the choice, starting at none here
    html = browser.get(f"/libraries/{slug}/imports").get_data(as_text=True)
    assert re.search(r'<option value="none" selected>', html), html
    # without a choice the run imports without DOIs
    res = client.post(f"/api/tenants/{slug}/imports", headers=headers, json={
        "url": source.url, "metadata_prefix": "marcxml", "dry_run": True})
    assert res.status_code == 202 and res.json["options"]["doi_policy"] == "none"
