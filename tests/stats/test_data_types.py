"""COUNTER Data_Type from the resource-type vocabulary (issue 32 §2).

Every resource type the instance loads maps to a Data_Type of an R5.1 Item Report (the
enum of the COUNTER_SUSHI API schema, tests/stats/schemas/counter-r5.1), chosen from the
type's DataCite props: a dissertation is Thesis_or_Dissertation, a book a Book_Segment
(R5.1 Table 3.p: a whole book counts as one Book_Segment; Book is a title-level type no IR
carries), conference proceedings a Conference_Item.
"""

import json
from datetime import datetime

from helpers import deposit, invoke_cli, publish_in_library
from stats_helpers import (FIREFOX, SUSHI_API, event_clock, month_range, previous_month,
                           process_events, reader)

EXPECTED = {
    "publication-dissertation": "Thesis_or_Dissertation",
    "publication-book": "Book_Segment",
    "publication-section": "Book_Segment",
    "publication-conferenceproceeding": "Conference_Item",
    "publication-conferencepaper": "Conference_Item",
    "poster": "Conference_Item",
    "publication-article": "Article",
    "publication-preprint": "Article",
    "publication-patent": "Patent",
    "publication-report": "Report",
    "publication-workingpaper": "Report",
    "publication-standard": "Standard",
    "dataset": "Dataset",
    "image-photo": "Image",
    "video": "Audiovisual",
    "audio": "Sound",
    "software": "Software",
    "software-computationalnotebook": "Software",
    "lesson": "Interactive_Resource",
    "oer": "Interactive_Resource",
    "publication-other": "Other",
    "other": "Other",
    "publication": "Unspecified",
}


def ir_data_types():
    """The Data_Types an IR may carry (COUNTER_SUSHI API schema)."""
    schemas = json.loads(SUSHI_API.read_text())["components"]["schemas"]
    attributes = schemas["IR_Attribute_Performance"]["allOf"][0]["properties"]
    return set(attributes["Data_Type"]["enum"])


def test_every_resource_type_of_the_vocabulary_has_an_item_report_data_type(client):
    from consortium_tenants.stats.events import data_type_of

    res = client.get("/api/vocabularies/resourcetypes", query_string={"size": 500})
    assert res.status_code == 200, res.json
    ids = [hit["id"] for hit in res.json["hits"]["hits"]]
    assert len(ids) == res.json["hits"]["total"] > 30
    mapped = {resource_type: data_type_of(resource_type) for resource_type in ids}
    allowed = ir_data_types()
    assert {t: d for t, d in mapped.items() if d not in allowed} == {}
    assert {t: mapped.get(t) for t in EXPECTED} == EXPECTED
    # Only a bare "publication" says too little to classify (R5.1: Unspecified).
    assert [t for t, d in mapped.items() if d == "Unspecified"] == ["publication"]
    assert data_type_of("no-such-type") == data_type_of(None) == "Unspecified"

    # oai_openaire's COAR types name ids of this vocabulary too (a dissertation is a thesis).
    from consortium_tenants.oai.openaire import RESOURCE_TYPES

    assert set(RESOURCE_TYPES) - set(ids) == set()
    assert RESOURCE_TYPES["publication-dissertation"][1] == "thesis"


def test_a_dissertation_is_reported_as_thesis_or_dissertation(app, client, make_tenant,
                                                              sushi_schema):
    tenant, people = make_tenant("thesis")
    draft = deposit(client, people["depositors"], tenant["community_id"], title="Disertace",
                    changes={"metadata": {"resource_type": {"id": "publication-dissertation"}}})
    recid = publish_in_library(client, people, tenant["community_id"], draft["id"])["id"]
    month = previous_month()
    browser = reader(app, "10.7.7.7", FIREFOX)
    with event_clock(datetime.fromisoformat(f"{month.isoformat()} 10:00:00")):
        assert browser.get(f"/records/{recid}").status_code == 200
    with event_clock(datetime.fromisoformat(f"{month.isoformat()} 10:01:00")):
        res = browser.get(f"/records/{recid}/files/work.pdf?download=1")
        assert res.status_code == 302
    process_events(app)
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month",
                              month.strftime("%Y-%m")])
    assert result.exit_code == 0, result.output
    res = client.post(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                      headers=people["managers"], json={"label": "harvester"})
    assert res.status_code == 201, res.json
    credentials = {k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}
    report = client.get("/api/sushi/r51/reports/ir", query_string={
        **credentials, **month_range(month), "data_type": "Thesis_or_Dissertation"}).json
    sushi_schema("IR", report)
    [item] = report["Report_Items"][0]["Items"]
    assert item["Item"] == "Disertace"
    [attributes] = item["Attribute_Performance"]
    assert attributes["Data_Type"] == "Thesis_or_Dissertation"
    assert attributes["Performance"]["Total_Item_Requests"] == {month.strftime("%Y-%m"): 1}
