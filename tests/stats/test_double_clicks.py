"""COUNTER double clicks: a sliding 30-second window per visitor, item and kind of event."""

from datetime import datetime, timedelta

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
                                   "unique_visits": 2, "deposits": 0, "storage_bytes": None}]


def test_events_are_kept_when_redis_cannot_be_reached(app, client, make_tenant):
    """Fail open: while Redis is unreachable the double-click check is skipped and every
    event is indexed (invenio-stats dropped them for good); a double click then counts twice."""
    tenant, people = make_tenant("nordis")
    draft = deposit(client, people["depositors"], tenant["community_id"], title="No Redis",
                    content=b"%PDF no redis")
    recid = publish_in_library(client, people, tenant["community_id"], draft["id"])["id"]
    month = previous_month()
    browser = reader(app, "10.3.9.9", FIREFOX)
    for clock, url in (("11:00:00", f"/records/{recid}"), ("11:00:10", f"/records/{recid}"),
                       ("11:01:00", f"/records/{recid}/files/work.pdf?download=1")):
        with event_clock(datetime.fromisoformat(f"{month.isoformat()} {clock}")):
            assert browser.get(url).status_code in (200, 302), url
    working = app.config["CACHE_REDIS_URL"]
    app.config["CACHE_REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    try:
        process_events(app)
    finally:
        app.config["CACHE_REDIS_URL"] = working
    key = month.strftime("%Y-%m")
    assert invoke_cli(app, ["tenants", "stats", "recompute", "--month", key]).exit_code == 0
    res = client.get(f"/api/tenants/{tenant['slug']}/stats", headers=people["managers"],
                     query_string={"from": key, "to": key, "interval": "month"})
    assert res.status_code == 200, res.json
    assert (res.json["months"][0]["views"], res.json["months"][0]["downloads"]) == (2, 1)


def test_the_last_click_of_a_double_click_counts_in_either_order(app, client, make_tenant):
    """COUNTER R5.1 7.2: of two clicks less than 30 s apart the first is removed and the
    second kept. Views at 23:59:50 on the last day of a month and 00:00:05 on the first of
    the next count once, in the later month, whether the earlier or the later click is
    processed first (the first-kept rule counted them where the first processed one was)."""
    tenant, people = make_tenant("lastclk")
    recids = []
    for title in ("Early first", "Late first"):
        draft = deposit(client, people["depositors"], tenant["community_id"], title=title,
                        content=b"%PDF last click")
        recids.append(publish_in_library(client, people, tenant["community_id"],
                                         draft["id"])["id"])
    later = previous_month()
    earlier = (later - timedelta(days=1)).replace(day=1)
    late = datetime.combine(later, datetime.min.time()) + timedelta(seconds=5)
    early = late - timedelta(seconds=15)
    browser, other = reader(app, "10.3.7.1", FIREFOX), reader(app, "10.3.7.2", FIREFOX)

    def view(who, recid, moment):
        with event_clock(moment):
            assert who.get(f"/records/{recid}").status_code == 200

    view(other, recids[0], early - timedelta(hours=1))  # another reader, earlier month
    view(browser, recids[0], early)  # the earlier click processed first (one batch)
    view(browser, recids[0], late)
    process_events(app)
    view(browser, recids[1], late)  # the later click processed first, then the earlier
    process_events(app)
    view(browser, recids[1], early)
    process_events(app)

    months = {}
    for month in (earlier, later):
        key = month.strftime("%Y-%m")
        assert invoke_cli(app, ["tenants", "stats", "recompute", "--month", key]).exit_code == 0
        res = client.get(f"/api/tenants/{tenant['slug']}/stats", headers=people["managers"],
                         query_string={"from": key, "to": key, "interval": "month"})
        assert res.status_code == 200, res.json
        months[key] = res.json["months"][0]["views"]
    # the earlier month: only the other reader's view; the later: one view of each record
    assert months == {earlier.strftime("%Y-%m"): 1, later.strftime("%Y-%m"): 2}
