"""One daily usage history (tenants/history.py) that statistics and billing both read: a
month's deposits and storage are the same figures on the statistics page and REST, on the
statement and in the daily snapshots, whatever happens to the files after the day."""

import re
from decimal import Decimal

from billing_time import after_midnight, day, today
from helpers import browser_of, minimal_record, new_draft, publish_in_library, upload


def test_stats_and_statement_read_the_same_deposits_and_storage(app, client, make_tenant):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    tenant, people = make_tenant("history")
    slug, month = tenant["slug"], f"{today():%Y-%m}"
    body = {**minimal_record("Counted once"), "files": {"enabled": False}}
    res = client.post("/api/records", headers=people["depositors"], json=body)
    assert res.status_code == 201, res.json
    publish_in_library(client, people, tenant["community_id"], res.json["id"])
    draft = new_draft(client, people["depositors"])
    assert upload(client, people["depositors"], draft["id"], "a.txt",
                  b"a" * 2500).status_code == 200
    take_daily_snapshots(now=after_midnight(1))  # today is recorded, with the draft's file
    # The draft goes afterwards: the ledger forgets its bytes, the day's record keeps them.
    assert client.delete(f"/api/records/{draft['id']}/draft",
                         headers=people["depositors"]).status_code == 204

    snapshots = client.get(f"/api/tenants/{slug}/snapshots", headers=people["managers"],
                           query_string={"period": month}).json["hits"]
    assert [(s["day"], s["published"], s["bytes"]) for s in snapshots] == [(day(0), 1, 2500)]
    statement = client.get(f"/api/tenants/{slug}/statements", headers=people["managers"],
                           query_string={"period": month})
    assert statement.status_code == 200, statement.json
    billed = sum(Decimal(line["quantity"]) for line in statement.json["lines"]
                 if line["kind"] == "deposits")

    stats = client.get(f"/api/tenants/{slug}/stats", headers=people["managers"],
                       query_string={"from": month, "to": month, "interval": "month"})
    assert stats.status_code == 200, stats.json
    (row,) = stats.json["months"]
    assert (row["deposits"], row["storage_bytes"]) == (billed, 2500) == (1, 2500)
    assert stats.json["totals"]["deposits"] == 1

    manager = browser_of(app, people["managers_user"])
    for language in ("en", "cs"):
        html = manager.get(f"/libraries/{slug}/stats", query_string={"from": month, "to": month},
                           headers={"Accept-Language": language}).get_data(as_text=True)
        assert re.search(r'<td>1</td><td data-bytes="2500">', html)
