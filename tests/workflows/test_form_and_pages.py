"""What the deposit form, the request page and the workflow page receive from the server.

The browser journeys (tests/browser) click through these pages; here the
data they render is checked through the Flask test client: rule errors in the
shape the deposit form renders, names instead of ids, the agreement as a
checkbox with its text, the depositor named on the request page.
"""

import html as html_lib
import json
import re

from helpers import browser_of, deposit, minimal_record, submit_review

AGREEMENT = {"cs": "Vkladatel ručí za práva k dílu.", "en": "The depositor holds the rights."}
RULES = {"required_fields": ["description"], "licenses": ["cc0-1.0", "cc-by-4.0"],
         "default_license": "cc0-1.0", "agreement": AGREEMENT}
FORM_ERROR_KEYS = {"field", "messages"}


def _hidden_json(page, name):
    """The JSON of the page's hidden input NAME (the deposit form's data)."""
    found = re.search(rf'name="{name}"\s+value=\'([^\']*)\'', page)
    assert found, f"no {name} in the page"
    return json.loads(html_lib.unescape(found.group(1)))


def _fields(errors):
    return {error["field"] for error in errors}


def test_a_new_draft_already_reports_its_library_rules(client, library):
    tenant, people = library("mediated", **RULES)
    res = client.post("/api/records", headers=people["depositors"],
                      json=minimal_record("Nový vklad"))
    assert res.status_code == 201, res.json
    # the form saves a new draft before it makes its review request: this
    # answer decides whether the form warns
    assert {"metadata.description", "custom_fields.consortium:deposit_agreement"} <= \
        _fields(res.json.get("errors", []))
    assert all(set(error) == FORM_ERROR_KEYS for error in res.json["errors"]), res.json


def test_rule_errors_reach_the_form_as_field_messages(client, library):
    tenant, people = library("mediated", **RULES)
    dep = people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Porušuje pravidla")
    expected = {"metadata.description", "custom_fields.consortium:deposit_agreement"}

    read = client.get(f"/api/records/{draft['id']}/draft", headers=dep)
    saved = client.put(f"/api/records/{draft['id']}/draft", headers=dep,
                       json=minimal_record("Porušuje pravidla, uloženo"))
    submitted = submit_review(client, dep, draft["id"])
    assert (read.status_code, saved.status_code, submitted.status_code) == (200, 200, 400)
    for res in (read, saved, submitted):
        # {"field", "messages"}: invenio-checks' {"severity", "description", "context"}
        # made the form render an object as text (a blank form)
        assert expected <= _fields(res.json["errors"]), res.json
        assert all(set(error) == FORM_ERROR_KEYS for error in res.json["errors"]), res.json
        assert all(isinstance(m, str) for e in res.json["errors"] for m in e["messages"])


def test_reopening_a_draft_that_breaks_the_rules_gives_the_form_field_messages(app, client,
                                                                              library):
    tenant, people = library("mediated", **RULES)
    draft = deposit(client, people["depositors"], tenant["community_id"], "Znovu otevřený")
    browser = browser_of(app, people["depositors_user"])
    res = browser.get(f"/uploads/{draft['id']}", headers={"Accept-Language": "cs"})
    assert res.status_code == 200, res.get_data(as_text=True)[:2000]
    errors = _hidden_json(res.get_data(as_text=True), "deposits-record")["errors"]
    assert {"metadata.description", "custom_fields.consortium:deposit_agreement"} <= \
        _fields(errors)
    assert all(set(error) == FORM_ERROR_KEYS for error in errors), errors
    assert any("vyžaduje vyplnit: Popis" in m for e in errors for m in e["messages"])


def test_a_draft_sent_to_another_library_shows_only_that_librarys_rules(client, library,
                                                                        admin_headers):
    first, people = library("mediated", required_fields=["description"])
    second, _ = library("mediated", prefix="wf-second", required_fields=["subjects"])
    draft = deposit(client, people["depositors"], first["community_id"], "Přesměrovaný")
    res = client.post(f"/api/tenants/{second['slug']}/members", headers=admin_headers,
                      json={"email": people["depositors_user"].email, "role": "depositors"})
    assert res.status_code == 200, res.json
    res = client.put(f"/api/records/{draft['id']}/draft/review", headers=people["depositors"],
                     json={"receiver": {"community": second["community_id"]},
                           "type": "community-submission"})
    assert res.status_code == 200, res.json
    read = client.get(f"/api/records/{draft['id']}/draft", headers=people["depositors"]).json
    assert _fields(read["errors"]) == {"metadata.subjects"}


