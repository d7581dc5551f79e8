"""Library logos from `invenio tenants load` (the demo's libraries have drawn ones)."""

import secrets
import shutil
from urllib.parse import parse_qs, urlsplit

import requests
import yaml

from helpers import ROOT, invoke_cli


def test_tenants_load_uploads_a_listed_logo_that_browsers_can_show(app, client, tmp_path):
    slug = f"logo-{secrets.token_hex(3)}"
    shutil.copy(ROOT / "app_data" / "logos" / "mzk.png", tmp_path / "znak.png")
    listing = tmp_path / "tenants.yaml"
    listing.write_text(yaml.safe_dump({"tenants": [{
        "slug": slug, "names": {"cs": "Knihovna se znakem", "en": "Library with a logo"},
        "short_name": "ZNAK", "contact_email": f"repo@{slug}.example", "logo": "znak.png",
    }]}), encoding="utf-8")
    result = invoke_cli(app, ["tenants", "load", str(listing)])
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
    slug = f"logo-{secrets.token_hex(3)}"
    shutil.copy(ROOT / "app_data" / "logos" / "mzk.png", tmp_path / "znak.png")
    listing = tmp_path / "tenants.yaml"
    listing.write_text(yaml.safe_dump({"tenants": [{
        "slug": slug, "names": {"cs": "Knihovna se znakem", "en": "Library with a logo"},
        "short_name": "ZNAK", "contact_email": f"repo@{slug}.example", "logo": "znak.png",
    }]}), encoding="utf-8")
    assert invoke_cli(app, ["tenants", "load", str(listing)]).exit_code == 0
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
