"""Library logos from `invenio tenants load` (the demo's libraries have drawn ones)."""

import re
import secrets
import shutil
from urllib.parse import parse_qs, urlsplit

import requests
import yaml

from helpers import ROOT, invoke_cli
from ui_pages import page


def _load_library_with_logo(app, tmp_path):
    """`invenio tenants load` of a library listing a PNG logo; returns (slug, CLI result)."""
    slug = f"logo-{secrets.token_hex(3)}"
    shutil.copy(ROOT / "app_data" / "logos" / "mzk.png", tmp_path / "znak.png")
    listing = tmp_path / "tenants.yaml"
    listing.write_text(yaml.safe_dump({"tenants": [{
        "slug": slug, "names": {"cs": "Knihovna se znakem", "en": "Library with a logo"},
        "short_name": "ZNAK", "contact_email": f"repo@{slug}.example", "logo": "znak.png",
    }]}), encoding="utf-8")
    return slug, invoke_cli(app, ["tenants", "load", str(listing)])


def test_tenants_load_uploads_a_listed_logo_that_browsers_can_show(app, client, tmp_path):
    slug, result = _load_library_with_logo(app, tmp_path)
    assert result.exit_code == 0, result.output
    community = client.get(f"/api/tenants/{slug}").json["community_id"]
    res = client.get(f"/api/communities/{community}/logo")
    assert res.status_code == 302  # to the file on S3
    query = parse_qs(urlsplit(res.headers["Location"]).query)
    assert query["response-content-type"] == ["image/png"]  # not application/octet-stream
    stored = requests.get(res.headers["Location"], timeout=30)
    assert stored.status_code == 200
    assert stored.content == (tmp_path / "znak.png").read_bytes()


def test_a_redirected_file_is_not_kept_by_browsers_without_its_cors_headers(app, client,
                                                                           tmp_path):
    """The app's 302 to a public file is cached (same S3 URL for a minute): an <img> load
    (no Origin) must not leave S3's answer in the browser cache, or the deposit form's
    XHR for the same logo gets it without Access-Control-Allow-Origin and fails."""
    slug, result = _load_library_with_logo(app, tmp_path)
    assert result.exit_code == 0, result.output
    community = client.get(f"/api/tenants/{slug}").json["community_id"]
    res = client.get(f"/api/communities/{community}/logo")
    assert res.status_code == 302
    assert "public" in res.headers["Cache-Control"]
    as_image = requests.get(res.headers["Location"], timeout=30)
    assert as_image.status_code == 200
    assert as_image.headers["Cache-Control"] == "no-store"
    origin = f"http://{slug}.localhost:5000"
    as_xhr = requests.get(res.headers["Location"], headers={"Origin": origin}, timeout=30)
    assert as_xhr.headers["Access-Control-Allow-Origin"] == origin


def test_every_demo_library_has_a_logo_file():
    document = yaml.safe_load((ROOT / "app_data" / "tenants.yaml").read_text(encoding="utf-8"))
    for entry in document["tenants"]:
        logo = ROOT / "app_data" / entry["logo"]
        assert logo.is_file(), entry["slug"]
        assert logo.read_bytes().startswith(b"\x89PNG"), entry["slug"]


def test_a_library_bar_shows_the_logo_only_when_the_library_has_one(app, client, library,
                                                                    make_tenant):
    """A library without a logo: no <img> whose request answers 404 (a console error)."""
    with_logo, _ = library
    without_logo, _ = make_tenant("nologo")
    for tenant, has_logo in ((with_logo, True), (without_logo, False)):
        html = page(client, f"/communities/{tenant['slug']}/records",
                    host=f"{tenant['slug']}.localhost:5000", follow_redirects=True)
        bar = re.search(r'<div class="tenant-bar"[^>]*>(.*?)</div>', html, re.S)
        assert bar, html[:1500]
        logo = f'src="/api/communities/{tenant["community_id"]}/logo"'
        assert (logo in bar.group(1)) is has_logo, tenant["slug"]
        assert (f'/api/communities/{tenant["community_id"]}/logo' in html) is has_logo


def test_a_library_home_shows_its_newest_works_and_numbers_in_both_languages(client, library):
    """/communities/<slug> of a themed community (every library) rendered a missing
    template: the library bar's name link answered 500."""
    tenant, _ = library
    host = f"{tenant['slug']}.localhost:5000"
    english = page(client, f"/communities/{tenant['slug']}/", "en", host=host)
    newest = re.search(r'<ul class="ui relaxed divided list library-newest">(.*?)</ul>',
                       english, re.S)
    assert newest and "Kronika" in newest.group(1)
    assert re.search(r"<dt>Works</dt><dd>1</dd>", english)
    assert f'href="/communities/{tenant["slug"]}/records"' in english
    czech = page(client, f"/communities/{tenant['slug']}/", "cs", host=host)
    assert "Nejnovější díla" in czech and "Všechna díla knihovny" in czech
