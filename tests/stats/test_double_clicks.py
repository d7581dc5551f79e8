"""COUNTER double clicks: a sliding 30-second window per visitor, item and kind of event."""

from datetime import datetime

from helpers import deposit, invoke_cli, publish_in_library
from stats_helpers import FIREFOX, event_clock, previous_month, process_events, reader


def test_double_clicks_use_a_sliding_30_second_window(app, client, make_tenant):
    tenant, people = make_tenant("dclick")
    draft = deposit(client, people["depositors"], tenant["community_id"], title="Clicks",
                    content=b"%PDF clicks")
    recid = publish_in_library(client, people, tenant["community_id"], draft["id"])["id"]
    page, download = f"/records/{recid}", f"/records/{recid}/files/work.pdf?download=1"
    month = previous_month()
    first, second = reader(app, "10.3.0.1", FIREFOX), reader(app, "10.3.0.2", FIREFOX)
    clicks = [
        # :25 and :35 fall in two fixed 30 s slots, but are 10 s apart: one view
        ("10:00:25", first, page), ("10:00:35", first, page),
        # a download between them is another kind of event: it counts
        ("10:00:30", first, download),
        # 31 s apart: two views
        ("10:02:00", first, page), ("10:02:31", first, page),
        # a chain 20 s apart each (100 s in all): one view
        ("10:05:00", first, page), ("10:05:20", first, page), ("10:05:40", first, page),
        ("10:06:00", first, page), ("10:06:20", first, page),
        # downloads 29 s apart: one
        ("10:10:00", first, download), ("10:10:29", first, download),
        # another visitor in the same second as the first one's view: counts
        ("10:00:25", second, page),
    ]
    for clock, browser, url in clicks:
        with event_clock(datetime.fromisoformat(f"{month.isoformat()} {clock}")):
            assert browser.get(url).status_code == (200 if url == page else 302), url
    process_events(app)
    key = month.strftime("%Y-%m")
    assert invoke_cli(app, ["tenants", "stats", "recompute", "--month", key]).exit_code == 0

    res = client.get(f"/api/tenants/{tenant['slug']}/stats", headers=people["managers"],
                     query_string={"from": key, "to": key, "interval": "month"})
    assert res.status_code == 200, res.json
    # views: 1 + 2 + 1 (first) + 1 (second); downloads 1 + 1; sessions: two visitors
    assert res.json["months"] == [{"month": key, "views": 5, "downloads": 2,
                                   "unique_visits": 2, "deposits": 0, "storage_bytes": 0}]
