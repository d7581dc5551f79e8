"""IR and IR_A1 items name what they count (issue 32 §2): the record's DOI in Item_ID,
IR_A1's mandatory Authors, Publication_Date and Article_Version (IR: on request through
Attributes_To_Show), valid against the COUNTER_SUSHI API schema (tests/stats/schemas)."""

from datetime import datetime

from invenio_rdm_records.records.api import RDMRecord
from invenio_search import current_search_client
from invenio_search.utils import build_alias_name

from helpers import browser_of, deposit, invoke_cli, publish_in_library
from stats_helpers import (FIREFOX, event_clock, month_range, previous_month, process_events,
                           reader)

DOI = "10.5555/counter-items-1"


def person(given, family, orcid=None):
    entry = {"type": "personal", "given_name": given, "family_name": family}
    if orcid:
        entry["identifiers"] = [{"scheme": "orcid", "identifier": orcid}]
    return {"person_or_org": entry}


def test_item_reports_carry_doi_authors_date_and_article_version(app, client, make_tenant,
                                                                 sushi_schema):
    tenant, people = make_tenant("items")
    creators = [person("Jana", "Novakova", "0000-0002-1825-0097"), person("Petr", "Svoboda"),
                person("Eva", "Dvorakova"), person("Karel", "Cerny")]
    draft = deposit(client, people["depositors"], tenant["community_id"], title="Item details",
                    changes={"pids": {"doi": {"identifier": DOI, "provider": "external"}},
                             "metadata": {"creators": creators,
                                          "publication_date": "2026-03-14"}})
    recid = publish_in_library(client, people, tenant["community_id"], draft["id"])["id"]
    record_uuid = str(RDMRecord.pid.resolve(recid).id)
    month = previous_month()
    browser = reader(app, "10.8.8.8", FIREFOX)
    for clock, url in (("09:00:00", f"/records/{recid}"),
                       ("09:01:00", f"/records/{recid}/files/work.pdf?download=1"),
                       ("09:05:00", f"/records/{recid}/files/work.pdf?download=1")):
        with event_clock(datetime.fromisoformat(f"{month.isoformat()} {clock}")):
            assert browser.get(url).status_code in (200, 302), url
    process_events(app)
    key = month.strftime("%Y-%m")
    assert invoke_cli(app, ["tenants", "stats", "recompute", "--month", key]).exit_code == 0
    res = client.post(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                      headers=people["managers"], json={"label": "harvester"})
    assert res.status_code == 201, res.json
    credentials = {k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}

    def harvest(path, **params):
        res = client.get(f"/api/sushi/r51/reports/{path}",
                         query_string={**credentials, **month_range(month), **params})
        assert res.status_code == 200, res.json
        return res.json

    # The report is made of stored inputs: a record missing from the search index (a restore
    # not yet reindexed, an index lagging) still carries its DOI and authors.
    current_search_client.delete(index=build_alias_name(RDMRecord.index._name), id=record_uuid,
                                 refresh=True)
    report = sushi_schema("IR_A1", harvest("ir_a1"))
    [item] = report["Report_Items"][0]["Items"]
    assert item["Item_ID"] == {"DOI": DOI, "Proprietary": f"consortium:{recid}",
                               "URI": f"https://doi.org/{DOI}"}
    assert item["Authors"] == [{"Name": "Novakova, Jana", "ORCID": "0000-0002-1825-0097"},
                               {"Name": "Svoboda, Petr"}, {"Name": "Dvorakova, Eva"}]
    assert item["Publication_Date"] == "2026-03-14"
    assert item["Article_Version"] == "VoR"  # the publisher's DOI: the version of record
    assert item["Attribute_Performance"] == [{"Access_Type": "Open", "Performance": {
        "Total_Item_Requests": {key: 2}, "Unique_Item_Requests": {key: 1}}}]

    report = sushi_schema("IR", harvest("ir"))
    [item] = report["Report_Items"][0]["Items"]
    assert item["Item_ID"]["DOI"] == DOI
    assert not {"Authors", "Publication_Date", "Article_Version"} & set(item)
    report = sushi_schema("IR", harvest(
        "ir", attributes_to_show="Authors|Publication_Date|Article_Version"))
    [item] = report["Report_Items"][0]["Items"]
    assert (len(item["Authors"]), item["Publication_Date"], item["Article_Version"]) == (
        3, "2026-03-14", "VoR")
    assert "Exceptions" not in report["Report_Header"]

    # The same report as TSV (the library's statistics page offers it to its managers).
    manager = browser_of(app, people["managers_user"])
    tsv = manager.get(f"/libraries/{tenant['slug']}/counter/ir_a1.tsv",
                      query_string=month_range(month)).get_data(as_text=True)
    assert "Novakova, Jana (ORCID:0000-0002-1825-0097); Svoboda, Petr" in tsv
    assert f"\t{DOI}\t" in tsv and "\tVoR\t" in tsv

    # Exclude_Monthly_Details (R5.1, tabular reports): the period's total, no month columns.
    lines = [line.split("\t") for line in tsv.split("\r\n")]
    assert next(line for line in lines if line[0] == "Item")[-1] == month.strftime("%b-%Y")
    res = manager.get(f"/libraries/{tenant['slug']}/counter/ir_a1.tsv",
                      query_string={**month_range(month), "exclude_monthly_details": "True"})
    assert res.status_code == 200
    lines = [line.split("\t") for line in res.get_data(as_text=True).split("\r\n")]
    assert ["Report_Attributes", "Exclude_Monthly_Details=True"] in lines
    assert ["Exceptions", ""] in lines  # not 3050
    assert next(line for line in lines if line[0] == "Item")[-2:] == [
        "Metric_Type", "Reporting_Period_Total"]
    assert [line[-2:] for line in lines if line[0] == "Item details"] == [
        ["Total_Item_Requests", "2"], ["Unique_Item_Requests", "1"]]
    res = manager.get(f"/libraries/{tenant['slug']}/counter/ir_a1.tsv",
                      query_string={**month_range(month), "exclude_monthly_details": "Yes"})
    assert res.status_code == 400
    assert res.get_data(as_text=True) == "3062: Invalid ReportAttribute Value"
