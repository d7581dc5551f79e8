"""A host no library answers on: a page for browsers, JSON for API clients (400)."""

import pytest

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
HOST = "nikde.localhost"


@pytest.mark.parametrize("language,heading", [
    ("cs", "Na této adrese není žádná knihovna"),
    ("en", "No library on this address"),
])
def test_browsers_get_a_page_in_their_language_saying_no_library_is_there(
        client, language, heading):
    res = client.get("/", base_url=f"http://{HOST}:5000",
                     headers={"Accept": BROWSER, "Accept-Language": language})
    assert res.status_code == 400
    assert res.content_type == "text/html; charset=utf-8"
    html = res.get_data(as_text=True)
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert HOST in html
    assert 'href="http://127.0.0.1:5000/"' in html  # the consortium
    assert '"message"' not in html


@pytest.mark.parametrize("path,accept", [
    ("/search", "application/json"),
    ("/api/records", BROWSER),
    ("/search", None),
])
def test_api_and_json_clients_still_get_a_json_400(client, path, accept):
    headers = {"Accept": accept} if accept else {}
    res = client.get(path, base_url=f"http://{HOST}", headers=headers)
    assert res.status_code == 400
    assert res.json == {"status": 400, "message": f"Unknown host '{HOST}'."}
