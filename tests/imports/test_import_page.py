"""The library's import page (issue 28): its managers start a run from the form (a refused
field says why in the page's language, nothing starts), read each run's progress and its
items by state with their reasons, open an item, run a failed one again after a fix at
the source, stop a run; others get 403."""

import re

import pytest

from helpers import browser_of
from oai_source import Source, item

MISSING = {"name": "zprava.pdf", "content": b"%PDF-1.4 zprava", "status": 404}


@pytest.fixture()
def source():
    items = [item(n, f"Stránka {n}") for n in range(1, 4)]
    items.append(item(4, "Zpráva bez souboru", files=[MISSING]))
    server = Source(items, flavor="eprints")  # oai_dc with the documents' links
    yield server
    server.stop()


def page(browser, url, language="en", **kwargs):
    res = browser.get(url, headers={"Accept-Language": language}, **kwargs)
    return res.status_code, res.get_data(as_text=True)


def runs(client, people, slug):
    return client.get(f"/api/tenants/{slug}/imports", headers=people["managers"]).json["runs"]


@pytest.mark.parametrize("language, texts", [
    ("cs", ("Nevalidní URL.", "Zdrojem musí být veřejná adresa", "Import nebyl spuštěn")),
    ("en", ("Not a valid URL.", "must be a public address", "The import was not started")),
])
def test_a_refused_start_says_why_on_the_page_and_starts_nothing(app, make_tenant, language,
                                                                  texts):
    tenant, people = make_tenant("imp-page-400")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])
    headers = {"Accept-Language": language}
    for url, text in (("ftp://example.org/oai", texts[0]),
                      ("http://127.0.0.1:5432/oai", texts[1])):
        res = browser.post(f"/libraries/{slug}/imports", headers=headers,
                           data={"url": url, "set": "", "metadata_prefix": "oai_dc"})
        assert res.status_code == 400
        html = res.get_data(as_text=True)
        assert re.search(r'id="error-url" role="alert">[^<]*' + re.escape(text), html), html
        assert texts[2] in html and f'value="{url}"' in html  # what was typed stays
    res = browser.post(f"/libraries/{slug}/imports", headers=headers, data={
        "url": "https://example.org/oai", "metadata_prefix": "mets"})
    assert res.status_code == 400 and 'id="error-metadata_prefix"' in res.get_data(as_text=True)
    assert runs(app.test_client(), people, slug) == []


