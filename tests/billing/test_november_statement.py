"""A November statement from daily snapshots of real uploads and deletions, by hand.

Sizes are declared through the deposit API (a multipart upload reserves its
declared size in the library's usage at init), so 10 GB count without 10 GB
being sent; the deletion is the deposit API's too.
"""

from decimal import Decimal

from helpers import minimal_record, new_draft, publish_in_library

from billing_time import GB, on


def reserve(client, headers, draft_id, key, size):
    """Declare KEY of SIZE bytes as a two-part multipart upload (charged at init)."""
    part = -(-size // 2)
    entry = {"key": key, "size": size, "transfer": {"type": "M", "parts": 2, "part_size": part}}
    res = client.post(f"/api/records/{draft_id}/draft/files", headers=headers, json=[entry])
    assert res.status_code == 201, res.json


def delete_file(client, headers, draft_id, key):
    res = client.delete(f"/api/records/{draft_id}/draft/files/{key}", headers=headers)
    assert res.status_code == 204, res.json


def publish_metadata_only(client, people, community_id, title):
    body = minimal_record(title)
    body["files"] = {"enabled": False}
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    return publish_in_library(client, people, community_id, res.json["id"])


def usage_bytes(client, people, slug):
    return client.get(f"/api/tenants/{slug}/usage", headers=people["managers"]).json[
        "storage"]["bytes"]


def statement(client, headers, slug, period="2026-11", **args):
    return client.get(f"/api/tenants/{slug}/statements", headers=headers,
                      query_string={"period": period, **args})


def lines_of(data):
    return [(l["kind"], l["from"], l["to"], l["days"], l["quantity"], l["unit_price"],
             l["amount"], l["vat"]) for l in data["lines"]]


NOVEMBER_TARIFFS = [
    {"effective_from": "2026-11-01", "price_gb_month": "2.00", "price_deposit": "15.00",
     "member_fee_year": "6000.00", "vat_rate": "0.21"},
    {"effective_from": "2026-11-10", "price_gb_month": "3.00", "price_deposit": "15.00",
     "member_fee_year": "6000.00", "vat_rate": "0.21"},
]


def test_november_statement_matches_the_hand_computed_one(
    client, big_library, tariffs, daily_snapshots, admin_headers
):
    for tariff in NOVEMBER_TARIFFS:
        tariffs(**tariff)
    a, a_people = big_library("bill-a")  # 10 GB on days 1-15
    b, b_people = big_library("bill-b")  # 6 GB + 1 GB, the 6 GB deleted on day 20
    a_draft = new_draft(client, a_people["depositors"])
    reserve(client, a_people["depositors"], a_draft["id"], "scan.tif", 10 * GB)
    b_draft = new_draft(client, b_people["depositors"])
    reserve(client, b_people["depositors"], b_draft["id"], "big.tif", 6 * GB)
    reserve(client, b_people["depositors"], b_draft["id"], "small.tif", 1 * GB)
    assert usage_bytes(client, a_people, a["slug"]) == 10 * GB
    assert usage_bytes(client, b_people, b["slug"]) == 7 * GB

    daily_snapshots(1, 4)
    with on(5):
        publish_metadata_only(client, a_people, a["community_id"], "Published on day 5")
    daily_snapshots(5, 11)
    with on(12, hour=8):
        publish_metadata_only(client, a_people, a["community_id"], "Published on day 12")
    daily_snapshots(12, 15)
    daily_snapshots(12, 13)  # taken again: each day keeps its one snapshot
    delete_file(client, a_people["depositors"], a_draft["id"], "scan.tif")
    assert usage_bytes(client, a_people, a["slug"]) == 0
    daily_snapshots(16, 19)
    delete_file(client, b_people["depositors"], b_draft["id"], "big.tif")
    daily_snapshots(20, 30)

    res = client.get(f"/api/tenants/{b['slug']}/snapshots", headers=b_people["managers"],
                     query_string={"period": "2026-11"})
    assert res.status_code == 200, res.json
    days = {s["day"]: s for s in res.json["hits"]}
    assert len(days) == 30
    assert (days["2026-11-19"]["bytes"], days["2026-11-20"]["bytes"]) == (7 * GB, 1 * GB)
    assert days["2026-11-20"]["members"] == 3
    a_days = {s["day"]: s for s in client.get(
        f"/api/tenants/{a['slug']}/snapshots", headers=a_people["managers"],
        query_string={"period": "2026-11"}).json["hits"]}
    assert [d for d, s in sorted(a_days.items()) if s["published"]] == [
        "2026-11-05", "2026-11-12"]
    assert (a_days["2026-11-04"]["records"], a_days["2026-11-30"]["records"]) == (0, 2)
    assert (a_days["2026-11-15"]["bytes"], a_days["2026-11-16"]["bytes"]) == (10 * GB, 0)

    # Library A by hand: 10 GB on days 1-9 at 2.00 (9*10/30 = 3 GB-months) and on days
    # 10-15 at 3.00 (6*10/30 = 2): 5 GB-months in all; one deposit under each tariff;
    # member fee 6000/12 = 500 a month, 9/30 and 21/30 of it; VAT 21 %.
    with on(30, hour=20):  # November is still open
        res = statement(client, a_people["managers"], a["slug"])
        data_b = statement(client, b_people["managers"], b["slug"]).json
    assert res.status_code == 200, res.json
    data = res.json
    assert lines_of(data) == [
        ("storage", "2026-11-01", "2026-11-09", 9, "3.0000", "2.0000", "6.00", "1.26"),
        ("deposits", "2026-11-01", "2026-11-09", 9, "1.0000", "15.0000", "15.00", "3.15"),
        ("member_fee", "2026-11-01", "2026-11-09", 9, "0.3000", "500.0000", "150.00", "31.50"),
        ("storage", "2026-11-10", "2026-11-30", 21, "2.0000", "3.0000", "6.00", "1.26"),
        ("deposits", "2026-11-10", "2026-11-30", 21, "1.0000", "15.0000", "15.00", "3.15"),
        ("member_fee", "2026-11-10", "2026-11-30", 21, "0.7000", "500.0000", "350.00",
         "73.50"),
    ]
    assert data["totals"] == {"net": "542.00", "vat": "113.82", "gross": "655.82"}
    assert sum(Decimal(l["quantity"]) for l in data["lines"] if l["kind"] == "storage") == 5
    assert (data["currency"], data["days"], data["final"]) == ("CZK", 30, False)

    # Library B: 7 GB on days 1-19, 1 GB on days 20-30: (9*7)/30 = 2.1 GB-months at 2.00,
    # (10*7 + 11*1)/30 = 2.7 at 3.00: the deletion on day 20 shows.
    data = data_b
    storage = [(l["quantity"], l["amount"]) for l in data["lines"] if l["kind"] == "storage"]
    assert storage == [("2.1000", "4.20"), ("2.7000", "8.10")]
    assert data["totals"]["net"] == "512.30"  # 4.20 + 150 + 8.10 + 350

    # December 1st: November is closed, its statement issued and frozen.
    with on(1, 12):
        issued = statement(client, a_people["managers"], a["slug"]).json
        assert issued["final"] is True
        assert issued["totals"] == {"net": "542.00", "vat": "113.82", "gross": "655.82"}
        res = client.post("/api/billing/tariffs", headers=admin_headers, json={
            **NOVEMBER_TARIFFS[1], "price_gb_month": "30.00"})
        assert res.status_code == 201
        assert statement(client, a_people["managers"], a["slug"]).json == issued
        # The open quarter is computed anew with the changed tariff: 2 GB-months at 30.
        quarter = statement(client, a_people["managers"], a["slug"], "2026-Q4").json
        assert quarter["final"] is False
        assert [l["amount"] for l in quarter["lines"] if l["kind"] == "storage"] == [
            "6.00", "60.00"]

    # The accountant's summary of all libraries for November (CSV).
    with on(2, 12):
        res = client.get("/api/billing/summary", headers=admin_headers,
                         query_string={"period": "2026-11"})
    assert res.status_code == 200
    assert res.mimetype == "text/csv"
    rows = res.get_data(as_text=True).splitlines()
    assert rows[0] == "slug,name,period,gb_month,deposits,net,vat,gross,currency,final"
    assert f"{a['slug']},Library {a['slug']},2026-11,5.0000,2,542.00,113.82,655.82,CZK,yes" in rows
