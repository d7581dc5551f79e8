"""Helpers of the statistics tests: the usage events' clock, readers, month ranges, an
independent SUSHI client's harvest (celus-nigiri: the `nigiri` fixture, tests/conftest.py)."""

from collections import Counter
from datetime import datetime, timedelta, timezone
from unittest import mock
from urllib.parse import parse_qsl, urlsplit

from helpers import SUSHI_API  # noqa: F401  (the statistics tests import it from here)

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
SUSHI = "/api/sushi/r51"


def previous_month():
    """The first day of the month before this one."""
    first = datetime.now(timezone.utc).date().replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def process_events(app):
    """Index the queued usage events (invenio-stats' Celery task, run here) and refresh."""
    from invenio_search import current_search_client
    from invenio_search.utils import prefix_index
    from invenio_stats.tasks import process_events as task

    task(["record-view", "file-download", "search"])
    current_search_client.indices.refresh(index=prefix_index("events-stats-*"))


def event_clock(moment):
    """The clock of InvenioRDM's usage-event builders shows MOMENT (a naive UTC datetime).

    Only the events' timestamps move (the clicks "happen" then); the application
    keeps the real time.
    """
    from invenio_rdm_records.resources.stats import event_builders

    class Clock(datetime):
        @classmethod
        def now(cls, tz=None):
            return moment.replace(tzinfo=tz) if tz else moment

    return mock.patch.object(event_builders, "datetime", Clock)


def reader(app, address, agent):
    """A browser at IP ADDRESS with user agent AGENT (anonymous)."""
    client = app.test_client()
    client.environ_base.update({"REMOTE_ADDR": address, "HTTP_USER_AGENT": agent})
    return client


def month_range(month):
    """begin_date and end_date of one whole month."""
    return {"begin_date": month.strftime("%Y-%m"), "end_date": month.strftime("%Y-%m")}


def ours(client, sushi_schema, report_id, url):
    """Our answer to the request nigiri made (its URL), checked against the API schema."""
    parts = urlsplit(url)
    res = client.get(parts.path, query_string=dict(parse_qsl(parts.query)))
    assert res.status_code == 200, (url, res.status_code, res.json)
    return sushi_schema(report_id, res.json)


def our_counts(report):
    """{(metric, month, Data_Type): count} of a report's JSON."""
    counts = Counter()
    for entry in report["Report_Items"]:
        for item in entry.get("Items", [entry]):  # item reports: Items of a parent group
            for attributes in item["Attribute_Performance"]:
                for metric, months in attributes["Performance"].items():
                    for month, count in months.items():
                        counts[metric, month, attributes.get("Data_Type")] += count
    return counts


def nigiri_counts(read):
    """{(metric, month, Data_Type): count} of nigiri's records."""
    counts = Counter()
    for record in read["records"]:
        counts[record["metric"], record["month"],
               record["dimension_data"].get("Data_Type")] += record["value"]
    return counts


def harvest_all(client, http_server, nigiri, sushi_schema, demo_like):
    """Every report /reports lists, as nigiri read it and as we answered it."""
    credentials = demo_like["credentials"]
    listed = sushi_schema("[Report]", client.get(f"{SUSHI}/reports",
                                                 query_string=credentials).json)
    report_ids = [r["Report_ID"] for r in listed]
    assert {"PR", "PR_P1", "IR", "IR_A1"} <= set(report_ids), report_ids
    month = demo_like["month"].strftime("%Y-%m")
    read = nigiri(f"{http_server}{SUSHI}", credentials, report_ids, month, month)
    assert sorted(read) == sorted(report_ids)
    answers = {}
    for report_id in report_ids:
        assert read[report_id]["http_status"] == 200, read[report_id]
        assert urlsplit(read[report_id]["url"]).path == f"{SUSHI}/reports/{report_id.lower()}"
        answers[report_id] = ours(client, sushi_schema, report_id, read[report_id]["url"])
        assert read[report_id]["report_id"] == report_id
    return read, answers


def exception_codes(report):
    return sorted(str(e["Code"]) for e in report["Report_Header"].get("Exceptions", []))


def nigiri_codes(read):
    return sorted(e["code"] for kind in ("errors", "warnings", "infos") for e in read[kind])
