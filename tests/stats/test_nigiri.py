"""An independent SUSHI client, celus-nigiri (Celus, tests/stats/nigiri), harvests every
report the platform lists over HTTP, before any month is processed and after one is (issue
32): nigiri reads each without a parse error, the exceptions it reads are the report's,
its counts equal ours and the clicks', and the COUNTER_SUSHI API schema accepts each answer.
"""

from collections import Counter
from datetime import datetime, timedelta

import pytest

from helpers import deposit, invoke_cli, publish_in_library
from stats_helpers import (FIREFOX, GOOGLEBOT, event_clock, exception_codes, harvest_all,
                           nigiri_codes, nigiri_counts, our_counts, previous_month,
                           process_events, reader)

WORKS = {"article": "publication-article", "book": "publication-book",
         "dataset": "dataset", "thesis": "publication-dissertation"}


@pytest.fixture(scope="module")
def demo_like(app, make_tenant):
    """A library with the demo's kinds of works (an article, a book, a data set, a thesis),
    used last month over HTTP: reader 1 opens each work's page and downloads its file, reader
    2 opens the article's page, a robot opens everything; nothing processed yet.

    COUNTER per work: article 3 investigations (2 unique) and 1 request (1 unique); every
    other work 2 investigations (1 unique), 1 request (1 unique)."""
    client = app.test_client()
    tenant, people = make_tenant("nigiri")
    works = {}
    for name, resource_type in WORKS.items():
        draft = deposit(client, people["depositors"], tenant["community_id"],
                        title=f"Nigiri {name}", content=b"%PDF nigiri",
                        changes={"metadata": {"resource_type": {"id": resource_type}}})
        works[name] = publish_in_library(client, people, tenant["community_id"],
                                         draft["id"])["id"]
    month = previous_month()
    first, second = reader(app, "10.7.1.1", FIREFOX), reader(app, "10.7.1.2", FIREFOX)
    robot = reader(app, "10.7.9.9", GOOGLEBOT)
    clicks = []
    for name, recid in works.items():
        clicks += [(first, f"/records/{recid}"),
                   (first, f"/records/{recid}/files/work.pdf?download=1"),
                   (robot, f"/records/{recid}")]
    clicks.append((second, f"/records/{works['article']}"))
    start = datetime.fromisoformat(f"{month.isoformat()} 10:00:00")
    for minute, (browser, url) in enumerate(clicks):
        with event_clock(start + timedelta(minutes=minute)):
            res = browser.get(url)
            assert res.status_code in (200, 302), (url, res.status_code)
    process_events(app)
    res = client.post(f"/api/tenants/{tenant['slug']}/sushi-credentials",
                      headers=people["managers"], json={"label": "Celus"})
    assert res.status_code == 201, res.json
    credentials = {k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}
    return {"tenant": tenant, "works": works, "month": month, "credentials": credentials}


def test_nigiri_reads_every_report_before_and_after_a_month_is_processed(
        app, client, http_server, nigiri, sushi_schema, demo_like):
    from consortium_tenants.stats.models import ProcessedMonth
    from invenio_db import db

    # Before any month is processed: every report says so (3031), nigiri reads that and
    # nothing else; no records.
    saved = [(m.month, m.computed_at) for m in ProcessedMonth.query]
    ProcessedMonth.query.delete()
    db.session.commit()
    try:
        read, answers = harvest_all(client, http_server, nigiri, sushi_schema, demo_like)
    finally:
        for month, computed_at in saved:
            db.session.add(ProcessedMonth(month=month, computed_at=computed_at))
        db.session.commit()
    for report_id, report in answers.items():
        assert report["Report_Items"] == [], report_id
        assert "3031" in exception_codes(report), report
        assert nigiri_codes(read[report_id]) == exception_codes(report), read[report_id]
        assert read[report_id]["records"] == []
        assert not any(e["message"].startswith("Transport error")
                       for e in read[report_id]["errors"])

    # The month processed: no exception nigiri counts as an error or a warning, its counts
    # are ours, and ours are the clicks'.
    month = demo_like["month"].strftime("%Y-%m")
    result = invoke_cli(app, ["tenants", "stats", "recompute", "--month", month])
    assert result.exit_code == 0, result.output
    read, answers = harvest_all(client, http_server, nigiri, sushi_schema, demo_like)
    for report_id, report in answers.items():
        got = read[report_id]
        assert got["errors"] == [] and got["warnings"] == [], (report_id, got)
        assert nigiri_codes(got) == exception_codes(report), (report_id, got)
        assert nigiri_counts(got) == our_counts(report), report_id
        assert got["records"], report_id

    def total(report_id, metric):
        return sum(n for (m, _, _), n in nigiri_counts(read[report_id]).items() if m == metric)

    assert {m: total("PR", m) for m in ("Total_Item_Investigations", "Unique_Item_Investigations",
                                        "Total_Item_Requests", "Unique_Item_Requests")} == {
        "Total_Item_Investigations": 9, "Unique_Item_Investigations": 5,
        "Total_Item_Requests": 4, "Unique_Item_Requests": 4}
    assert total("PR_P1", "Total_Item_Requests") == 4
    assert {r["metric"] for r in read["PR_P1"]["records"]} <= {
        "Total_Item_Requests", "Unique_Item_Requests", "Searches_Platform"}
    # IR: one item per work, each with its own counts, as nigiri reads its id and name.
    per_item = Counter()
    for record in read["IR"]["records"]:
        per_item[record["item_ids"].get("Proprietary"), record["metric"]] += record["value"]
    namespace = app.config["CONSORTIUM_SUSHI_NAMESPACE"]
    for name, recid in demo_like["works"].items():
        key = f"{namespace}:{recid}"
        assert per_item[key, "Total_Item_Investigations"] == (3 if name == "article" else 2)
        assert per_item[key, "Unique_Item_Requests"] == 1
    items = {r["item"] for r in read["IR"]["records"]}
    assert items == {f"Nigiri {name}" for name in WORKS}
    # IR_A1: the article alone, with the authors nigiri reads.
    assert {r["item"] for r in read["IR_A1"]["records"]} == {"Nigiri article"}
    assert {tuple(r["item_authors"] or ()) for r in read["IR_A1"]["records"]} == {
        ("Nováková, Jana",)}
    assert total("IR_A1", "Total_Item_Requests") == 1
