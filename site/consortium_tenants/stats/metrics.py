"""Monthly COUNTER metrics per item and library, computed from the processed events.

For each month, every (library, item, Access_Type, YOP, Data_Type) gets:

* Total_Item_Investigations: landing-page views and file downloads;
* Total_Item_Requests: file downloads;
* Unique_Item_Investigations / Unique_Item_Requests: the user sessions
  (`unique_session_id`) with at least one of those;

and every library its Searches_Platform per day (`SearchDay`, `searches.py`).

Events are already filtered (robots, double clicks) when they are indexed.
Computing a month (service.StatsService.compute_month, one unit of work) replaces its
rows, so it can be run again at will. A month is
processed (reported by SUSHI) only once it has ended and its events are drained
(`month_is_final`); before that its rows are preliminary. A month
whose event indices are missing (not restored, deleted) raises MissingEventIndex
and leaves the stored rows as they are: a missing index is never an empty month
(one kind's index may be absent only while the month counts none of that kind).
"""

from collections import defaultdict
from datetime import date, datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_db import db
from invenio_records_resources.proxies import current_service_registry
from invenio_search import current_search_client
from invenio_search.utils import prefix_index
from sqlalchemy import func

from .. import units
from .models import ItemMonthUsage, ProcessedMonth, SearchDay
from .searches import searches_of_month

KEY_FIELDS = ("tenant_id", "recid", "access_type", "yop", "data_type")
EVENT_INDICES = {"record-view": "events-stats-record-view",
                 "file-download": "events-stats-file-download"}
SEARCH_INDEX = "events-stats-search"
PAGE_SIZE = 1000


class MissingEventIndex(Exception):
    """The events index of a month does not exist: its metrics cannot be computed."""

    def __init__(self, month, indices):
        self.month = month
        self.indices = indices
        super().__init__(f"{month.strftime('%Y-%m')}: no events index {', '.join(indices)} "
                         "(restore it, or its month cannot be computed; stored metrics kept)")


def parse_month(text):
    """`YYYY-MM` → the first day of that month; ValueError if it is not one (ASCII
    digits, a year whose next month is still a date: units.parse_month)."""
    return units.parse_month(text)


def next_month(month):
    """The first day of the month after MONTH."""
    return month.replace(day=1) + relativedelta(months=1)


def month_index(name, month):
    """The events index of NAME (`record-view`…) in MONTH (invenio-stats: one per month)."""
    return prefix_index(f"{EVENT_INDICES.get(name, f'events-stats-{name}')}-"
                        f"{month.strftime('%Y-%m')}")


def searches_in_month(month):
    """{(library id, day): searches} of MONTH from its search events; {} when the month
    has no search events index and none are stored (no search yet), MissingEventIndex
    when its index is missing but the month's stored days count searches."""
    index = month_index("search", month)
    if not current_search_client.indices.exists(index=index):
        stored = SearchDay.query.filter(SearchDay.day >= month, SearchDay.day < next_month(month),
                                        SearchDay.searches > 0).count()
        if stored:
            raise MissingEventIndex(month, [index])
        return {}
    return searches_of_month(index, month, next_month(month))


def check_event_indices(month):
    """The kinds (`record-view`…) whose index of MONTH exists; MissingEventIndex when
    neither exists, or one is missing while MONTH's stored metrics count its kind (a
    restore without it): a month with views and no downloads yet is not an error."""
    missing = [name for name in EVENT_INDICES
               if not current_search_client.indices.exists(index=month_index(name, month))]
    if missing:
        stored = ItemMonthUsage.query.with_entities(
            func.coalesce(func.sum(ItemMonthUsage.total_investigations
                                   - ItemMonthUsage.total_requests), 0),
            func.coalesce(func.sum(ItemMonthUsage.total_requests), 0),
        ).filter(ItemMonthUsage.month == month).one()
        counted = {"record-view": stored[0] > 0, "file-download": stored[1] > 0}
        if len(missing) == len(EVENT_INDICES) or any(counted[name] for name in missing):
            raise MissingEventIndex(month, [month_index(name, month) for name in missing])
    return [name for name in EVENT_INDICES if name not in missing]


