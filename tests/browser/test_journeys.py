"""People's journeys in a real browser, each on a library's own host, in Czech and English.

The app is served as `make run` serves it (conftest.site); every page fails its test on
console errors, failed requests and server errors (conftest.open_page).
"""

import re
import secrets
import time
from urllib.parse import urlsplit

import pytest
import requests
from playwright.sync_api import expect

from browsing import MEDIATED_RULES, PNG_LOGO, add_files, log_in
from helpers import deposit, submit_review

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

TEXT = {  # what a person reads, by language
    "cs": {
        "resource_type": "Datová sada", "add_author": "Přidat autora", "save": "Uložit",
        "accept_agreement": re.compile(r"^Souhlasím"), "submitted": "Odeslána",
        "closed": re.compile(r"jen její správci a kurátoři"), "keyword": "digitalizace",
        "languages": "Jazyky", "workflow_saved": "Pracovní postup uložen.",
        "changes_asked": "Vklad byl vrácen vkladateli k úpravám.", "accept": "Schválit",
        "ask_for_changes": "Vrátit k úpravám", "review": "Posoudit",
        "licence": "Creative Commons Attribution 4.0",
    },
    "en": {
        "resource_type": "Dataset", "add_author": "Add author", "save": "Save",
        "accept_agreement": re.compile(r"^I accept"), "submitted": "Submitted",
        "closed": re.compile(r"accepts deposits from its managers and curators only"),
        "keyword": "digitisation", "languages": "Languages", "workflow_saved": "Workflow saved.",
        "changes_asked": "The depositor was asked for changes.", "accept": "Accept and publish",
        "ask_for_changes": "Ask for changes", "review": "Review",
        "licence": "Creative Commons Attribution 4.0",
    },
}


# --- steps ---------------------------------------------------------------------------
def same_host(page, base_url):
    """The page is still on the library's host."""
    assert urlsplit(page.url).netloc == urlsplit(base_url).netloc, page.url


def fill_deposit_form(page, language, title, description, library_rules=True):
    """Fill the deposit form as a depositor does: file, type, title, author, description,
    keyword; with LIBRARY_RULES (MEDIATED_RULES), its default licence and agreement."""
    words = TEXT[language]
    with page.expect_response(lambda r: r.url.endswith("/commit") and r.status == 200):
        add_files(page, {"name": "clanek.pdf", "mimeType": "application/pdf", "buffer": PDF})
    expect(page.get_by_text("clanek.pdf").first).to_be_visible()

    resource_type = page.locator('[name="metadata.resource_type"]')
    resource_type.click()
    resource_type.get_by_role("option", name=words["resource_type"], exact=True).click()

    page.locator("#metadata\\.title").fill(title)

    page.get_by_role("button", name=words["add_author"]).click()
    modal = page.locator(".ui.modal")
    modal.locator('input[name="person_or_org.family_name"]').fill("Nováková")
    modal.locator('input[name="person_or_org.given_name"]').fill("Jana")
    modal.get_by_role("button", name=words["save"], exact=True).click()
    expect(modal).to_have_count(0)
    expect(page.get_by_text("Nováková, Jana").first).to_be_visible()

    editor = page.frame_locator(".tox-edit-area__iframe").first.locator("body")
    editor.click()
    editor.press_sequentially(description)

    subjects = page.locator("#metadata\\.subjects")
    subjects.press_sequentially(words["keyword"], delay=30)
    page.wait_for_load_state("networkidle")
    subjects.press("Enter")
    expect(page.locator(".field:has(#metadata\\.subjects) a.ui.label").first).to_be_visible()

    if library_rules:  # its default licence is chosen already (by name); its agreement
        licences = page.locator(".field:has(label[for='metadata.rights'])")
        expect(licences.get_by_text(words["licence"]).first).to_be_visible()
        page.get_by_text(words["accept_agreement"]).first.click()


def submit_for_review(page):
    """Submit the open draft to its library; returns once the next page is shown."""
    page.locator("button[name=SubmitReview]").click()
    modal = page.locator(".ui.modal")
    for box in ("#accept-access-checkbox", "#accept-after-publish-checkbox"):
        if modal.locator(box).count():
            modal.locator(f"{box} label").click()
    with page.expect_navigation():
        modal.locator("button[name=submitReview]").click()
    page.wait_for_load_state("networkidle")


def request_of_draft(client, person, draft_id):
    """The draft's review request as its depositor sees it over REST."""
    res = client.get(f"/api/records/{draft_id}/draft/review", headers=person.headers)
    assert res.status_code == 200, res.json
    return res.json


