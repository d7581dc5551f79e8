"""Usage events that carry the library: invenio-stats configuration for COUNTER R5.1.

InvenioRDM emits a `record-view` event from the landing page and a
`file-download` event from every file download (invenio-stats builders, then a
queue, then `invenio_stats.tasks.process_events` indexes them into
`events-stats-<event>-YYYY-MM`). `stats_events` keeps RDM's builders and adds:

* `add_library`: the library (tenant) whose community the record is in at that
  moment, and the item's COUNTER attributes then (Access_Type, YOP, Data_Type),
  so usage stays with the library it happened in when the record moves later;
* robots of the COUNTER list (`counter-robots`) dropped before indexing;
* double clicks (`drop_double_clicks`): an event of one visitor on one item
  less than 30 s (event time) after the visitor's previous event of that kind
  on that item is dropped, so a chain of quick clicks counts once (COUNTER's
  sliding window; invenio-stats' `double_click_window` only folds fixed slots);
* `unique_session_id` (invenio-stats' anonymiser): user, session or IP + user
  agent, plus the hour — COUNTER's surrogate session for unique items.
"""

import hashlib
import time

import redis
from dateutil import parser
from flask import current_app
from invenio_access.permissions import system_identity
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_rdm_records.resources.stats.event_builders import build_record_unique_id
from invenio_stats.contrib.event_builders import build_file_unique_id
from invenio_stats.processors import anonymize_user, filter_robots, flag_machines
from invenio_vocabularies.proxies import current_service as vocabulary_service

from ..tenants.models import TenantModel

TEMPLATES = "consortium_tenants.stats.templates"
DOUBLE_CLICK_SECONDS = 30
"""COUNTER R5.1 7.2: two clicks of one user on one item within 30 s are one action."""

DATA_TYPES = {
    "JournalArticle": "Article",
    "Preprint": "Article",  # R5.1: an article "as a preprint, an author accepted manuscript…"
    "DataPaper": "Article",
    "Book": "Book_Segment",  # R5.1 3.p: a whole book is counted as one Book_Segment (an IR
    "BookChapter": "Book_Segment",  # has no Book, nor Conference: they are title-level types)
    "ConferencePaper": "Conference_Item",
    "ConferenceProceeding": "Conference_Item",
    "Poster": "Conference_Item",  # "a single paper, poster, or recording of material
    "Dissertation": "Thesis_or_Dissertation",  # associated with a conference"
    "Report": "Report",
    "Standard": "Standard",
    "Dataset": "Dataset",
    "Image": "Image",
    "Audiovisual": "Audiovisual",
    "Sound": "Sound",
    "Software": "Software",
    "ComputationalNotebook": "Software",
    "InteractiveResource": "Interactive_Resource",
}
"""DataCite resourceTypeGeneral (a resource type's `props.datacite_general` in the
vocabulary) → COUNTER R5.1 Data_Type of an Item Report."""

DATACITE_TYPES = {
    "Patent": "Patent",
    "Project deliverable": "Report",
    "Project milestone": "Report",
    "Proposal": "Report",
    "Technical note": "Report",
    "Working paper": "Report",
}
"""A resource type's `props.datacite_type` that says more than its general type (Text)."""

PROPS_CACHE_SECONDS = 300
_props = {}


def data_type_from_props(props):
    """The COUNTER Data_Type of a resource type with vocabulary PROPS: from its DataCite
    type, else its DataCite general type; a type COUNTER has no name for is `Other`, no
    type or a bare text (`publication`) is `Unspecified` (not enough to classify)."""
    datacite_type = props.get("datacite_type") or ""
    general = props.get("datacite_general") or ""
    if datacite_type in DATACITE_TYPES:
        return DATACITE_TYPES[datacite_type]
    if general in DATA_TYPES:
        return DATA_TYPES[general]
    if not general or (general == "Text" and not datacite_type):
        return "Unspecified"
    return "Other"


def resource_type_props(resource_type_id):
    """The vocabulary props of resource type RESOURCE_TYPE_ID ({} if there is none),
    kept PROPS_CACHE_SECONDS per process (every usage event asks)."""
    now = time.monotonic()
    cached = _props.get(resource_type_id)
    if cached and now - cached[0] < PROPS_CACHE_SECONDS:
        return cached[1]
    try:
        props = vocabulary_service.read(
            system_identity, ("resourcetypes", resource_type_id)).data.get("props") or {}
    except PIDDoesNotExistError:
        props = {}
    _props[resource_type_id] = (now, props)
    return props


