"""The richer formats of issue 28, each from a fixture source in its repository's shape
(oai_source.py): EPrints 3's oai_dc with its documents' links, Invenio's marcxml (MARC21
slim, files in 856 $u), imported with their files, their old record pages (EPrints'
/id/eprint/<n> and /<n>/, Invenio's /record/<n>) redirected on the library's host; the
format asked for over REST is checked (400 in the request's language)."""

import hashlib

import pytest
import requests

from helpers import invoke_cli
from oai_source import PREFIX, Source, item


def run(app, people, slug, url, *args):
    result = invoke_cli(app, ["tenants", "import", "oai", slug, url, "--bypass-review", *args,
                              "--as", people["managers_user"].email])
    assert result.exit_code == 0, result.output
    return result.output.split("Run ", 1)[1].split(":", 1)[0], result.output


def imported(client, headers, slug, run_id):
    """source number → (item report, the work's JSON or None)."""
    res = client.get(f"/api/tenants/{slug}/imports/{run_id}/items", headers=headers)
    assert res.status_code == 200, res.json
    found = {}
    for entry in res.json["items"]:
        work = client.get(f"/api/records/{entry['record']}").json if entry["record"] else None
        found[entry["source_id"].rsplit(":", 1)[1].rsplit("/", 1)[-1]] = (entry, work)
    return found


def old_address(client, slug, path, language="en"):
    """PATH's answer on the library's host (the works searchable first)."""
    from invenio_rdm_records.proxies import current_rdm_records_service

    current_rdm_records_service.indexer.refresh()
    return client.get(path, base_url=f"http://{slug}.localhost:5000",
                      headers={"Accept-Language": language})


def assert_not_found(client, slug, path):
    """PATH is the site's 404 page on the library's host, in Czech and in English."""
    for language, text in (("cs", "Stránka nenalezena"), ("en", "Page not found")):
        res = old_address(client, slug, path, language)
        assert res.status_code == 404 and text in res.get_data(as_text=True), \
            (path, language, res.status_code)


def files_of(client, recid):
    """key → (size, content) of a published work's files."""
    found = {}
    for entry in client.get(f"/api/records/{recid}/files").json["entries"]:
        res = client.get(f"/api/records/{recid}/files/{entry['key']}/content")
        data = requests.get(res.headers["Location"], timeout=30).content \
            if res.status_code in (301, 302) else res.data
        found[entry["key"]] = (entry["size"], data)
    return found


PAPER = b"%PDF-1.5 " + b"p" * 70_000


def test_an_eprints_repository_comes_with_its_documents(app, make_tenant):
    source = Source([
        item(1, "Článek s plným textem", files=[{"name": "clanek.pdf", "content": PAPER},
                                                {"name": "příloha.pdf", "content": b"%PDF p"}]),
        item(2, "Jen záznam"),
    ], flavor="eprints")
    try:
        tenant, people = make_tenant("imp-eprints")
        slug, client = tenant["slug"], app.test_client()
        run_id, output = run(app, people, slug, source.url)  # oai_dc, the default
        assert "created 2, updated 0, unchanged 0, deleted 0, failed 0" in output
        found = imported(client, people["managers"], slug, run_id)
        entry, work = found["1"]
        assert [f["key"] for f in entry["mapped"]["files"]] == ["clanek.pdf", "příloha.pdf"]
        assert files_of(client, work["id"]) == {"clanek.pdf": (len(PAPER), PAPER),
                                                "příloha.pdf": (6, b"%PDF p")}
        # the eprint's page stays an identifier, the documents and the citation do not
        identifiers = work["metadata"]["identifiers"]
        assert {"identifier": f"{source.base}/1/", "scheme": "url"} in identifiers
        assert not any(i["identifier"].endswith(".pdf") for i in identifiers)
        assert not any("Zprávy knihovny" in i["identifier"] for i in identifiers)
        assert work["files"]["enabled"] is True
        assert found["2"][1]["files"]["enabled"] is False  # no documents, no files
        assert len(source.downloads) == 2

        # the eprints' old addresses on the library's host: 301 to the works
        for number, path in (("1", "/id/eprint/1"), ("1", "/id/eprint/1/"), ("1", "/1/"),
                             ("2", "/2/"), ("2", "/id/eprint/2")):
            res = old_address(client, slug, path)
            assert res.status_code == 301, (path, res.status_code)
            assert res.headers["Location"] == \
                f"http://{slug}.localhost:5000/records/{found[number][1]['id']}", path
        assert old_address(client, slug, "/1").status_code == 308  # to /1/, as EPrints
        for path in ("/id/eprint/99", "/99/", "/record/1", "/id/eprint/0",
                     "/id/eprint/" + "9" * 40):
            assert_not_found(client, slug, path)
        assert client.get("/id/eprint/1").status_code == 404  # the consortium's host
        # another library, its own works only
        other, _ = make_tenant("imp-eprints-other")
        assert_not_found(client, other["slug"], "/id/eprint/1")
    finally:
        source.stop()