def complete_record(title, description="Popis díla."):
    """Metadata that meets the mediated library's rules (MEDIATED_RULES)."""
    return {
        "metadata": {"description": description,
                     "subjects": [{"subject": "digitalizace"}],
                     "rights": [{"id": "cc-by-4.0"}]},
        "custom_fields": {"consortium:deposit_agreement": True},
    }


def eventually(check, page, timeout=30):
    """Reload PAGE until CHECK(page) is true (search results are near real time)."""
    deadline = time.monotonic() + timeout
    while not check(page):
        assert time.monotonic() < deadline, f"not seen on {page.url} within {timeout} s"
        time.sleep(1)
        page.reload()
        page.wait_for_load_state("networkidle")


# --- journeys ------------------------------------------------------------------------
def test_researcher_deposits_with_a_file_into_a_mediated_library(app, site, open_page,
                                                                 make_library):
    library = make_library("mediated", MEDIATED_RULES)
    base = site.library(library.slug)
    page = open_page("cs", "researcher")
    log_in(page, base, library.depositor)

    page.goto(f"{base}/uploads/new")
    expect(page.get_by_text(MEDIATED_RULES["agreement"]["cs"]).first).to_be_visible()
    title = f"Digitalizace rukopisů {secrets.token_hex(2)}"
    fill_deposit_form(page, "cs", title, "Soubor dat o digitalizaci rukopisů.")
    submit_for_review(page)

    same_host(page, base)
    assert "/requests/" in page.url, page.url
    expect(page.get_by_text(title).first).to_be_visible()
    expect(page.get_by_text(TEXT["cs"]["submitted"], exact=True)).to_be_visible()

    client = app.test_client()
    request_id = page.url.rstrip("/").rsplit("/", 1)[-1]
    res = client.get(f"/api/requests/{request_id}", headers=library.depositor.headers)
    assert res.status_code == 200 and res.json["status"] == "submitted", res.json
    draft_id = res.json["topic"]["record"]
    draft = client.get(f"/api/records/{draft_id}/draft", headers=library.depositor.headers).json
    assert draft["metadata"]["title"] == title
    assert draft["metadata"]["resource_type"]["id"] == "dataset"
    assert draft["metadata"]["rights"][0]["id"] == "cc-by-4.0"
    assert draft["custom_fields"]["consortium:deposit_agreement"] is True
    files = client.get(f"/api/records/{draft_id}/draft/files", headers=library.depositor.headers)
    assert [(f["key"], f["size"]) for f in files.json["entries"]] == [("clanek.pdf", len(PDF))]


def test_curator_asks_for_changes_researcher_resubmits_curator_accepts(app, site, open_page,
                                                                       make_library):
    library = make_library("mediated", MEDIATED_RULES)
    base = site.library(library.slug)
    client = app.test_client()
    title = f"Katalog prvotisků {secrets.token_hex(2)}"
    draft = deposit(client, library.depositor.headers, library.community_id, title,
                    changes=complete_record(title))
    res = submit_review(client, library.depositor.headers, draft["id"])
    assert res.status_code == 202, res.json

    # The curator (English) asks for changes from the library's queue.
    curator = open_page("en", "curator")
    log_in(curator, base, library.curator)
    curator.goto(f"{base}/libraries/{library.slug}/submissions")
    row = curator.locator("tr", has_text=title)
    row.locator("textarea[name=comment]").fill("Please add the date range of the incunabula.")
    row.get_by_role("button", name=TEXT["en"]["ask_for_changes"]).click()
    expect(curator.get_by_text(TEXT["en"]["changes_asked"])).to_be_visible()
    same_host(curator, base)

    # The researcher (Czech) reads the comment, fixes the draft and submits it again.
    researcher = open_page("cs", "researcher")
    log_in(researcher, base, library.depositor)
    researcher.goto(f"{base}/me/requests")
    researcher.get_by_role("link", name=title).first.click()
    researcher.wait_for_load_state("networkidle")
    expect(researcher.get_by_text("Please add the date range of the incunabula.")).to_be_visible()
    same_host(researcher, base)
    researcher.goto(f"{base}/uploads/{draft['id']}")
    title_field = researcher.locator("#metadata\\.title")
    expect(title_field).to_have_value(title)
    editor = researcher.frame_locator(".tox-edit-area__iframe").first.locator("body")
    editor.click()
    editor.press("End")
    editor.press_sequentially(" Prvotisky z let 1470–1500.")
    submit_for_review(researcher)
    same_host(researcher, base)
    expect(researcher.get_by_text(TEXT["cs"]["submitted"], exact=True)).to_be_visible()

    # The curator reviews it from the queue and accepts it.
    curator.goto(f"{base}/libraries/{library.slug}/submissions")
    curator.locator("tr", has_text=title).get_by_role("link", name=TEXT["en"]["review"]).click()
    curator.wait_for_load_state("networkidle")
    same_host(curator, base)
    curator.get_by_role("button", name=TEXT["en"]["accept"], exact=True).click()
    curator.locator(".ui.modal").get_by_role("button", name=re.compile("Accept")).click()
    expect(curator.get_by_text("Accepted").first).to_be_visible()
    record = client.get(f"/api/records/{draft['id']}")
    assert record.status_code == 200, record.json
    assert "1470–1500" in record.json["metadata"]["description"]

    # The record is in the library's collection, the consortium search and OAI-PMH.
    visitor = open_page("cs", "visitor")
    visitor.goto(base)
    same_host(visitor, base)
    eventually(lambda p: p.get_by_role("link", name=title).count() > 0, visitor)
    visitor.goto(site.consortium(f"/search?q=%22{title}%22"))
    eventually(lambda p: p.get_by_role("link", name=title).count() > 0, visitor)
    # A harvester on the library's host (the browser resolves *.localhost itself) gets
    # the XML; a person opening the same address reads it as a page (issue 26 item 8).
    oai_url = f"{base}/oai2d?verb=ListRecords&metadataPrefix=oai_dc"
    host = urlsplit(base)  # only Chromium resolves *.localhost: name it in the Host header
    oai = requests.get(oai_url.replace(host.hostname, "127.0.0.1", 1), timeout=30,
                       headers={"Host": host.netloc, "Accept": "text/xml"})
    assert oai.status_code == 200
    assert f"<dc:title>{title}</dc:title>" in oai.text
    assert re.search(rf"<request [^>]*>{re.escape(base)}/oai2d</request>", oai.text)
    page = visitor.goto(oai_url)
    assert page.status == 200
    expect(visitor.get_by_text(title).first).to_be_visible()


