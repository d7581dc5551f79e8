"""The record page's Export and Citation boxes: native forms that work without JavaScript.

InvenioRDM's Semantic UI dropdowns (role=listbox around a role=alert) failed axe's
aria-required-children; the instance renders both boxes on the server instead.
"""

import lxml.html
import pytest
from flask import current_app

from helpers import deposit, publish_in_library


@pytest.fixture(scope="module")
def record_id(app, make_tenant):
    """A published work of a library."""
    tenant, people = make_tenant("cite")
    client = app.test_client()
    draft = deposit(client, people["depositors"], tenant["community_id"], title="Kronika obce")
    return publish_in_library(client, people, tenant["community_id"], draft["id"])["id"]


def record_page(client, record_id, language="en", **args):
    """The record page in LANGUAGE as an lxml tree; asserts 200."""
    res = client.get(f"/records/{record_id}", query_string=args,
                     headers={"Accept-Language": language, "Accept": "text/html"})
    assert res.status_code == 200, res.get_data(as_text=True)[:500]
    return lxml.html.fromstring(res.get_data(as_text=True))


def labelled_select(tree, name):
    """The <select name=NAME> of the page and the text of its <label>."""
    (select,) = tree.xpath(f'//select[@name="{name}"]')
    (label,) = tree.xpath(f'//label[@for="{select.get("id")}"]')
    return select, label.text_content().strip()


def api_citation(client, record_id, style, locale):
    """The citation the REST API renders for STYLE in LOCALE."""
    res = client.get(f"/api/records/{record_id}", query_string={"style": style, "locale": locale},
                     headers={"Accept": "text/x-bibliography"})
    assert res.status_code == 200, res.get_data(as_text=True)
    return res.get_data(as_text=True)


def shown_citation(tree):
    """The citation text in the page's live region."""
    (citation,) = tree.xpath('//*[@id="record-citation-text"]')
    assert citation.get("aria-live") == "polite"
    return " ".join(citation.text_content().split())


def test_record_page_has_no_react_dropdown_mount_points(client, record_id):
    tree = record_page(client, record_id)
    assert not tree.xpath('//*[@id="recordExportDownload"]')
    assert not tree.xpath('//*[@id="recordCitation"]')
    assert not tree.xpath('//*[@role="listbox"]//*[@role="alert"]')


def test_export_form_lists_every_configured_format_and_each_export_answers(client, record_id):
    configured = current_app.config["APP_RDM_RECORD_EXPORTERS"]
    has_doi = "doi" in client.get(f"/api/records/{record_id}").json["pids"]
    # DataCite's formats need a DOI (consortium_tenants.dois.serializers): 406 without one.
    exporters = {fmt: e for fmt, e in configured.items()
                 if has_doi or not fmt.startswith("datacite")}
    for fmt in configured.keys() - exporters.keys():
        assert client.get(f"/records/{record_id}/export/{fmt}").status_code == 406
    assert len(exporters) >= len(configured) - 2
    tree = record_page(client, record_id)
    (form,) = tree.xpath('//form[.//select[@name="format"]]')
    assert form.get("method") == "get"
    assert form.get("action") == f"/records/{record_id}/export"
    assert form.xpath('.//button[@type="submit"]')[0].text_content().strip() == "Download"
    select, label = labelled_select(tree, "format")
    assert label == "Export format"
    assert [(o.get("value"), o.text_content().strip()) for o in select.xpath("./option")] == [
        (fmt, str(exporter.get("name", fmt))) for fmt, exporter in exporters.items()]

    for fmt, exporter in exporters.items():
        res = client.get(f"/records/{record_id}/export", query_string={"format": fmt})
        assert res.status_code == 302, fmt
        assert res.headers["Location"] == f"/records/{record_id}/export/{fmt}"
        res = client.get(res.headers["Location"])
        assert res.status_code == 200, (fmt, res.get_data(as_text=True)[:300])
        assert res.mimetype == exporter["content-type"].split(";")[0], fmt
        assert res.get_data()


def test_export_form_refuses_an_unknown_or_missing_format(client, record_id):
    for args in ({"format": "pdf"}, {}):
        res = client.get(f"/records/{record_id}/export", query_string=args)
        assert res.status_code == 400
        assert res.json["errors"] == [
            {"field": "format", "messages": ["Choose one of the listed export formats."]}]


def test_citation_is_rendered_for_the_default_style_and_for_a_chosen_one(client, record_id):
    default = current_app.config["RDM_CITATION_STYLES_DEFAULT"]
    styles = [style for style, _ in current_app.config["RDM_CITATION_STYLES"]]
    other = next(style for style in styles if style != default)

    tree = record_page(client, record_id)
    select, label = labelled_select(tree, "style")
    assert label == "Citation style"
    assert [o.get("value") for o in select.xpath("./option")] == styles
    assert select.xpath("./option[@selected]")[0].get("value") == default
    (form,) = tree.xpath('//form[.//select[@name="style"]]')
    assert form.get("method") == "get" and form.get("action") == f"/records/{record_id}#citation"
    assert shown_citation(tree) == api_citation(client, record_id, default, "en")
    assert "Kronika obce" in shown_citation(tree)

    tree = record_page(client, record_id, style=other)
    select, _ = labelled_select(tree, "style")
    assert select.xpath("./option[@selected]")[0].get("value") == other
    assert shown_citation(tree) == api_citation(client, record_id, other, "en")
    assert shown_citation(tree) != api_citation(client, record_id, default, "en")


def test_an_unknown_citation_style_shows_the_default_one(client, record_id):
    default = current_app.config["RDM_CITATION_STYLES_DEFAULT"]
    tree = record_page(client, record_id, style="no-such-style")
    assert shown_citation(tree) == api_citation(client, record_id, default, "en")


def test_czech_record_page_labels_the_boxes_and_cites_in_czech(client, record_id):
    tree = record_page(client, record_id, "cs", style="chicago-notes-bibliography")
    assert labelled_select(tree, "format")[1] == "Formát exportu"
    assert labelled_select(tree, "style")[1] == "Citační styl"
    (form,) = tree.xpath('//form[.//select[@name="format"]]')
    assert form.xpath('.//button[@type="submit"]')[0].text_content().strip() == "Stáhnout"
    czech = api_citation(client, record_id, "chicago-notes-bibliography", "cs")
    assert czech != api_citation(client, record_id, "chicago-notes-bibliography", "en")
    assert shown_citation(tree) == czech