def data_type_of(resource_type_id):
    """The COUNTER Data_Type of an InvenioRDM resource type id (from its vocabulary entry)."""
    if not resource_type_id:
        return "Unspecified"
    return data_type_from_props(resource_type_props(resource_type_id))


def library_of_record(record):
    """The library whose community RECORD is in now (its default community first), or None."""
    communities = record.parent.communities
    ids = [str(c) for c in (communities.ids or [])]
    if not ids:
        return None
    libraries = {str(t.community_id): t for t in
                 TenantModel.query.filter(TenantModel.community_id.in_(ids)).all()}
    default = communities.default
    if default is not None and str(default.id) in libraries:
        return libraries[str(default.id)]
    return next((libraries[i] for i in ids if i in libraries), None)


def item_attributes(record):
    """COUNTER attributes of RECORD: Access_Type, YOP and Data_Type."""
    metadata = record.get("metadata", {})
    files_public = record.get("access", {}).get("files") == "public"
    return {
        "access_type": "Open" if files_public else "Controlled",
        "yop": (metadata.get("publication_date") or "0001")[:4],
        "data_type": data_type_of((metadata.get("resource_type") or {}).get("id")),
    }


def add_library(event, sender_app, record=None, **kwargs):
    """Event builder: the record's library and COUNTER attributes at this moment."""
    library = library_of_record(record)
    event.update({"tenant_id": str(library.id) if library else "", **item_attributes(record)})
    return event


LAST_CLICK = """
local previous = redis.call('GET', KEYS[1])
if previous and tonumber(previous) > tonumber(ARGV[1]) then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
else
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return previous
"""
"""Keep the later of the stored and the given click time; answer the stored one (atomic)."""

_scripts = {}


def _last_click():
    """The LAST_CLICK script on invenio-cache's Redis (one client per URL and process)."""
    url = current_app.config["CACHE_REDIS_URL"]
    if url not in _scripts:
        _scripts[url] = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5
                                             ).register_script(LAST_CLICK)
    return _scripts[url]


def drop_double_clicks(event):
    """Preprocessor: None for a double click, else EVENT.

    The key is the visitor (user, else session, else IP and user agent — before
    `anonymize_user` hashes them away), the event's kind and its item
    (`unique_id`); Redis keeps the time of the key's last event, also of a
    dropped one, for `CONSORTIUM_STATS_DOUBLE_CLICK_TTL` seconds of wall time
    (longer than the time between two runs of `process_events`). One round trip.
    While Redis cannot be reached the event is kept (fail open): invenio-stats would
    otherwise drop it for good, and a rare double click counted twice is the lesser loss.
    """
    visitor = (event.get("user_id") or event.get("session_id")
               or f"{event.get('ip_address')}|{event.get('user_agent')}")
    digest = hashlib.sha256(
        f"{visitor}|{event.get('unique_id')}|{'bucket_id' in event}".encode()).hexdigest()
    moment = parser.parse(event["timestamp"]).timestamp()
    try:
        previous = _last_click()(keys=[f"consortium:stats:click:{digest}"],
                                 args=[repr(moment), current_app.config[
                                     "CONSORTIUM_STATS_DOUBLE_CLICK_TTL"]])
    except redis.exceptions.RedisError as error:  # fail open: an uncertain click still counts
        current_app.logger.warning("COUNTER double-click check skipped (Redis: %s); "
                                   "event kept", error)
        return event
    if previous is not None and abs(moment - float(previous)) < DOUBLE_CLICK_SECONDS:
        return None
    return event


def stats_events(rdm_events):
    """STATS_EVENTS: RDM's record-view and file-download events carrying the library."""

    def counter_event(name, template, unique_id):
        rdm = rdm_events[name]
        return {
            **rdm,
            "templates": f"{TEMPLATES}.{template}",
            "event_builders": [*rdm["event_builders"],
                               "consortium_tenants.stats.events:add_library"],
            "params": {
                **rdm.get("params", {}),
                "preprocessors": [filter_robots, flag_machines, unique_id,
                                  drop_double_clicks, anonymize_user],
                "double_click_window": 0,  # drop_double_clicks does it
            },
        }

    return {
        **rdm_events,
        "record-view": counter_event("record-view", "record_view", build_record_unique_id),
        "file-download": counter_event("file-download", "file_download", build_file_unique_id),
    }
