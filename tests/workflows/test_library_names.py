"""A library's name in the page's language where InvenioRDM names its community (issue 26).

A library's community has one title, its Czech name: English pages named the library in
Czech as a request's receiver and in the deposit form's "Submit for review" dialog (both
read the community from the page's JSON: the request's and the draft's expanded receiver,
the form's preselected community). Czech and English.
"""

import html
import json
import re

import pytest

from helpers import browser_of, deposit, submit_review


def _json_in(page, pattern):
    """The JSON of the first attribute value PATTERN (a regex ending at its opening quote)
    finds in PAGE."""
    match = re.search(pattern + r"'([^']*)'", page)
    assert match, pattern
    return json.loads(html.unescape(match.group(1)))


@pytest.mark.parametrize("language", ["cs", "en"])
def test_requests_and_the_deposit_form_name_the_library_in_the_page_language(
        app, client, library, refresh, language):
    tenant, people = library("mediated")
    name = tenant["names"][language]
    draft = deposit(client, people["depositors"], tenant["community_id"], "Vklad k posouzení")
    request_id = submit_review(client, people["depositors"], draft["id"]).json["id"]
    refresh()
    depositor = browser_of(app, people["depositors_user"])
    headers = {"Accept-Language": language}

    # The request's page: its receiver.
    res = depositor.get(f"/me/requests/{request_id}", headers=headers)
    assert res.status_code == 200
    request = _json_in(res.get_data(as_text=True), r"data-record=")
    assert request["expanded"]["receiver"]["metadata"]["title"] == name

    # ... and the request as the page's scripts read it again (after an action).
    res = client.get(f"/api/requests/{request_id}?expand=1",
                     headers={**people["depositors"], **headers})
    assert res.status_code == 200
    assert res.json["expanded"]["receiver"]["metadata"]["title"] == name

    # The deposit form of the draft: the library it goes to (the submit dialog's name).
    res = depositor.get(f"/uploads/{draft['id']}", headers=headers)
    assert res.status_code == 200
    record = _json_in(res.get_data(as_text=True), r'name="deposits-record"\s+value=')
    assert record["expanded"]["parent"]["review"]["receiver"]["metadata"]["title"] == name

    # A new deposit for the library chosen in the address.
    res = depositor.get(f"/uploads/new?community={tenant['slug']}", headers=headers)
    assert res.status_code == 200
    chosen = _json_in(res.get_data(as_text=True), r'name="deposits-draft-community"\s+value=')
    assert chosen["metadata"]["title"] == name
