"""Helpers of the statistics tests: the usage events' clock, readers, month ranges."""

from datetime import datetime, timedelta, timezone
from pathlib import Path
from unittest import mock

SUSHI_API = Path(__file__).resolve().parent / "schemas" / "counter-r5.1" / "COUNTER_SUSHI_API.json"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


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