def test_an_invenio_repository_comes_in_marcxml_with_its_files(app, make_tenant):
    doi = "10.5555/nusl.2019.42"
    source = Source([
        item(1, "Knihovny v síti: případová studie", creators=("Novák, Jan", "Dvořák, Petr"),
             files=[{"name": "studie.pdf", "content": PAPER}]),
        item(2, "Bez souborů", creators=("Malá, Eva",)),
        item(3, "Chybný soubor", files=[{"name": "x.pdf", "content": b"x" * 10,
                                         "length": 11}]),
    ], flavor="invenio")
    source.items[next(iter(source.items))]["doi"] = doi
    try:
        tenant, people = make_tenant("imp-marc")
        slug, client = tenant["slug"], app.test_client()
        run_id, output = run(app, people, slug, source.url, "--format", "marcxml")
        assert "created 2, updated 0, unchanged 0, deleted 0, failed 1" in output
        found = imported(client, people["managers"], slug, run_id)
        metadata = found["1"][1]["metadata"]
        assert metadata["title"] == "Knihovny v síti: případová studie"  # 245 $a: $b
        assert [c["person_or_org"]["family_name"] for c in metadata["creators"]] == [
            "Novák", "Dvořák"]  # 100, then 700
        assert metadata["publication_date"] == "2019"  # 260 $c
        assert metadata["description"] == "<p>Článek o knihovnách.</p><p>Druhý odstavec " \
            "&amp; více.</p>"  # 520
        assert [s["subject"] for s in metadata["subjects"]] == ["knihovny", "digitalizace"]
        assert metadata["languages"][0]["id"] == "ces"  # 041 cze
        assert metadata["resource_type"]["id"] == "publication-article"  # 980 ARTICLE
        assert metadata["publisher"] == "Moravská zemská knihovna"
        identifiers = metadata["identifiers"]
        assert {"identifier": doi, "scheme": "doi"} in identifiers  # 024 7_ $2 doi
        assert {"identifier": f"{source.base}/record/1", "scheme": "url"} in identifiers
        assert files_of(client, found["1"][1]["id"]) == {"studie.pdf": (len(PAPER), PAPER)}
        assert found["2"][1]["files"]["enabled"] is False
        assert "11" in found["3"][0]["reason"] and found["3"][1] is None  # 856 $s differs

        # the old record pages on the library's host: 301 to the works
        for number in ("1", "2"):
            for path in (f"/record/{number}", f"/record/{number}/"):
                res = old_address(client, slug, path)
                assert res.status_code == 301, (path, res.status_code)
                assert res.headers["Location"] == \
                    f"http://{slug}.localhost:5000/records/{found[number][1]['id']}", path
        for path in ("/record/3", "/record/99", "/id/eprint/1"):  # 3 failed: no work
            assert_not_found(client, slug, path)

        # unchanged: nothing fetched again (the failed item is tried again)
        assert source.downloads.count("/record/1/files/studie.pdf") == 1
        _, output = run(app, people, slug, source.url, "--format", "marcxml", "--full")
        assert "created 0, updated 0, unchanged 2, deleted 0, failed 1" in output
        assert source.downloads.count("/record/1/files/studie.pdf") == 1
    finally:
        source.stop()


