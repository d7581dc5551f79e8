"""The "changes requested" e-mail comes in the depositor's own language (preferences.locale),
names the curators' action as the pages do ("Vrátit k úpravám" / "Vráceno k úpravám"; it
said "Žádost o úpravy vkladu") and the library by its name in that language (an English
e-mail named it in Czech). Sent to a real SMTP server (the `smtp_server` fixture)."""

import pytest

from helpers import deposit, prefer_language, request_action, submit_review


@pytest.mark.parametrize("locale, subject, sentence, link_text", [
    ("cs", "Vráceno k úpravám: „{title}“",
     # the plain text as invenio-notifications sends it (strip_html straightens „“)
     'Kurátoři knihovny {library} vrátili váš vklad "{title}" k úpravám před jeho '
     'zveřejněním:',
     "Upravte koncept a odešlete jej znovu ke schválení:"),
    ("en", "Changes requested for '{title}'",
     'The curators of {library} ask you to change your deposit "{title}" before it is published:',
     "Edit the draft and submit it for review again:"),
])
def test_the_depositor_reads_the_request_for_changes_in_their_language(
        app, client, library, smtp_server, locale, subject, sentence, link_text):
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
    smtp_server.wait_for(depositor)
    [mail] = [m for m in smtp_server.messages(depositor)
              if m["Subject"] == subject.format(title=title)]
    body = mail.get_body(preferencelist=("plain",)).get_content()
    assert sentence.format(library=tenant["names"][locale], title=title) in body, body
    assert link_text in body and "Doplňte abstrakt." in body
    other_name = tenant["names"]["en" if locale == "cs" else "cs"]
    assert other_name not in body and "o úpravy" not in body