def test_a_manager_runs_an_import_from_the_page(app, make_tenant, source, configure):
    configure(CONSORTIUM_IMPORT_PRIVATE_SOURCES=True)  # the test source is on 127.0.0.1
    tenant, people = make_tenant("imp-page")
    slug = tenant["slug"]
    client = app.test_client()
    browser = browser_of(app, people["managers_user"])
    status, html = page(browser, f"/libraries/{slug}/imports", "cs")
    assert status == 200 and "Zatím neproběhl žádný import." in html
    assert 'data-page="imports"' in html  # the library's menu
    assert re.search(r'<input type="checkbox" id="dry_run" name="dry_run" checked>', html)

    # a dry run: the run's page, everything it would do, nothing written
    res = browser.post(f"/libraries/{slug}/imports", data={
        "url": source.url, "set": "", "metadata_prefix": "oai_dc", "dry_run": "on"})
    assert res.status_code == 302
    dry_id = res.headers["Location"].rsplit("/", 1)[1]
    status, html = page(browser, f"/libraries/{slug}/imports/{dry_id}", "cs")
    assert status == 200 and "Zkušební běh" in html
    assert re.search(r'data-status="finished">Dokončeno</span>:\s*<span class="import-count"'
                     r'[^>]*>zpracováno 4 z 4</span>', html), html
    assert html.count('data-state="created"') == 1 + 4  # the filter's link + 4 rows
    assert 'class="import-stop"' not in html  # it has ended
    assert runs(client, people, slug)[0]["counts"]["created"] == 4

    # the import: one item fails (its file is missing at the source)
    res = browser.post(f"/libraries/{slug}/imports", data={
        "url": source.url, "metadata_prefix": "oai_dc", "bypass_review": "on"})
    run_id = res.headers["Location"].rsplit("/", 1)[1]
    status, html = page(browser, f"/libraries/{slug}/imports", "en")
    assert f'href="/libraries/{slug}/imports/{run_id}"' in html
    counts = runs(client, people, slug)[0]
    assert "3 created, 0 updated, 0 unchanged, 0 deleted, 1 failed" in html, counts
    status, html = page(browser, f"/libraries/{slug}/imports/{run_id}", "en",
                        query_string={"state": "failed"})
    rows = re.findall(r'<tr data-source-id="([^"]+)" data-state="([a-z]+)">', html)
    assert rows == [("oai:dspace.example.cz:11222.digilib/4", "failed")]
    assert "zprava.pdf" in html and "404" in html  # the reason
    assert (f'href="/api/tenants/{slug}/imports/{run_id}/items?format=csv&amp;state=failed"'
            in html)
    item_url = f"/libraries/{slug}/imports/{run_id}/item"
    status, html = page(browser, item_url, "cs",
                        query_string={"id": "oai:dspace.example.cz:11222.digilib/4"})
    assert status == 200 and 'class="import-state">Selhalo' in html
    assert re.search(r'class="import-reason">zprava.pdf \(http://127.0.0.1:\d+/4/1/'
                     r'zprava.pdf\) could not be fetched: [^<]*404', html), html
    assert "Zpráva bez souboru" in html  # the original from the source
    assert "Zpracovat tuto položku znovu" in html

    # fixed at the source: the item alone runs again and is created
    source.items["oai:dspace.example.cz:11222.digilib/4"]["files"][0]["status"] = 200
    res = browser.post(f"/libraries/{slug}/imports/{run_id}/retry",
                       data={"id": "oai:dspace.example.cz:11222.digilib/4"})
    assert res.status_code == 303 and res.headers["Location"].endswith(
        "item?id=oai%3Adspace.example.cz%3A11222.digilib%2F4")
    status, html = page(browser, item_url, "en",
                        query_string={"id": "oai:dspace.example.cz:11222.digilib/4"})
    assert 'class="import-state">Created' in html and "Run this item again" not in html
    run = client.get(f"/api/tenants/{slug}/imports/{run_id}", headers=people["managers"]).json
    assert run["counts"] == {"created": 4, "updated": 0, "unchanged": 0, "deleted": 0,
                             "failed": 0}
    # a created item is not run again
    res = browser.post(f"/libraries/{slug}/imports/{run_id}/retry",
                       headers={"Accept-Language": "cs"},
                       data={"id": "oai:dspace.example.cz:11222.digilib/4"}, follow_redirects=True)
    assert "Znovu lze spustit jen neúspěšnou položku." in res.get_data(as_text=True)
    assert client.get(f"/api/tenants/{slug}/imports/{run_id}",
                      headers=people["managers"]).json["counts"]["created"] == 4

    # bad filters and unknown items are 4xx, never 5xx
    assert page(browser, f"/libraries/{slug}/imports/{run_id}",
                query_string={"state": "gone"})[0] == 400
    assert page(browser, item_url, query_string={"id": "nic"})[0] == 404
    assert page(browser, f"/libraries/{slug}/imports/nic")[0] == 404
    assert browser.post(f"/libraries/{slug}/imports/{run_id}/retry",
                        data={"id": "nic"}).status_code == 404

    for role in ("curators", "depositors"):
        other = browser_of(app, people[f"{role}_user"])
        assert page(other, f"/libraries/{slug}/imports")[0] == 403
        assert page(other, f"/libraries/{slug}/imports/{run_id}")[0] == 403
        assert other.post(f"/libraries/{slug}/imports/{run_id}/stop").status_code == 403


