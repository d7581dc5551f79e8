"""Library logos from `invenio tenants load` (the demo's libraries have drawn ones)."""

import io
import re
import secrets
import shutil
from urllib.parse import parse_qs, urlsplit

import requests
import yaml
from PIL import Image

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
    """A library without a logo (its generated one removed): no <img> whose request
    answers 404 (a console error)."""
    with_logo, _ = library
    without_logo, people = make_tenant("nologo")
    removed = client.delete(f"/api/communities/{without_logo['community_id']}/logo",
                            headers=people["managers"])
    assert removed.status_code == 204, removed.data
    for tenant, has_logo in ((with_logo, True), (without_logo, False)):
        html = page(client, f"/communities/{tenant['slug']}/records",
                    host=f"{tenant['slug']}.localhost:5000", follow_redirects=True)
        bar = re.search(r'<div class="tenant-bar"[^>]*>(.*?)</div>', html, re.S)
        assert bar, html[:1500]
        logo = f'src="/api/communities/{tenant["community_id"]}/logo"'
        assert (logo in bar.group(1)) is has_logo, tenant["slug"]
        assert (f'/api/communities/{tenant["community_id"]}/logo' in html) is has_logo
    # `invenio platform init` (run by setup) gives it its generated logo again.
    result = invoke_cli(app, ["platform", "init"])
    assert result.exit_code == 0, result.output
    # (other tests' libraries without a logo may be named in the same list)
    assert re.search(rf"logos of member libraries \([^)]*\b{re.escape(without_logo['slug'])}\b",
                     result.output), result.output
    assert _served_logo(client, without_logo["community_id"])[0] == "image/png"


def _served_logo(client, community_id):
    """(the type S3 is asked to send, the image) of the community's logo."""
    res = client.get(f"/api/communities/{community_id}/logo")
    assert res.status_code == 302, res.status_code  # to the file on S3
    kind = parse_qs(urlsplit(res.headers["Location"]).query)["response-content-type"][0]
    stored = requests.get(res.headers["Location"], timeout=30)
    assert stored.status_code == 200
    return kind, Image.open(io.BytesIO(stored.content))


def test_a_new_library_gets_a_logo_with_its_short_name_on_its_colour(client, make_tenant):
    tenant, _people = make_tenant("gen")  # tenant_payload: primary colour #123456
    kind, image = _served_logo(client, tenant["community_id"])
    assert kind == "image/png"
    assert image.size == (256, 256)
    colours = dict((c, n) for n, c in image.convert("RGB").getcolors(256 * 256))
    assert max(colours, key=colours.get) == (0x12, 0x34, 0x56)  # the background
    assert colours.get((255, 255, 255), 0) > 500  # the short name, white on the dark colour
    html = page(client, "/libraries", "cs")
    assert f'src="/api/communities/{tenant["community_id"]}/logo"' in html


def test_a_logo_uploaded_in_the_community_settings_is_checked_and_served_as_an_image(
    client, make_tenant
):
    """The community settings page sends the logo to InvenioRDM's own endpoint, which
    stored any bytes as application/octet-stream (blocked by browsers as an image)."""
    tenant, people = make_tenant("settings")
    url = f"/api/communities/{tenant['community_id']}/logo"
    png = io.BytesIO()
    Image.new("RGB", (40, 20), (139, 30, 63)).save(png, "PNG")
    res = client.put(url, data=png.getvalue(),
                     headers={**people["managers"], "Content-Type": "application/octet-stream"})
    assert res.status_code == 200, res.json
    kind, image = _served_logo(client, tenant["community_id"])
    assert (kind, image.size) == ("image/png", (40, 20))
    for language, message in (("en", "Only PNG, JPEG or SVG logos are accepted."),
                              ("cs", "Logo musí být ve formátu PNG, JPEG nebo SVG.")):
        res = client.put(url, data=b"just text, not an image",
                         headers={**people["managers"], "Accept-Language": language,
                                  "Content-Type": "application/octet-stream"})
        assert res.status_code == 400, res.json
        assert res.json["errors"] == [{"field": "logo", "messages": [message]}]
    assert _served_logo(client, tenant["community_id"])[1].size == (40, 20)  # unchanged
    res = client.put(url, data=png.getvalue(),
                     headers={**people["depositors"], "Content-Type": "application/octet-stream"})
    assert res.status_code == 403


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