def test_the_deposit_form_names_licences_and_offers_the_agreement_as_a_checkbox(app, library):
    tenant, people = library("mediated", resource_types=["publication", "dataset"], **RULES)
    browser = browser_of(app, people["depositors_user"])
    for lang, allowed, types, label, help_text in (
        ("en", "Allowed licences: Creative Commons Zero v1.0 Universal; "
               "Creative Commons Attribution 4.0 International",
         "Accepted resource types: Publication, Dataset",
         "I accept the library's deposit agreement",
         "The library accepts a deposit for publication only with this consent."),
        ("cs", "Povolené licence: Creative Commons Zero v1.0 Universal; "
               "Creative Commons Attribution 4.0 International",
         "Přijímané typy: Publikace, Datová sada",
         "Souhlasím s podmínkami vkladu knihovny",
         "Knihovna přijme vklad ke zveřejnění jen s tímto souhlasem."),
    ):
        res = browser.get("/uploads/new", headers={"Accept-Language": lang})
        assert res.status_code == 200
        page = res.get_data(as_text=True)
        rules = dict(re.findall(r'<li data-rule="([a-z_]+)">\s*([^<]*)</li>', page))
        assert rules["licenses"] == allowed and rules["resource_types"] == types

        agreement = [field for section in _hidden_json(page, "deposits-config")[
            "custom_fields"]["ui"] for field in section["fields"]
            if field["field"] == "consortium:deposit_agreement"]
        assert len(agreement) == 1
        # one checkbox (a custom widget of assets/templates/custom_fields), with the
        # agreement's text beside it; not the radio pair whose help said "shown above"
        assert agreement[0]["ui_widget"] == "AgreementCheckbox"
        props = agreement[0]["props"]
        assert (props["label"], props["description"], props["agreement"]) == \
            (label, help_text, AGREEMENT[lang])

        # The library's default licence starts the form with its name.
        rights = _hidden_json(page, "deposits-record")["metadata"]["rights"]
        assert [(r["id"], r["title"]) for r in rights] == \
            [("cc0-1.0", "Creative Commons Zero v1.0 Universal")]
        assert rights[0]["description"] and rights[0]["link"]


def test_without_an_agreement_the_form_has_no_agreement_text(app, library):
    tenant, people = library("mediated", required_fields=["description"])
    page = browser_of(app, people["depositors_user"]).get("/uploads/new").get_data(as_text=True)
    sections = _hidden_json(page, "deposits-config")["custom_fields"]["ui"]
    props = [f["props"] for s in sections for f in s["fields"]
             if f["field"] == "consortium:deposit_agreement"][0]
    assert props["agreement"] == ""  # the widget, and its section, are not shown
    assert 'data-rule="agreement"' not in page


def test_the_workflow_page_names_licences_and_wraps_long_lists(app, library):
    tenant, people = library("mediated")
    page = browser_of(app, people["managers_user"]).get(
        f"/libraries/{tenant['slug']}/workflow").get_data(as_text=True)
    assert re.search(r'<label for="lic-cc-by-4.0">Creative Commons Attribution 4.0 '
                     r'International</label>', page)
    assert "#library-workflow .inline.fields { flex-wrap: wrap;" in page


def test_the_workflow_page_labels_its_errors(app, library):
    tenant, people = library("mediated")
    browser = browser_of(app, people["managers_user"])
    url = f"/libraries/{tenant['slug']}/workflow"
    for data, field, label in (
        ({"max_embargo_months": "dlouho"}, "rules.max_embargo_months", "Longest embargo"),
        ({"licenses": ["cc0-1.0"], "default_license": "cc-by-4.0"}, "rules.default_license",
         "Default licence"),
    ):
        res = browser.post(url, data={"preset": "mediated", **data})
        assert res.status_code == 400
        page = res.get_data(as_text=True)
        start = page.index("workflow-errors")
        shown = page[start:page.index("</ul>", start)]
        assert re.search(rf'data-field="{field}"><strong>{label}</strong>: ', shown), shown
        assert "<code>rules." not in page  # not the field's path


def test_the_request_page_can_ask_for_changes_as_its_javascript_asks(client, library):
    tenant, people = library("mediated")
    draft = deposit(client, people["depositors"], tenant["community_id"], "Z modálního okna")
    request_id = submit_review(client, people["depositors"], draft["id"]).json["id"]
    # invenio-requests' JavaScript posts the action for InvenioRDM's UI JSON
    ui_json = {**people["curators"], "Accept": "application/vnd.inveniordm.v1+json"}
    res = client.post(f"/api/requests/{request_id}/actions/request_changes?expand=1",
                      headers=ui_json,
                      json={"payload": {"content": "<p>Doplňte abstrakt.</p>", "format": "html",
                                        "files": []}})
    assert res.status_code == 200, res.get_data(as_text=True)
    assert res.json["status"] == "changes_requested"
    assert res.json["expanded"]["created_by"]["id"] == str(people["depositors_user"].id)