def _session_buckets(index, month):
    """(key fields…, session) → events, over one events index in MONTH (composite paging)."""
    query = {"bool": {"filter": [
        {"range": {"timestamp": {"gte": month.isoformat(), "lt": next_month(month).isoformat()}}},
        {"exists": {"field": "tenant_id"}},
    ], "must_not": [{"term": {"tenant_id": ""}}, {"term": {"is_robot": True}}]}}
    sources = [{f: {"terms": {"field": f}}} for f in (*KEY_FIELDS, "unique_session_id")]
    after = None
    while True:
        composite = {"size": PAGE_SIZE, "sources": sources, **({"after": after} if after else {})}
        body = {"size": 0, "query": query, "aggs": {"usage": {"composite": composite}}}
        result = current_search_client.search(index=index, body=body)
        usage = result.get("aggregations", {}).get("usage")
        if not usage or not usage["buckets"]:
            return
        for bucket in usage["buckets"]:
            key = bucket["key"]
            yield tuple(key[f] for f in KEY_FIELDS), key["unique_session_id"], bucket["doc_count"]
        after = usage.get("after_key")
        if after is None:
            return


def usage_of_month(month):
    """Key → {metric: count} for MONTH, from the record-view and file-download events.

    MissingEventIndex if an events index of MONTH does not exist.
    """
    present = check_event_indices(month)
    totals = defaultdict(lambda: {"views": 0, "downloads": 0,
                                  "view_sessions": set(), "download_sessions": set()})
    for name, kind in (("record-view", "views"), ("file-download", "downloads")):
        if name not in present:  # no event of this kind in the month yet
            continue
        for key, session, count in _session_buckets(month_index(name, month), month):
            totals[key][kind] += count
            totals[key]["view_sessions" if kind == "views" else "download_sessions"].add(session)
    return {
        key: {
            "total_investigations": t["views"] + t["downloads"],
            "unique_investigations": len(t["view_sessions"] | t["download_sessions"]),
            "total_requests": t["downloads"],
            "unique_requests": len(t["download_sessions"]),
        }
        for key, t in totals.items()
    }


def title_of(recid):
    """The record's current title (its id if it is gone)."""
    try:
        record = current_service_registry.get("records").read(system_identity, recid)
        return record.data["metadata"]["title"]
    except Exception:  # deleted or withdrawn records keep their usage, under their id
        return recid


def month_is_final(month, now=None):
    """Whether MONTH has ended and CONSORTIUM_STATS_MONTH_CLOSE_DELAY has passed since."""
    now = now or datetime.now(timezone.utc).replace(tzinfo=None)
    delay = timedelta(seconds=current_app.config["CONSORTIUM_STATS_MONTH_CLOSE_DELAY"])
    return now >= datetime.combine(next_month(month), datetime.min.time()) + delay


def store_month(month, usage, progress=None):
    """Replace MONTH's rows by USAGE (of `usage_of_month`); returns the number of rows.

    PROGRESS (optional) is called with the number of rows written, as they are.
    The month's searches per library and day (`SearchDay`) are replaced too. Written in
    the caller's unit of work (service.StatsService.store_month), never committed here.
    """
    searches = searches_in_month(month)
    ItemMonthUsage.query.filter_by(month=month).delete()
    SearchDay.query.filter(SearchDay.day >= month, SearchDay.day < next_month(month)).delete()
    for (tenant_id, day), count in searches.items():
        db.session.add(SearchDay(day=date.fromisoformat(day), tenant_id=tenant_id,
                                 searches=count))
    titles = {}
    for key, metrics in usage.items():
        values = dict(zip(KEY_FIELDS, key))
        recid = values["recid"]
        if recid not in titles:
            titles[recid] = title_of(recid)
        db.session.add(ItemMonthUsage(month=month, title=titles[recid], **values, **metrics))
        if progress:
            progress(1)
    processed = db.session.get(ProcessedMonth, month)
    if month_is_final(month):
        processed = processed or ProcessedMonth(month=month)
        processed.computed_at = datetime.now(timezone.utc).replace(tzinfo=None)
        db.session.add(processed)
    elif processed is not None:  # preliminary: its rows are stored, SUSHI does not report it
        db.session.delete(processed)
    db.session.flush()
    return len(usage)
