"""The module's HTML forms with CSRF protection on, as in production.

(The other tests post forms with WTF_CSRF_ENABLED off.) Without the page's token
a post is refused with 400 and changes nothing; with it, the form works.
"""

import re

import pytest

from helpers import browser_of, deposit, submit_review

def token_of(page, name="csrf_token"):
    """{NAME: token} of PAGE's CSRF field NAME."""
    assert page.status_code == 200
    found = re.search(rf'name="{name}"[^>]*value="([^"]+)"', page.get_data(as_text=True))
    assert found, f"no {name} on the page"
    return {name: found.group(1)}


@pytest.fixture()
def csrf_on(configure):
    def _on():
        configure(WTF_CSRF_ENABLED=True)
    return _on


def test_the_workflow_settings_form_needs_its_token(app, client, make_tenant, csrf_on):
    tenant, people = make_tenant("csrf-wf")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])
    csrf_on()
    form = {"preset": "open", "default_access_record": "public",
            "default_access_files": "public"}
    assert browser.post(f"/libraries/{slug}/workflow", data=form).status_code == 400
    assert client.get(f"/api/tenants/{slug}/workflow").json["preset"] == "mediated"
    token = token_of(browser.get(f"/libraries/{slug}/workflow"))
    assert browser.post(f"/libraries/{slug}/workflow", data={**form, **token}).status_code == 302
    assert client.get(f"/api/tenants/{slug}/workflow").json["preset"] == "open"


def test_the_oa_policy_form_needs_its_token(app, client, make_tenant, csrf_on):
    tenant, people = make_tenant("csrf-oa")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])
    csrf_on()
    form = {"preset": "plan-s"}
    assert browser.post(f"/libraries/{slug}/oa-policy", data=form).status_code == 400
    assert client.get(f"/api/tenants/{slug}/oa-policy").json["set"] is False
    token = token_of(browser.get(f"/libraries/{slug}/oa-policy"))
    assert browser.post(f"/libraries/{slug}/oa-policy", data={**form, **token}).status_code == 302
    assert client.get(f"/api/tenants/{slug}/oa-policy").json["based_on"] == "plan-s"


def test_the_kramerius_form_needs_its_token(app, client, make_tenant, csrf_on):
    tenant, people = make_tenant("csrf-kram")
    slug = tenant["slug"]
    browser = browser_of(app, people["managers_user"])
    csrf_on()
    form = {"base_url": "https://kramerius.example.cz", "manifest_url": ""}
    assert browser.post(f"/libraries/{slug}/kramerius", data=form).status_code == 400
    assert client.get(f"/api/tenants/{slug}/kramerius").json["base_url"] is None
    token = token_of(browser.get(f"/libraries/{slug}/kramerius"))
    assert browser.post(f"/libraries/{slug}/kramerius", data={**form, **token}).status_code == 302
    assert client.get(f"/api/tenants/{slug}/kramerius").json["base_url"] == form["base_url"]


def test_the_import_forms_need_their_token(app, client, make_tenant, csrf_on, configure):
    from imports.oai_source import Source, item

    source = Source([item(1, "Zpráva")])
    configure(CONSORTIUM_IMPORT_PRIVATE_SOURCES=True)
    tenant, people = make_tenant("csrf-imp")
    slug, manager = tenant["slug"], people["managers"]
    browser = browser_of(app, people["managers_user"])
    csrf_on()
    form = {"url": source.url, "metadata_prefix": "oai_dc", "dry_run": "on"}
    try:
        assert browser.post(f"/libraries/{slug}/imports", data=form).status_code == 400
        assert client.get(f"/api/tenants/{slug}/imports", headers=manager).json["runs"] == []
        token = token_of(browser.get(f"/libraries/{slug}/imports"))
        assert browser.post(f"/libraries/{slug}/imports",
                            data={**form, **token}).status_code == 302
        run = client.get(f"/api/tenants/{slug}/imports", headers=manager).json["runs"][0]
        assert run["counts"]["created"] == 1
        for action in ("stop", "retry"):
            url = f"/libraries/{slug}/imports/{run['id']}/{action}"
            assert browser.post(url, data={"id": "x"}).status_code == 400
    finally:
        source.stop()


def test_asking_for_changes_from_the_queue_needs_its_token(app, client, make_tenant, csrf_on):
    from invenio_requests.proxies import current_requests_service

    tenant, people = make_tenant("csrf-queue")
    slug, dep = tenant["slug"], people["depositors"]
    draft = deposit(client, dep, tenant["community_id"], "Vklad s tokenem")
    request_id = submit_review(client, dep, draft["id"]).json["id"]
    current_requests_service.indexer.refresh()
    browser = browser_of(app, people["curators_user"])
    csrf_on()
    url = f"/libraries/{slug}/submissions/{request_id}/request-changes"
    assert browser.post(url, data={"comment": "Doplňte popis."}).status_code == 400
    assert client.get(f"/api/requests/{request_id}", headers=dep).json["status"] == "submitted"
    token = token_of(browser.get(f"/libraries/{slug}/submissions"))
    res = browser.post(url, data={"comment": "Doplňte popis.", **token})
    assert res.status_code == 302
    assert client.get(f"/api/requests/{request_id}", headers=dep).json[
        "status"] == "changes_requested"


def test_the_preferences_form_needs_its_token(app, make_user, csrf_on):
    from invenio_accounts.models import User
    from invenio_db import db

    user, _ = make_user()
    browser = browser_of(app, user)
    csrf_on()
    form = {"preferences-visibility": "public", "preferences-email_visibility": "restricted",
            "preferences-locale": "cs"}
    assert browser.post("/account/settings/preferences", data=form).status_code == 400
    db.session.expire_all()
    assert db.session.get(User, user.id).preferences["locale"] == "en"
    token = token_of(browser.get("/account/settings/profile"), "preferences-csrf_token")
    res = browser.post("/account/settings/preferences", data={**form, **token})
    assert res.status_code == 303
    db.session.expire_all()
    assert db.session.get(User, user.id).preferences["locale"] == "cs"
