"""The "changes requested" e-mail comes in the depositor's own language (preferences.locale)."""

import pytest

from helpers import deposit, prefer_language, request_action, submit_review


@pytest.mark.parametrize("locale, subject, sentence, link_text", [
    ("cs", "Žádost o úpravy vkladu „{title}“",
     # the plain text as invenio-notifications sends it (strip_html straightens „“)
     'Kurátoři knihovny {library} vás žádají o úpravy vkladu "{title}" před jeho zveřejněním:',
     "Upravte koncept a odešlete jej znovu ke schválení:"),
    ("en", "Changes requested for '{title}'",
     'The curators of {library} ask you to change your deposit "{title}" before it is published:',
     "Edit the draft and submit it for review again:"),
])
def test_the_depositor_reads_the_request_for_changes_in_their_language(
        app, client, library, outbox, locale, subject, sentence, link_text):
    tenant, people = library("mediated")
    prefer_language(app, people["depositors_user"], locale)
    title = f"Vklad ({locale})"
    draft = deposit(client, people["depositors"], tenant["community_id"], title)
    res = submit_review(client, people["depositors"], draft["id"])
    assert res.status_code == 202, res.json
    # the curator's own language is the other one: the recipient's counts
    curator = {**people["curators"], "Accept-Language": "en" if locale == "cs" else "cs"}
    res = request_action(client, curator, res.json["id"], "request_changes",
                         "<p>Doplňte abstrakt.</p>")
    assert res.status_code == 200, res.json

    depositor = people["depositors_user"].email
    [mail] = [m for m in outbox if depositor in m.recipients
              and m.subject == subject.format(title=title)]
    library_title = client.get(f"/api/communities/{tenant['community_id']}").json[
        "metadata"]["title"]
    assert sentence.format(library=library_title, title=title) in mail.body
    assert link_text in mail.body and "Doplňte abstrakt." in mail.body