def test_a_manager_stops_a_running_run_from_its_page(app, make_tenant, source):
    from consortium_tenants.imports.service import person_identity
    from consortium_tenants.proxies import current_consortium

    tenant, people = make_tenant("imp-page-stop")
    slug = tenant["slug"]
    run = current_consortium.imports_service.start(
        person_identity(people["managers_user"].id), slug, source.url)  # not yet processed
    browser = browser_of(app, people["managers_user"])
    status, html = page(browser, f"/libraries/{slug}/imports/{run.id}", "cs")
    assert 'data-status="running">Probíhá' in html and "Zastavit běh" in html
    assert "consortium-import-progress.js" in html  # keeps the progress fresh
    res = browser.post(f"/libraries/{slug}/imports/{run.id}/stop",
                       headers={"Accept-Language": "cs"}, follow_redirects=True)
    assert "Běh se zastaví po právě zpracovávané položce." in res.get_data(as_text=True)
    assert app.test_client().get(f"/api/tenants/{slug}/imports/{run.id}",
                                 headers=people["managers"]).json["status"] == "stopping"


@pytest.mark.parametrize("language, texts", [
    ("cs", ("Položky 1–2 z 6", "Položky 5–6 z 6", "Položky 3–4 z 5", "Stránka 2 z 3",
            "Další stránka", "Předchozí stránka")),
    ("en", ("Items 1–2 of 6", "Items 5–6 of 6", "Items 3–4 of 5", "Page 2 of 3",
            "Next page", "Previous page")),
])
def test_a_runs_items_are_shown_a_page_at_a_time_with_the_state_kept(
        app, make_tenant, configure, language, texts):
    from consortium_tenants.imports.service import person_identity
    from consortium_tenants.proxies import current_consortium

    configure(CONSORTIUM_IMPORT_ITEMS_PER_PAGE=2)
    server = Source([item(n, f"Položka {n}") for n in range(1, 6)] + [item(6, None)])
    try:
        tenant, people = make_tenant("imp-page-pages")
        slug = tenant["slug"]
        service = current_consortium.imports_service
        run = service.start(person_identity(people["managers_user"].id), slug, server.url,
                            dry_run=True)
        service.resume(run.id)
    finally:
        server.stop()
    base = f"/libraries/{slug}/imports/{run.id}"
    browser = browser_of(app, people["managers_user"])
    ids = [f"oai:dspace.example.cz:11222.digilib/{n}" for n in range(1, 7)]

    def rows(html):
        return re.findall(r'<tr data-source-id="([^"]+)" data-state="([a-z]+)">', html)

    status, html = page(browser, base, language)
    assert status == 200 and [r[0] for r in rows(html)] == ids[:2]
    assert texts[0] in html and texts[4] in html and texts[5] not in html
    assert f'rel="next" href="{base}?page=2"' in html
    status, html = page(browser, base, language, query_string={"page": "3"})
    assert [r[0] for r in rows(html)] == ids[4:] and texts[1] in html
    assert f'rel="prev" href="{base}?page=2"' in html and 'rel="next"' not in html
    # a state's items, paged, the state kept in the links
    status, html = page(browser, base, language, query_string={"state": "created",
                                                               "page": "2"})
    assert rows(html) == [(ids[2], "created"), (ids[3], "created")]
    assert texts[2] in html and texts[3] in html
    assert f'rel="prev" href="{base}?state=created&amp;page=1"' in html
    assert f'rel="next" href="{base}?state=created&amp;page=3"' in html
    status, html = page(browser, base, language, query_string={"state": "failed"})
    assert rows(html) == [(ids[5], "failed")] and 'class="ui pagination' not in html
    # pages that are not there
    for number, expected in (("4", 404), ("0", 400), ("x", 400), ("-1", 400), ("²", 400),
                             ("9" * 400, 400)):
        assert page(browser, base, language, query_string={"page": number})[0] == expected
