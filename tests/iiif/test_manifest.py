"""IIIF Presentation 3.0 manifests of digitised works, validated against the official
validator's JSON Schema (../shared/standards/iiif-presentation-3, with its provenance)."""

import io
import json
from pathlib import Path

import pytest
from jsonschema import Draft7Validator
from PIL import Image

from helpers import minimal_record, publish_in_library, upload

SCHEMA = json.loads((Path(__file__).resolve().parents[3] / "shared" / "standards"
                     / "iiif-presentation-3" / "iiif_3_0.json").read_text())
VALIDATOR = Draft7Validator(SCHEMA, format_checker=Draft7Validator.FORMAT_CHECKER)
PAGES = {"scan-001.png": (600, 800), "scan-002.png": (610, 820), "scan-003.jpg": (1200, 900)}


def problems(manifest):
    return sorted(f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in VALIDATOR.iter_errors(manifest))


def image(name, size):
    out = io.BytesIO()
    Image.new("RGB", size, (200, 180, 150)).save(out, "PNG" if name.endswith("png") else "JPEG")
    return out.getvalue()


def work(client, people, tenant, title, access=None, pages=PAGES, pdf=True):
    dep = people["depositors"]
    body = minimal_record(title)
    body["metadata"].update({"rights": [{"id": "cc-by-4.0"}],
                             "description": "<p>Skenovaná kniha &amp; mapa.</p>",
                             "publisher": "Moravská zemská knihovna"})
    if access:
        body["access"] = access
    res = client.post("/api/records", headers=dep, json=body)
    assert res.status_code == 201, res.json
    draft_id = res.json["id"]
    for name, size in pages.items():
        assert upload(client, dep, draft_id, name, image(name, size)).status_code == 200
    if pdf:
        assert upload(client, dep, draft_id, "book.pdf", b"%PDF-1.4 scan").status_code == 200
    return publish_in_library(client, people, tenant["community_id"], draft_id)


@pytest.fixture(scope="module")
def digitised(app, make_tenant):
    client = app.test_client()
    tenant, people = make_tenant("iiif")
    record = work(client, people, tenant, "Mapa Moravy 1790")
    return client, tenant, people, record


def manifest_of(client, record_id, host, headers=None, lang="en"):
    return client.get(f"/api/iiif/3/record:{record_id}/manifest", base_url=f"http://{host}",
                      headers={**(headers or {}), "Accept-Language": lang})


def test_manifest_of_an_image_work_is_valid_presentation_3(digitised):
    client, tenant, _, record = digitised
    host = f"{tenant['slug']}.localhost:5000"
    res = manifest_of(client, record["id"], host)
    assert res.status_code == 200, res.json
    assert res.mimetype == "application/ld+json"
    assert res.headers["Access-Control-Allow-Origin"] == "*"
    manifest = res.json
    assert problems(manifest) == []
    assert manifest["@context"] == "http://iiif.io/api/presentation/3/context.json"
    assert manifest["id"] == f"http://{host}/api/iiif/3/record:{record['id']}/manifest"
    assert manifest["label"] == {"none": ["Mapa Moravy 1790"]}
    assert manifest["summary"] == {"none": ["Skenovaná kniha & mapa."]}
    # one canvas per page, in page order, with the page's own dimensions
    canvases = manifest["items"]
    assert [c["label"]["none"][0] for c in canvases] == list(PAGES)
    assert [(c["width"], c["height"]) for c in canvases] == list(PAGES.values())
    body = canvases[2]["items"][0]["items"][0]["body"]
    assert body["service"][0]["@type"] == "ImageService2"
    assert body["service"][0]["@id"].startswith(f"http://{host}/api/iiif/record:")
    # the library as provider, in both languages; the licence as rights; the PDF offered
    provider = manifest["provider"][0]
    assert provider["label"] == {"cs": [tenant["names"]["cs"]], "en": [tenant["names"]["en"]]}
    assert provider["homepage"][0]["id"].startswith(f"http://{tenant['slug']}.localhost")
    assert manifest["rights"] == "http://creativecommons.org/licenses/by/4.0/"
    assert [r["format"] for r in manifest["rendering"]] == ["application/pdf"]
    assert manifest["homepage"][0]["id"] == f"http://{host}/records/{record['id']}"
    # the record's metadata labelled in Czech and English
    labels = {row["label"]["en"][0]: row for row in manifest["metadata"]}
    assert {"Creators", "Publication date", "Resource type", "Publisher", "Licence"} <= set(labels)
    assert labels["Creators"]["label"]["cs"] != ["Creators"]
    assert labels["Publisher"]["value"] == {"none": ["Moravská zemská knihovna"]}


def language_maps(node):
    """Every language map in NODE holding Czech and English."""
    if isinstance(node, dict):
        if {"cs", "en"} <= set(node) and all(isinstance(v, list) for v in node.values()):
            yield node
        else:
            for value in node.values():
                yield from language_maps(value)
    elif isinstance(node, list):
        for value in node:
            yield from language_maps(value)