def test_the_marc_mapping_reads_each_field():
    from lxml import etree

    from consortium_tenants.imports.marcxml import read

    xml = etree.fromstring("""<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim">
      <marc:datafield tag="245" ind1="1" ind2="0">
        <marc:subfield code="a">Hlavní název /</marc:subfield></marc:datafield>
      <marc:datafield tag="246" ind1=" " ind2=" ">
        <marc:subfield code="a">Main title</marc:subfield></marc:datafield>
      <marc:datafield tag="700" ind1=" " ind2=" ">
        <marc:subfield code="a">Svoboda, Karel</marc:subfield></marc:datafield>
      <marc:datafield tag="264" ind1=" " ind2="1">
        <marc:subfield code="c">[2021-03-04]</marc:subfield></marc:datafield>
      <marc:datafield tag="650" ind1=" " ind2="7">
        <marc:subfield code="a">archivy</marc:subfield></marc:datafield>
      <marc:datafield tag="041" ind1=" " ind2=" ">
        <marc:subfield code="a">eng</marc:subfield></marc:datafield>
      <marc:datafield tag="024" ind1="7" ind2=" ">
        <marc:subfield code="a">https://doi.org/10.1234/ABC</marc:subfield>
        <marc:subfield code="2">DOI</marc:subfield></marc:datafield>
      <marc:datafield tag="024" ind1="7" ind2=" ">
        <marc:subfield code="a">urn:nbn:cz:ope01-000123</marc:subfield>
        <marc:subfield code="2">URN</marc:subfield></marc:datafield>
      <marc:datafield tag="540" ind1=" " ind2=" ">
        <marc:subfield code="a">CC BY 4.0</marc:subfield>
        <marc:subfield code="u">https://creativecommons.org/licenses/by/4.0/</marc:subfield>
      </marc:datafield>
      <marc:datafield tag="856" ind1="4" ind2=" ">
        <marc:subfield code="u">https://nusl.example/record/7/files/a%20b.pdf</marc:subfield>
        <marc:subfield code="q">application/pdf</marc:subfield></marc:datafield>
    </marc:record>""")
    metadata, files, problems = read(xml, "oai:nusl:7",
                                     {"creativecommons.org/licenses/by/4.0": "cc-by-4.0"})
    assert problems == []
    assert metadata["title"] == "Hlavní název"
    assert metadata["additional_titles"][0]["title"] == "Main title"
    assert metadata["creators"][0]["person_or_org"] == {
        "type": "personal", "family_name": "Svoboda", "given_name": "Karel"}
    assert metadata["publication_date"] == "2021-03-04"
    assert metadata["subjects"] == [{"subject": "archivy"}]
    assert metadata["languages"] == [{"id": "eng"}]
    assert metadata["rights"] == [{"id": "cc-by-4.0"}]
    assert {"identifier": "10.1234/ABC", "scheme": "doi"} in metadata["identifiers"]
    assert {"identifier": "urn:nbn:cz:ope01-000123", "scheme": "urn"} in \
        metadata["identifiers"]
    assert files == [{"key": "a b.pdf", "url": "https://nusl.example/record/7/files/a%20b.pdf",
                      "size": None, "checksum": None, "mimetype": "application/pdf"}]
    _, _, problems = read(etree.fromstring(
        '<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim"/>'), "oai:nusl:8")
    assert problems == ["no title (245 $a)", "no author (100 $a, 700 $a)",
                        "no date (260 $c, 264 $c) in the form YYYY[-MM[-DD]]"]


@pytest.mark.parametrize("language, text", [("cs", "Musí být jedno z"),
                                            ("en", "Must be one of")])
def test_an_unknown_format_is_a_400_in_the_request_language(app, make_tenant, configure,
                                                            language, text):
    configure(CONSORTIUM_IMPORT_PRIVATE_SOURCES=True)
    tenant, people = make_tenant("imp-fmt")
    client = app.test_client()
    headers = {**people["managers"], "Accept-Language": language}
    res = client.post(f"/api/tenants/{tenant['slug']}/imports", headers=headers,
                      json={"url": "http://127.0.0.1:9/oai", "metadata_prefix": "mets"})
    assert res.status_code == 400 and text in str(res.json), res.json
    assert client.get(f"/api/tenants/{tenant['slug']}/imports",
                      headers=headers).json["runs"] == []


def test_checksums_in_an_ore_map_are_read_as_dspace_sites_state_them():
    from lxml import etree

    from consortium_tenants.imports.ore import read

    digest = hashlib.md5(b"abc").hexdigest()
    xml = etree.fromstring(f"""<atom:entry xmlns:atom="http://www.w3.org/2005/Atom"
        xmlns:oreatom="http://www.openarchives.org/ore/atom/"
        xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
        xmlns:dcterms="http://purl.org/dc/terms/"
        xmlns:premis="http://www.loc.gov/premis/v3">
      <atom:link rel="alternate" href="http://hdl.handle.net/{PREFIX}/9"/>
      <atom:published>2020-01-02T03:04:05Z</atom:published>
      <atom:title>T</atom:title><atom:author><atom:name>A, B</atom:name></atom:author>
      <atom:link rel="http://www.openarchives.org/ore/terms/aggregates"
                 href="http://x.example/bitstream/a.pdf" title="a.pdf" length="3"/>
      <atom:link rel="http://www.openarchives.org/ore/terms/aggregates"
                 href="http://x.example/bitstream/a.pdf.txt" title="a.pdf.txt" length="3"/>
      <oreatom:triples>
        <rdf:Description rdf:about="http://x.example/bitstream/a.pdf">
          <dcterms:description>ORIGINAL</dcterms:description>
          <premis:fixity><premis:messageDigestAlgorithm>MD5</premis:messageDigestAlgorithm>
          <premis:messageDigest>{digest.upper()}</premis:messageDigest></premis:fixity>
        </rdf:Description>
        <rdf:Description rdf:about="http://x.example/bitstream/a.pdf.txt">
          <dcterms:description>TEXT</dcterms:description></rdf:Description>
      </oreatom:triples></atom:entry>""")
    metadata, files, problems = read(xml, "oai:x:9")
    assert problems == [] and metadata["publication_date"] == "2020-01-02"
    assert {"identifier": f"{PREFIX}/9", "scheme": "handle"} in metadata["identifiers"]
    assert files == [{"key": "a.pdf", "url": "http://x.example/bitstream/a.pdf", "size": 3,
                      "checksum": f"md5:{digest}", "mimetype": None}]
