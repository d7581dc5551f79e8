"""COUNTER Searches_Platform: search events, counted per library and day.

One definition of a search: a GET of a search results endpoint
(`SEARCH_ENDPOINTS`: the records search and a community's records, which the
search pages of the consortium and of every library call) answered 200, asking
for the first page (another page of the same results is not a new search), by
a visitor who is not a robot of the COUNTER list. The same search (same query,
filters and sort) of one visitor less than 30 s after the last is a double
click (R5.1 7.2). A search belongs to the library of the host it is made on,
else to the library whose community it searches; a search of all libraries on
the consortium's host belongs to no library's platform and is not reported.

invenio-stats' machinery carries it as the other usage events: the Flask
`request_finished` signal → `search_event` (builder) → the `stats-search`
queue → `process_events` (robots, double clicks, anonymisation) → the index
`events-stats-search-YYYY-MM`; `searches_of_month` sums it per library and day
into `SearchDay` rows when a month is computed.
"""

import hashlib
from datetime import datetime, timezone

from flask import g, request
from invenio_search import current_search_client
from invenio_stats.utils import get_user

from ..tenants.models import TenantModel

SEARCH_ENDPOINTS = {"records.search", "community-records.search"}
"""Flask endpoints (of the API app) whose answer is a page of search results."""

NOT_THE_QUERY = {"page", "size"}
"""Arguments that do not make another search (paging through the same results)."""


def now():
    """The events' clock (naive UTC)."""
    return datetime.now(timezone.utc).replace(tzinfo=None)


def searched_library(view_args):
    """The library a search belongs to: the host's, else the one of the community searched."""
    tenant = g.get("tenant")
    if tenant is not None:
        return tenant.id
    community = (view_args or {}).get("pid_value")
    if not community:
        return None
    column = (TenantModel.slug if not _is_uuid(community) else TenantModel.community_id)
    row = TenantModel.query.filter(column == community).one_or_none()
    return row.id if row else None


def _is_uuid(text):
    return len(text) == 36 and text.count("-") == 4


def search_event(event, sender_app, response=None, **kwargs):
    """Event builder (Flask's `request_finished`): a search event, or None if the
    request is not a search by the definition above."""
    if (request.method != "GET" or request.endpoint not in SEARCH_ENDPOINTS
            or response is None or response.status_code != 200
            or request.args.get("page", "1") != "1"):
        return None
    query = sorted((k, v) for k, v in request.args.items(multi=True) if k not in NOT_THE_QUERY)
    search = hashlib.sha1(repr((request.endpoint, request.view_args, query)).encode()).hexdigest()
    library = searched_library(request.view_args)
    event.update({
        "timestamp": now().isoformat(),
        "tenant_id": str(library) if library else "",
        "search_id": search,
        "referrer": request.referrer,
        **get_user(),
    })
    return event


def build_search_unique_id(event):
    """Preprocessor: the `unique_id` of a search (its query), the key of double clicks."""
    event["unique_id"] = f"search_{event['search_id']}"
    return event


def searches_of_month(index, first, end):
    """{(library id, day): searches} from the search events INDEX in [FIRST, END)."""
    query = {"bool": {"filter": [
        {"range": {"timestamp": {"gte": first.isoformat(), "lt": end.isoformat()}}},
        {"exists": {"field": "tenant_id"}},
    ], "must_not": [{"term": {"tenant_id": ""}}, {"term": {"is_robot": True}}]}}
    sources = [{"tenant_id": {"terms": {"field": "tenant_id"}}},
               {"day": {"date_histogram": {"field": "timestamp", "calendar_interval": "day",
                                           "format": "yyyy-MM-dd"}}}]
    counts, after = {}, None
    while True:
        composite = {"size": 1000, "sources": sources, **({"after": after} if after else {})}
        result = current_search_client.search(index=index, body={
            "size": 0, "query": query, "aggs": {"days": {"composite": composite}}})
        days = result.get("aggregations", {}).get("days")
        if not days or not days["buckets"]:
            return counts
        for bucket in days["buckets"]:
            key = bucket["key"]
            counts[(key["tenant_id"], key["day"])] = bucket["doc_count"]
        after = days.get("after_key")
        if after is None:
            return counts
