"""The deposit form says when the library's works get no DOI, and names it as publisher."""

import html
import json
import re

from helpers import browser_of


def forms_config(page):
    """The deposit form's configuration as the page hands it to the form."""
    value = re.search(r'name="deposits-config"\s+value=\'([^\']*)\'', page).group(1)
    return json.loads(html.unescape(value))


def doi_field(page):
    config = forms_config(page)
    doi = next(p for p in config["pids"] if p["scheme"] == "doi")
    return config["is_doi_required"], doi["default_selected"]


def test_deposit_form_warns_without_account_and_defaults_the_publisher(
        app, make_tenant, admin_headers, datacite):
    without, without_people = make_tenant("form-nodoi")
    with_account, with_people = make_tenant("form-doi")
    res = app.test_client().put(f"/api/tenants/{with_account['slug']}/datacite",
                                headers=admin_headers, json={
                                    "prefix": "10.70101", "repository_id": "CZ.FORM",
                                    "password": "pw"})
    assert res.status_code == 200
    page = browser_of(app, without_people["depositors_user"]).get(
        "/uploads/new", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "Tato knihovna nemá účet DataCite: její díla nedostanou DOI." in page
    assert json.dumps(f"Knihovna {without['slug']}")[1:-1] in page  # the publisher default
    assert doi_field(page) == (False, "not_needed")  # starts at "I don't need one"
    page = browser_of(app, with_people["depositors_user"]).get(
        "/uploads/new", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "deposit-no-doi" not in page
    assert "This library has no DataCite account" not in page
    # starts at "No, I need one", required: publication mints it without a reservation
    assert doi_field(page) == (True, "no")


def test_deposit_form_says_what_happens_to_the_doi_of_a_restricted_work(
        app, make_tenant, admin_headers, datacite):
    from helpers import minimal_record

    tenant, people = make_tenant("form-restricted")
    res = app.test_client().put(f"/api/tenants/{tenant['slug']}/datacite",
                                headers=admin_headers, json={
                                    "prefix": "10.70102", "repository_id": "CZ.FORM.R",
                                    "password": "pw"})
    assert res.status_code == 200
    browser = browser_of(app, people["depositors_user"])

    def doi_help(page):
        return next(p for p in forms_config(page)["pids"] if p["scheme"] == "doi")[
            "managed_help_text"]

    page = browser.get("/uploads/new", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert doi_field(page) == (True, "no")
    assert "Omezené dílo DOI nedostane" in doi_help(page)
    page = browser.get("/uploads/new", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "A restricted work gets no DOI" in doi_help(page)
    # a draft that is restricted already: no DOI demanded, and the form says why
    body = minimal_record("Omezený koncept")
    body["access"] = {"record": "restricted", "files": "restricted"}
    draft = app.test_client().post("/api/records", headers=people["depositors"], json=body).json
    page = browser.get(f"/uploads/{draft['id']}", headers={"Accept-Language": "cs"}).get_data(
        as_text=True)
    assert doi_field(page) == (False, "not_needed")
    assert "Omezené dílo DOI nedostane" in doi_help(page)
