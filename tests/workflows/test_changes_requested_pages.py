"""A depositor asked for changes finds the way back to the draft, and what to change.

The request's page links the draft (for its depositor only); the deposit form says
changes were asked for and quotes the curators' newest comment. Czech and English.
"""

from helpers import browser_of, deposit, request_action, submit_review


def test_request_page_links_the_draft_and_the_form_quotes_the_curators(app, client, library,
                                                                       refresh):
    tenant, people = library("mediated")
    dep, slug = people["depositors"], tenant["slug"]
    draft = deposit(client, dep, tenant["community_id"], "Vrácený vklad")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    depositor = browser_of(app, people["depositors_user"])

    # Before the curators ask: no notice anywhere.
    page = depositor.get(f"/me/requests/{request_id}").get_data(as_text=True)
    assert "edit-draft" not in page
    form = depositor.get(f"/uploads/{draft['id']}").get_data(as_text=True)
    assert "changes-requested" not in form

    assert request_action(client, people["curators"], request_id, "request_changes",
                          "Doplňte prosím abstrakt.").status_code == 200
    refresh()

    for language, heading, button in (("cs", "Kurátoři vrátili vklad k úpravám", "Upravit záznam"),
                                      ("en", "The curators asked for changes",
                                       "Edit the deposit")):
        res = depositor.get(f"/me/requests/{request_id}", headers={"Accept-Language": language})
        assert res.status_code == 200
        page = res.get_data(as_text=True)
        assert heading in page
        assert f'class="ui primary button edit-draft" href="/uploads/{draft["id"]}">{button}<' in page

        res = depositor.get(f"/uploads/{draft['id']}", headers={"Accept-Language": language})
        assert res.status_code == 200
        form = res.get_data(as_text=True)
        assert f'class="ui warning message changes-requested" role="status" data-request="{request_id}"' in form
        assert heading in form
        assert "Doplňte prosím abstrakt." in form
        assert f'href="/me/requests/{request_id}"' in form

    # The curator's view of the same request has no "edit" button: it is not their draft.
    curator = browser_of(app, people["curators_user"])
    page = curator.get(f"/communities/{slug}/requests/{request_id}").get_data(as_text=True)
    assert "edit-draft" not in page

    # Submitted again: the notices are gone.
    assert submit_review(client, dep, draft["id"]).status_code in (200, 202)
    refresh()
    page = depositor.get(f"/me/requests/{request_id}").get_data(as_text=True)
    assert "edit-draft" not in page
    form = depositor.get(f"/uploads/{draft['id']}").get_data(as_text=True)
    assert "changes-requested" not in form
