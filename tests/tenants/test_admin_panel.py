"""Administration → Member libraries, through the HTML panel."""

import secrets

import pytest

from helpers import staff_browser


@pytest.fixture(scope="module")
def admin_browser(app):
    """A logged-in session of a consortium administrator with panel access."""
    return staff_browser(app)


def form(slug, **extra):
    return {"action": "create", "slug": slug, "name_cs": "Knihovna z panelu",
            "name_en": "Panel Library", "short_name": "PNL",
            "contact_email": f"repo@{slug}.example", "hosts": "", "email_domains": "",
            "primary_color": "#224466", **extra}


def test_panel_creates_edits_and_suspends(admin_browser, client):
    slug = f"panel-{secrets.token_hex(3)}"
    res = admin_browser.post("/administration/tenants", data=form(slug))
    assert res.status_code == 302
    assert client.get(f"/api/tenants/{slug}").json["branding"]["primary_color"] == "#224466"

    page = admin_browser.get(f"/administration/tenants?edit={slug}")
    assert page.status_code == 200
    assert f'data-tenant="{slug}"' in page.get_data(as_text=True)

    res = admin_browser.post("/administration/tenants", data={**form(slug), "action": "update", "short_name": "PNL2"})
    assert res.status_code == 302
    assert client.get(f"/api/tenants/{slug}").json["short_name"] == "PNL2"

    page = admin_browser.get("/administration/tenants")
    assert f"Library {slug} saved." in page.get_data(as_text=True)  # the flash, on this page

    # Suspend asks first; only the confirmation suspends.
    res = admin_browser.post("/administration/tenants", data={"action": "suspend", "slug": slug},
                             headers={"Accept-Language": "cs"})
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert f'class="ui warning message confirm-suspend" role="alertdialog"' in html
    assert "Pozastavit knihovnu Knihovna z panelu?" in html
    assert 'name="confirmed" value="yes"' in html
    assert client.get(f"/api/tenants/{slug}").json["status"] == "active"
    res = admin_browser.post("/administration/tenants",
                             data={"action": "suspend", "slug": slug, "confirmed": "yes"},
                             headers={"Accept-Language": "cs"})
    assert res.status_code == 302
    assert client.get(f"/api/tenants/{slug}").json["status"] == "suspended"
    page = admin_browser.get("/administration/tenants").get_data(as_text=True)
    assert f"Knihovna {slug} byla pozastavena: nepřijímá nové záznamy ani soubory." in page


def test_panel_shows_field_errors_and_keeps_nothing(admin_browser, client):
    slug = f"panel-{secrets.token_hex(3)}"
    res = admin_browser.post("/administration/tenants", data=form(slug, primary_color="red", contact_email="x"))
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert "branding.primary_color" in html and "contact_email" in html
    assert client.get(f"/api/tenants/{slug}").status_code == 404


def test_panel_is_closed_to_others(app, make_user):
    assert app.test_client().get("/administration/tenants").status_code == 403


def test_panel_posts_need_a_csrf_token(app, admin_browser, client):
    slug = f"panel-{secrets.token_hex(3)}"
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        res = admin_browser.post("/administration/tenants", data=form(slug))
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert res.status_code == 400
    assert "reload the page" in res.get_data(as_text=True)
    assert client.get(f"/api/tenants/{slug}").status_code == 404


def test_panel_sets_quota_and_shows_usage(admin_browser, client):
    slug = f"panel-{secrets.token_hex(3)}"
    assert admin_browser.post("/administration/tenants", data=form(slug)).status_code == 302
    edit = {**form(slug), "action": "update", "quota": "2 GB", "max_file_size": "300 MB",
            "max_files": "12"}
    res = admin_browser.post("/administration/tenants", data=edit)
    assert res.status_code == 302
    storage = client.get(f"/api/tenants/{slug}").json["storage"]
    assert storage == {"quota": 2 * 10**9, "max_file_size": 300 * 10**6, "max_files": 12}

    page = admin_browser.get(f"/administration/tenants?edit={slug}").get_data(as_text=True)
    assert 'value="2 GB"' in page and 'value="300 MB"' in page
    assert f'data-tenant="{slug}"' in page and 'data-quota="2000000000"' in page

    res = admin_browser.post("/administration/tenants", data={**edit, "quota": "a lot"})
    assert res.status_code == 400
    assert "storage.quota" in res.get_data(as_text=True)
    assert client.get(f"/api/tenants/{slug}").json["storage"]["quota"] == 2 * 10**9