def test_language_maps_keep_both_languages_the_readers_first(digitised):
    """Mirador shows a language map's first language in the places it reads without a
    locale: the manifest keeps cs and en in every map, the request's language first (by
    Accept-Language, or `ln` as the page's language chosen in the session), and says the
    answer varies with it."""
    client, tenant, _, record = digitised
    host = f"{tenant['slug']}.localhost:5000"
    answers = {lang: manifest_of(client, record["id"], host, lang=lang) for lang in ("cs", "en")}
    for lang, res in answers.items():
        manifest = res.json
        assert problems(manifest) == []
        maps = list(language_maps(manifest))
        # metadata labels (5), resource type and licence values, provider, required statement
        assert len(maps) >= 11, maps
        assert [list(m)[0] for m in maps] == [lang] * len(maps), maps
        assert all(set(m) == {"cs", "en"} for m in maps)
        assert "Accept-Language" in res.headers["Vary"]
    rows = {lang: {row["label"][lang][0]: row for row in answers[lang].json["metadata"]}
            for lang in answers}
    assert rows["en"]["Resource type"]["value"] == {"en": ["Journal article"],
                                                    "cs": ["Článek v časopise"]}
    assert list(rows["cs"]["Typ zdroje"]["value"]) == ["cs", "en"]
    # the same manifest otherwise, with an ETag per language
    assert list(language_maps(answers["cs"].json)) == list(language_maps(answers["en"].json))
    assert answers["cs"].headers["ETag"] != answers["en"].headers["ETag"]
    # `ln` (a language chosen on the page) wins over the browser's Accept-Language
    chosen = client.get(f"/api/iiif/3/record:{record['id']}/manifest?ln=cs",
                        base_url=f"http://{host}", headers={"Accept-Language": "en"})
    assert [list(m)[0] for m in language_maps(chosen.json)] == ["cs"] * len(maps)


def test_each_page_is_served_through_the_image_api(digitised):
    client, tenant, _, record = digitised
    host = f"{tenant['slug']}.localhost:5000"
    manifest = manifest_of(client, record["id"], host).json
    for canvas in manifest["items"]:
        service = canvas["items"][0]["items"][0]["body"]["service"][0]["@id"]
        path = service.split(host, 1)[1]
        info = client.get(f"{path}/info.json", base_url=f"http://{host}")
        assert info.status_code == 200
        assert (info.json["width"], info.json["height"]) == (canvas["width"], canvas["height"])
        tile = client.get(f"{path}/0,0,256,256/128,/0/default.jpg", base_url=f"http://{host}")
        assert tile.status_code == 200 and tile.mimetype == "image/jpeg"
        assert Image.open(io.BytesIO(tile.data)).size == (128, 128)


def test_the_schema_refuses_what_presentation_3_refuses(digitised):
    """The validation above can fail: the schema rejects an https licence and a manifest
    without pages (the shapes a careless serializer would produce)."""
    client, tenant, _, record = digitised
    manifest = manifest_of(client, record["id"], f"{tenant['slug']}.localhost:5000").json
    assert problems({**manifest, "rights": "https://creativecommons.org/licenses/by/4.0/"})
    assert problems({k: v for k, v in manifest.items() if k != "items"})
    assert problems({**manifest, "label": "Mapa"})


def test_restricted_work_is_refused_to_others(app, digitised):
    client, tenant, people, _ = digitised
    record = work(client, people, tenant, "Rukopis",
                  access={"record": "restricted", "files": "restricted"},
                  pages={"folio-1r.png": (400, 600)}, pdf=False)
    host = f"{tenant['slug']}.localhost:5000"
    anonymous = manifest_of(client, record["id"], host)
    assert anonymous.status_code == 403
    owner = manifest_of(client, record["id"], host, headers=people["depositors"])
    assert owner.status_code == 200 and problems(owner.json) == []
    service = owner.json["items"][0]["items"][0]["items"][0]["body"]["service"][0]["@id"]
    path = service.split(host, 1)[1]
    for suffix in ("/info.json", "/full/full/0/default.jpg", "/0,0,200,200/100,/0/default.jpg"):
        assert client.get(path + suffix, base_url=f"http://{host}").status_code == 403
        curator = {"Authorization": people["curators"]["Authorization"]}
        assert client.get(path + suffix, base_url=f"http://{host}",
                          headers=curator).status_code == 200


def test_files_restricted_work_shows_no_page_to_others(digitised):
    client, tenant, people, _ = digitised
    record = work(client, people, tenant, "Fotografie", access={"record": "public",
                                                                "files": "restricted"},
                  pages={"photo.png": (300, 300)}, pdf=False)
    host = f"{tenant['slug']}.localhost:5000"
    anonymous = manifest_of(client, record["id"], host)
    assert anonymous.status_code == 200
    assert anonymous.json["items"] == [] and problems(anonymous.json) == []
    assert len(manifest_of(client, record["id"], host,
                           headers=people["depositors"]).json["items"]) == 1


def test_unknown_or_malformed_identifiers_are_4xx_in_the_request_language(digitised):
    client, tenant, _, _ = digitised
    host = f"{tenant['slug']}.localhost:5000"
    for path, status in (("/api/iiif/3/record:nonex-00000/manifest", 404),
                         ("/api/iiif/3/nonsense/manifest", 400),
                         ("/api/iiif/3/record:a:b:c/manifest", 400)):
        messages = {}
        for lang in ("cs", "en"):
            res = client.get(path, base_url=f"http://{host}", headers={"Accept-Language": lang})
            assert res.status_code == status, (path, res.json)
            messages[lang] = res.json["message"]
        assert messages["cs"] != messages["en"], (path, messages)


def test_presentation_2_manifest_keeps_working(digitised):
    """RDM's v2.1 manifest stays for existing clients; with dimensions read at upload
    (libvips) it now lists the pages too."""
    client, tenant, _, record = digitised
    res = client.get(f"/api/iiif/record:{record['id']}/manifest",
                     base_url=f"http://{tenant['slug']}.localhost:5000")
    assert res.status_code == 200
    assert res.json["@context"] == "http://iiif.io/api/presentation/2/context.json"
    assert len(res.json["sequences"][0]["canvases"]) == 3
