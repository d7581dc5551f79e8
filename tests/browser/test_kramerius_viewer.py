"""A work digitised in its library's Kramerius (issue 30): its landing page on the
library's host links to the work in the library's Kramerius and shows the manifest of
the Kramerius IIIF gateway in the same Mirador viewer, in Czech and English, with no
console error and no critical or serious axe violation. The Kramerius is
tests/kramerius_fixture.py on this machine."""

import re
import uuid as uuidlib

import pytest
from playwright.sync_api import expect

from browsing import axe
from helpers import minimal_record, publish_in_library
from kramerius_fixture import Kramerius
from test_iiif_viewer import axe_in

LINK = {"cs": "Otevřít v Krameriovi knihovny", "en": "Open in the library's Kramerius"}


@pytest.fixture(scope="module")
def kramerius():
    with Kramerius() as server:
        yield server


@pytest.fixture(scope="module")
def linked(app, make_tenant, kramerius):
    from invenio_rdm_records.proxies import current_rdm_records_service

    tenant, people = make_tenant("kramweb")
    client = app.test_client()
    res = client.put(f"/api/tenants/{tenant['slug']}/kramerius", headers=people["managers"],
                     json={"base_url": kramerius.base,
                           "manifest_url": kramerius.base + "/iiif/{uuid}/manifest"})
    assert res.status_code == 200, res.json
    uuid = f"uuid:{uuidlib.uuid4()}"
    kramerius.works.add(uuid)
    body = minimal_record("Mapa Moravy z Krameria")
    body["files"] = {"enabled": False}
    body["metadata"]["identifiers"] = [{"scheme": "urnnbn", "identifier": "urn:nbn:cz:mzk-0001xq"},
                                       {"scheme": "kramerius", "identifier": uuid}]
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    record = publish_in_library(client, people, tenant["community_id"], res.json["id"])
    current_rdm_records_service.indexer.refresh()
    return tenant, record["id"], uuid


@pytest.mark.parametrize("language", ["cs", "en"])
def test_a_reader_opens_a_kramerius_work_and_its_gateway_manifest(
        site, open_page, linked, kramerius, language):
    tenant, record_id, uuid = linked
    page = open_page(language)
    page.goto(site.library(tenant["slug"], f"/records/{record_id}"))

    link = page.get_by_role("link", name=LINK[language])
    expect(link).to_have_attribute("href", f"{kramerius.base}/uuid/{uuid}")
    expect(page.locator(".kramerius-urnnbn")).to_have_text("urn:nbn:cz:mzk-0001xq")

    before = len(kramerius.requests)
    frame_element = page.locator("iframe.kramerius-viewer")
    expect(frame_element).to_be_visible()
    viewer = page.frame_locator("iframe.kramerius-viewer")
    expect(viewer.get_by_text(re.compile("Mapa z Krameria|A map from Kramerius")).first
           ).to_be_visible(timeout=30000)
    for _ in range(60):  # the viewer draws the gateway's page image
        if ("GET", f"/iiif/{uuid}/page.png") in kramerius.requests[before:]:
            break
        page.wait_for_timeout(250)
    assert ("GET", f"/iiif/{uuid}/manifest") in kramerius.requests
    assert ("GET", f"/iiif/{uuid}/page.png") in kramerius.requests

    frame = frame_element.element_handle().content_frame()
    assert frame.locator("html").get_attribute("lang") == language
    assert axe_in(frame) == []
    assert axe(page) == []