def test_researcher_of_an_open_library_publishes_at_once(site, open_page, make_library):
    language = "en"
    library = make_library("open")
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    page.goto(f"{base}/uploads/new")
    title = f"Open data {secrets.token_hex(2)}"
    fill_deposit_form(page, language, title, "Measurements of the reading room climate.",
                      library_rules=False)
    submit_for_review(page)

    same_host(page, base)
    assert re.search(r"/records/[a-z0-9]{5}-[a-z0-9]{5}$", page.url), page.url
    expect(page.locator("h1", has_text=title)).to_be_visible()
    expect(page.get_by_text("clanek.pdf").first).to_be_visible()
    # The record page names its library (not "not included in any communities").
    expect(page.get_by_text(f"Library {library.slug}").first).to_be_visible()
    # Its citation in another style: a native form, the page reloads with ?style=.
    page.get_by_label("Citation style").select_option("ieee")
    page.get_by_role("button", name="Show citation").click()
    page.wait_for_url(re.compile(r"\?style=ieee#citation$"))
    expect(page.locator("#record-citation-text")).to_contain_text("[1]")
    expect(page.locator("#record-citation-text")).to_contain_text(title)


@pytest.mark.parametrize("language", ["cs", "en"])
def test_closed_library_refuses_a_depositor_with_a_clear_message(site, open_page, make_library,
                                                                 language):
    library = make_library("closed")
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    page.goto(f"{base}/uploads/new")
    message = page.get_by_text(TEXT[language]["closed"])
    if not message.count():  # the form may say it only when the draft is saved:
        page.watch.expect(r"/api/records(\?|$)", 403)  # refused, and the person told why
        page.watch.expect_console(r"^Error saving draft")  # the form logs the refusal
        page.locator("#metadata\\.title").fill("Nepovolený vklad")
        page.locator("button[name=save]").click()
    expect(message.first).to_be_visible()
    same_host(page, base)


def test_manager_changes_branding_and_workflow_rules_and_sees_them_applied(site, open_page,
                                                                          make_library):
    library = make_library("mediated", MEDIATED_RULES)
    base = site.library(library.slug)
    page = open_page("cs", "manager")
    log_in(page, base, library.manager)

    # Branding: the library's logo, in its community settings.
    page.goto(f"{base}/communities/{library.slug}/settings")
    with page.expect_response(lambda r: r.url.endswith("/logo") and r.request.method == "PUT"):
        page.locator("input[type=file]").first.set_input_files(
            {"name": "logo.png", "mimeType": "image/png", "buffer": PNG_LOGO})
    page.goto(base)
    same_host(page, base)
    logos = page.locator("img[src*='/logo']")
    expect(logos.first).to_be_visible()
    assert page.evaluate("() => [...document.querySelectorAll(\"img[src*='/logo']\")]"
                         ".every(img => img.complete && img.naturalWidth > 0)")

    # Workflow: languages become required; the deposit form says so.
    page.goto(f"{base}/libraries/{library.slug}/workflow")
    page.get_by_label(TEXT["cs"]["languages"], exact=True).check()
    page.locator("form:has(input[name=preset]) button[type=submit]").click()
    expect(page.get_by_text(TEXT["cs"]["workflow_saved"])).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 1280
    page.goto(f"{base}/uploads/new")
    expect(page.locator(".deposit-rules [data-rule=required_fields]")).to_contain_text(
        TEXT["cs"]["languages"])