def test_panel_refuses_another_librarys_host_and_reserved_slugs(admin_browser, client, make_tenant):
    victim, _ = make_tenant("pvictim")
    taken = f"{victim['slug']}.localhost"
    slug = f"panel-{secrets.token_hex(3)}"
    res = admin_browser.post("/administration/tenants", data=form(slug, hosts=taken))
    assert res.status_code == 409
    assert taken in res.get_data(as_text=True)
    assert client.get(f"/api/tenants/{slug}").status_code == 404

    assert admin_browser.post("/administration/tenants", data=form(slug)).status_code == 302
    res = admin_browser.post("/administration/tenants",
                             data={**form(slug), "action": "update", "hosts": taken})
    assert res.status_code == 409
    assert client.get(f"/api/tenants/{slug}").json["hosts"] == []

    res = admin_browser.post("/administration/tenants", data=form("login"))
    assert res.status_code == 400
    assert 'data-field="slug"' in res.get_data(as_text=True)  # the message under the slug


def test_panel_shows_errors_next_to_their_fields_with_labels(admin_browser, client):
    import re

    slug = f"panel-{secrets.token_hex(3)}"
    res = admin_browser.post("/administration/tenants", data=form(
        slug, primary_color="red", contact_email="x", hosts="ok.example\nbad host"))
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    for name, label, path in (("primary_color", "Primary colour", "branding.primary_color"),
                              ("contact_email", "Contact e-mail", "contact_email"),
                              ("hosts", "Host names (one per line)", "hosts")):
        field = re.search(rf'<div class="field error[^"]*">\s*<label for="new-{name}">{re.escape(label)}'
                          rf'</label>.*?data-field="{path}">([^<]+)</div>', html, re.S)
        assert field, name  # the message under the field it is about
        assert f'id="new-{name}" name="{name}"' in html and 'aria-invalid="true"' in html
    summary = html[html.index("error-message"):html.index("</ul>")]
    assert 'href="#new-primary_color">Primary colour</a>: ' in summary
    assert "branding.primary_color" not in summary  # labels, not field paths
    assert 'value="red"' in html  # what was typed stays

    assert admin_browser.post("/administration/tenants", data=form(slug)).status_code == 302
    res = admin_browser.post("/administration/tenants",
                             data={**form(slug), "action": "update", "primary_color": "blue"})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    edit = html[html.index('id="edit-tenant"'):html.index('id="new-tenant"')]
    assert 'data-field="branding.primary_color"' in edit and 'value="blue"' in edit
    assert "field error" not in html[html.index('id="new-tenant"'):]
    assert client.get(f"/api/tenants/{slug}").json["branding"]["primary_color"] == "#224466"


@pytest.mark.parametrize("language, texts", [
    ("cs", ["Členské knihovny", "Konsorcium", "Název česky", "Kvóta úložiště",
            "Nová členská knihovna", "Vytvořit"]),
    ("en", ["Member libraries", "Consortium", "Name (Czech)", "Storage quota",
            "New member library", "Create"]),
])
def test_the_panel_speaks_the_readers_language(admin_browser, language, texts):
    res = admin_browser.get("/administration/tenants", headers={"Accept-Language": language})
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert [text for text in texts if text not in html] == []


def test_the_panels_errors_come_in_czech_for_a_czech_reader(admin_browser):
    res = admin_browser.post("/administration/tenants", headers={"Accept-Language": "cs"},
                             data={"action": "explode"})
    assert res.status_code == 400
    html = res.get_data(as_text=True)
    assert "Změny nebyly uloženy" in html and "Neznámá akce." in html
