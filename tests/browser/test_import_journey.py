"""A library's manager brings its old repository in the browser (issue 28), in Czech and
English: from the library's home to *Imports*, a mistyped address refused at its field,
a dry run, then the import — watched on the run's page as it goes (a second tab: the
form's answer comes when the run has ended) to its end — and the failed item opened
with its reason. No critical or serious axe violation on the list, the refusal, the run
and the item."""

import pytest
from playwright.sync_api import expect

from browsing import axe, log_in
from imports.oai_source import Source, item

WORDS = {
    "cs": {"imports": "Importy", "url": "Adresa OAI-PMH původního repozitáře",
           "bad": "Nevalidní URL.", "start": "Spustit", "dry": "Zkušební běh",
           "bypass": "Zveřejnit hned, bez posouzení kurátory", "running": "Probíhá",
           "finished": "Dokončeno", "count": "zpracováno 4 z 4", "failed": "Selhalo (1)",
           "fetched": "could not be fetched"},
    "en": {"imports": "Imports", "url": "OAI-PMH address of the old repository",
           "bad": "Not a valid URL.", "start": "Start", "dry": "Dry run",
           "bypass": "Publish at once, without the curators' review", "running": "Running",
           "finished": "Finished", "count": "4 of 4 items", "failed": "Failed (1)",
           "fetched": "could not be fetched"},
}
RUN_TIMEOUT = 180_000  # ms: four works created and published on a loaded 2-core machine


def _report(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ×{v['nodes']} ({v['help']}) e.g. {v['targets']}"
                     for v in violations)


@pytest.fixture()
def source():
    pdf = {"name": "clanek.pdf", "content": b"%PDF-1.4 clanek"}
    items = [item(n, f"Článek {n}", files=[pdf]) for n in range(1, 4)]
    items.append(item(4, "Zpráva bez souboru",
                      files=[{"name": "zprava.pdf", "content": b"x", "status": 404}]))
    server = Source(items, flavor="eprints", delay=1.5)  # files in oai_dc; slow to watch
    yield server
    server.stop()


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_manager_imports_the_old_repository_and_reads_a_failure(
        app, site, open_page, make_library, source, language):
    words = WORDS[language]
    library = make_library("open", prefix=f"imp{language}")
    base = site.library(library.slug)
    page = open_page(language, "manager")
    log_in(page, base, library.manager)
    page.goto(base)
    page.locator("nav.tenant-admin a[data-page=imports]").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["imports"])
    violations = axe(page)
    assert violations == [], _report(violations)

    # a mistyped address: refused at its field, what was typed stays, nothing runs
    page.watch.expect(r"/imports$", 400)
    page.get_by_label(words["url"]).fill("dspace.example.cz/oai")
    with page.expect_navigation():
        page.get_by_role("button", name=words["start"], exact=True).click()
    expect(page.locator("#error-url")).to_contain_text(words["bad"])
    expect(page.get_by_label(words["url"])).to_have_value("dspace.example.cz/oai")
    violations = axe(page)
    assert violations == [], _report(violations)

    # a dry run (checked by default): its report, nothing written
    page.get_by_label(words["url"]).fill(source.url)
    with page.expect_navigation(timeout=RUN_TIMEOUT):
        page.get_by_role("button", name=words["start"], exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(words["dry"])
    expect(page.locator(".import-status")).to_have_text(words["finished"])
    expect(page.locator(".import-count")).to_have_text(words["count"])
    assert app.test_client().get(f"/api/communities/{library.community_id}/records").json[
        "hits"]["total"] == 0

    # the import: started here, watched in a second tab until it ends
    page.goto(f"{base}/libraries/{library.slug}/imports")
    page.get_by_label(words["url"]).fill(source.url)
    page.get_by_label(words["dry"]).uncheck()
    page.get_by_label(words["bypass"]).check()
    page.get_by_role("button", name=words["start"], exact=True).click(no_wait_after=True)
    watcher = open_page(language, "watcher")
    log_in(watcher, base, library.manager)
    watcher.goto(f"{base}/libraries/{library.slug}/imports")
    running = watcher.locator("table.import-runs tr[data-status=running] a").first
    running.wait_for(timeout=60_000)
    running.click()
    expect(watcher.locator(".import-status")).to_have_text(words["running"])
    violations = axe(watcher)  # the run's page while it runs
    assert violations == [], _report(violations)
    expect(watcher.locator(".import-status")).to_have_text(words["finished"],
                                                           timeout=RUN_TIMEOUT)
    expect(watcher.locator(".import-count")).to_have_text(words["count"])
    page.wait_for_url("**/imports/*", timeout=RUN_TIMEOUT)  # the form's answer: the run

    # the failed item and its reason
    watcher.get_by_role("link", name=words["failed"]).click()
    watcher.locator("table.import-items tr[data-state=failed] a").first.click()
    expect(watcher.locator("dd.import-reason")).to_contain_text(words["fetched"])
    expect(watcher.locator("dd.import-reason")).to_contain_text("404")
    violations = axe(watcher)
    assert violations == [], _report(violations)
    hits = app.test_client().get(f"/api/communities/{library.community_id}/records").json
    assert hits["hits"]["total"] == 3