def test_consortium_admin_creates_a_library_that_answers_on_its_host(site, open_page,
                                                                     consortium_admin):
    slug = f"new-{secrets.token_hex(3)}"
    page = open_page("en", "admin")
    log_in(page, site.consortium(), consortium_admin)
    page.goto(site.consortium("/administration/tenants"))
    form = page.locator("form:has(input[name=slug]:not([type=hidden]))")
    form.locator("input[name=slug]").fill(slug)
    form.locator("input[name=name_cs]").fill("Knihovna Nového Města")
    form.locator("input[name=name_en]").fill("New Town Library")
    form.locator("input[name=short_name]").fill("KNM")
    form.locator("input[name=contact_email]").fill(f"repo@{slug}.example")
    form.get_by_role("button", name="Create").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator(f"tr[data-tenant='{slug}']")).to_be_visible()

    visitor = open_page("en", "visitor")
    visitor.goto(site.library(slug))
    same_host(visitor, site.library(slug))
    expect(visitor.get_by_text("New Town Library").first).to_be_visible()
    czech = open_page("cs", "visitor-cs")
    czech.goto(site.library(slug))
    expect(czech.get_by_text("Knihovna Nového Města").first).to_be_visible()
    czech.locator(".tenant-bar a.tenant-name").click()  # the library's home page
    expect(czech.get_by_role("heading", name="Nejnovější díla")).to_be_visible()
    same_host(czech, site.library(slug))


@pytest.mark.parametrize("language", ["cs", "en"])
def test_unknown_host_shows_a_friendly_page(site, open_page, language):
    host = f"nikde-{secrets.token_hex(2)}.localhost:{site.port}"
    page = open_page(language, "visitor")
    page.watch.expect(re.escape(f"http://{host}/") + "$")  # the test checks its status
    response = page.goto(f"http://{host}/")
    assert response.status == 400, response.status
    assert response.headers["content-type"].startswith("text/html"), response.headers
    assert page.evaluate("() => document.documentElement.lang") == language
    expect(page.locator("h1")).to_be_visible()
    expect(page.locator("body")).to_contain_text(host.split(":")[0])
    expect(page.locator(f"a[href^='{site.consortium()}']").first).to_be_visible()


NEED_A_DOI = {"cs": "Ne, potřebuji", "en": "No, I need one"}  # RDM's DOI field, by language


@pytest.mark.parametrize("language, prefix", [("cs", "10.70411"), ("en", "10.70412")])
def test_a_work_published_through_the_form_gets_a_doi_under_its_library_prefix(
        app, site, open_page, make_library, admin_headers, datacite, language, prefix):
    library = make_library("open")
    repository = f"CZ.WEB.{language.upper()}"
    datacite.add_account(repository, "pw-web", prefix)
    res = app.test_client().put(f"/api/tenants/{library.slug}/datacite", headers=admin_headers,
                                json={"prefix": prefix, "repository_id": repository,
                                      "password": "pw-web"})
    assert res.status_code == 200, res.json
    base = site.library(library.slug)
    page = open_page(language, "researcher")
    log_in(page, base, library.depositor)
    page.goto(f"{base}/uploads/new")
    # the DOI field starts at "No, I need one"; no reservation is asked for
    expect(page.locator('input[name="radioGroup"][value="managed"]')).to_be_checked()
    expect(page.locator(".ui.radio.checkbox.checked")).to_have_text(NEED_A_DOI[language])
    expect(page.locator(".deposit-no-doi")).to_have_count(0)
    title = f"DOI data {secrets.token_hex(2)}"
    fill_deposit_form(page, language, title, "Measurements with a DOI.", library_rules=False)
    submit_for_review(page)

    same_host(page, base)
    record_id = re.search(r"/records/([a-z0-9]{5}-[a-z0-9]{5})$", page.url).group(1)
    doi = f"{prefix}/{record_id}"
    expect(page.get_by_text(doi).first).to_be_visible()  # the landing page shows it
    record = app.test_client().get(f"/api/records/{record_id}").json
    assert record["pids"]["doi"] == {"identifier": doi, "provider": "datacite",
                                     "client": "datacite"}
    owner, data = datacite.doi(doi)
    assert (owner, data["attributes"]["state"]) == (repository, "findable")
    assert data["attributes"]["url"] == f"{base}/records/{record_id}"  # the library's host
