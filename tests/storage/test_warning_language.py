"""The storage warning e-mail comes in each manager's own language (preferences.locale)."""

from helpers import new_draft, prefer_language, upload


def _warning_to(outbox, user):
    [mail] = [m for m in outbox if user.email in m.recipients]
    return mail


def test_a_czech_manager_is_warned_in_czech_whatever_language_the_uploader_uses(
        app, client, storage_tenant, outbox):
    tenant, people = storage_tenant(quota=1000)
    prefer_language(app, people["managers_user"], "cs")
    draft = new_draft(client, people["depositors"])
    headers = {**people["depositors"], "Accept-Language": "en"}
    assert upload(client, headers, draft["id"], "a.bin", b"a" * 850).status_code == 200  # 85 %

    mail = _warning_to(outbox, people["managers_user"])
    name = tenant["names"]["cs"]
    assert mail.subject == f"Úložiště {name} je zaplněno z 80 %"
    assert f"Úložiště repozitáře {name} dosáhlo 85,0 % kvóty" in mail.body  # decimal comma
    assert "Po vyčerpání kvóty nebude možné nahrávat další soubory." in mail.body
    assert f"<strong>{name}</strong> dosáhlo 85,0 % kvóty" in mail.html
    assert "quota" not in mail.body


def test_an_english_manager_is_warned_in_english_whatever_language_the_uploader_uses(
        app, client, storage_tenant, outbox):
    tenant, people = storage_tenant(quota=1000)
    prefer_language(app, people["managers_user"], "en")
    draft = new_draft(client, people["depositors"])
    headers = {**people["depositors"], "Accept-Language": "cs"}
    assert upload(client, headers, draft["id"], "a.bin", b"a" * 850).status_code == 200

    mail = _warning_to(outbox, people["managers_user"])
    name = tenant["names"]["en"]
    assert mail.subject == f"Storage of {name} is 80 % full"
    assert f"The repository storage of {name} has reached 85.0 % of its quota" in mail.body
    assert "When the quota is used up, new uploads are refused." in mail.body
    assert "kvóty" not in mail.body and "kvóty" not in mail.html
