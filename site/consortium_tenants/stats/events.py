"""Usage events that carry the library: invenio-stats configuration for COUNTER R5.1.

InvenioRDM emits a `record-view` event from the landing page and a
`file-download` event from every file download (invenio-stats builders, then a
queue, then `invenio_stats.tasks.process_events` indexes them into
`events-stats-<event>-YYYY-MM`). `stats_events` keeps RDM's builders and adds:

* `add_library`: the library (tenant) whose community the record is in at that
  moment, and the item's COUNTER attributes then (Access_Type, YOP, Data_Type),
  so usage stays with the library it happened in when the record moves later;
* robots of the COUNTER list (`counter-robots`) dropped before indexing;
* double clicks (`CounterEventsIndexer`, `last_clicks`): of two events of one
  visitor on one item of one kind less than 30 s apart (event time) the first is
  dropped and the second kept, so of a chain of quick clicks the last one counts,
  whatever order the events are processed in (COUNTER R5.1 7.2; invenio-stats'
  `double_click_window` only folds fixed slots);
* `unique_session_id` (invenio-stats' anonymiser): user, session or IP + user
  agent, plus the hour — COUNTER's surrogate session for unique items.
"""

import hashlib
import json
import time
from functools import lru_cache
from datetime import datetime, timezone

import redis
from counter_robots import is_machine, is_robot
from dateutil import parser
from flask import current_app, request_finished
from invenio_access.permissions import system_identity
from invenio_pidstore.errors import PIDDoesNotExistError
from invenio_rdm_records.resources.stats.event_builders import build_record_unique_id
from invenio_stats.contrib.event_builders import build_file_unique_id
from invenio_search.engine import search
from invenio_stats.processors import EventsIndexer, hash_id
from invenio_stats.utils import get_anonymization_salt, get_geoip
from invenio_vocabularies.proxies import current_service as vocabulary_service

from ..tenants.models import TenantModel
from .searches import build_search_unique_id

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


CLICKS = """
local moment, window, doc = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[4]
local kept = 1
for _, member in ipairs(redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. ARGV[1],
                                   '(' .. (moment + window))) do
  if string.sub(member, 3) ~= doc then kept = 0 end
end
local answer = {kept}
local earlier = redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. (moment - window), '(' .. ARGV[1],
                           'WITHSCORES')
for i = 1, #earlier, 2 do
  local member = earlier[i]
  if string.sub(member, 1, 2) == 'k:' and string.sub(member, 3) ~= doc then
    redis.call('ZREM', KEYS[1], member)
    redis.call('ZADD', KEYS[1], earlier[i + 1], 'd:' .. string.sub(member, 3))
    table.insert(answer, string.sub(member, 3))
  end
end
redis.call('ZREM', KEYS[1], 'k:' .. doc, 'd:' .. doc)
redis.call('ZADD', KEYS[1], ARGV[1], (kept == 1 and 'k:' or 'd:') .. doc)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (moment - tonumber(ARGV[3])))
redis.call('EXPIRE', KEYS[1], ARGV[3])
return answer
"""
"""One click (ARGV: event time, window, TTL, its document) of one visitor on one item
(KEYS[1], a sorted set of the key's clicks by event time, each `k:<doc>` while kept and
`d:<doc>` once dropped). Answers {1 if the click is kept (no later click within the
window) else 0, the documents of earlier kept clicks within the window — now dropped}.
Atomic; the answer depends on the set of clicks, not on the order they arrive in."""

_scripts = {}


def _clicks_script():
    """The CLICKS script on invenio-cache's Redis (one client per URL and process)."""
    url = current_app.config["CACHE_REDIS_URL"]
    if url not in _scripts:
        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=5)
        _scripts[url] = (client, client.register_script(CLICKS))
    return _scripts[url]


def event_time(text):
    """The datetime of an event's ISO 8601 timestamp (the builders write isoformat();
    dateutil for anything else). datetime.fromisoformat is ~100x faster than dateutil."""
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return parser.parse(text)


@lru_cache(maxsize=4096)
def _agent_kind(user_agent):
    """(robot, machine) of a user agent by the COUNTER lists (their regular expressions
    cost ~0.3 ms an agent; a few agents make most events)."""
    return is_robot(user_agent), is_machine(user_agent)


def drop_robots(event):
    """Preprocessor: invenio-stats' filter_robots and flag_machines in one, the agent's
    kind remembered: None for a robot; `is_robot`/`is_machine` set."""
    robot, machine = _agent_kind(event["user_agent"]) if "user_agent" in event else (False,
                                                                                      False)
    if robot:
        return None
    event["is_robot"], event["is_machine"] = False, machine
    return event


SALT_SECONDS = 60
_salts = {}


def _salt(day):
    """invenio-stats' anonymisation salt of DAY, remembered SALT_SECONDS per process (it
    lives a day in the cache; one cache read a minute instead of one an event)."""
    now = time.monotonic()
    cached = _salts.get(day)
    if cached and now - cached[0] < SALT_SECONDS:
        return cached[1]
    salt = get_anonymization_salt(datetime.combine(day, datetime.min.time()))
    _salts[day] = (now, salt)
    return salt


def anonymize_visitor(event):
    """Preprocessor: invenio-stats' anonymize_user (visitor_id of the day and
    unique_session_id of the hour from the salted user, session or IP + user agent;
    country from the IP; those fields dropped), with the salt remembered (`_salt`)."""
    ip = event.pop("ip_address", None)
    if ip:
        event["country"] = get_geoip(ip)
    user_id = event.pop("user_id", "") or ""
    session_id = event.pop("session_id", "") or ""
    user_agent = event.pop("user_agent", "") or ""
    moment = event_time(event["timestamp"])
    hour = moment.strftime("%Y%m%d%H")
    salt = _salt(moment.date()).encode()
    visitor, session = hashlib.sha224(salt), hashlib.sha224(salt)
    who = user_id or session_id
    if who:
        visitor.update(who.encode())
        session.update(f"{who}|{hour}".encode())
    elif ip and user_agent:
        visitor.update(f"{ip}|{user_agent}|{hour}".encode())
        session.update(f"{ip}|{user_agent}|{hour}".encode())
    event.update({"visitor_id": visitor.hexdigest(), "unique_session_id": session.hexdigest()})
    return event


def mark_clicks(event):
    """Preprocessor: the event's double-click key (`_click`), before `anonymize_user`
    hashes the visitor away: the visitor (user, else session, else IP and user agent),
    the event's kind and its item (`unique_id`). CounterEventsIndexer decides on it."""
    visitor = (event.get("user_id") or event.get("session_id")
               or f"{event.get('ip_address')}|{event.get('user_agent')}")
    event["_click"] = hashlib.sha256(
        f"{visitor}|{event.get('unique_id')}|{'bucket_id' in event}".encode()).hexdigest()
    return event


def last_clicks(clicks):
    """For CLICKS [(key, event time in seconds, document)], in one Redis round trip: for
    each click (whether it is kept, [documents of earlier kept clicks it drops]).

    COUNTER R5.1 7.2: of two clicks of one visitor on one item less than 30 s apart
    the first is removed and the second kept, so of a chain of quick clicks the last
    one counts (its time, month and session). Redis keeps each key's clicks for
    `CONSORTIUM_STATS_DOUBLE_CLICK_TTL` seconds (longer than the time between two
    runs of `process_events`), so a click processed later still finds them. Raises
    redis' RedisError when Redis cannot be reached.
    """
    client, script = _clicks_script()
    ttl = current_app.config["CONSORTIUM_STATS_DOUBLE_CLICK_TTL"]
    pipe = client.pipeline(transaction=False)
    for key, moment, doc in clicks:
        script(keys=[f"consortium:stats:clicks:{key}"],
               args=[repr(moment), DOUBLE_CLICK_SECONDS, ttl, doc], client=pipe)
    return [(answer[0] == 1, [d.decode() if isinstance(d, bytes) else d for d in answer[1:]])
            for answer in pipe.execute()]


class CounterEventsIndexer(EventsIndexer):
    """invenio-stats' events indexer deciding COUNTER double clicks per batch.

    The preprocessors run on each event as upstream's; then the batch's clicks
    (`mark_clicks`) go to Redis in one round trip (`last_clicks`): a click with a
    later one of its key within 30 s is not indexed, and the documents of earlier
    kept clicks it supersedes are deleted (also from an earlier run). While Redis
    cannot be reached every event is kept (fail open): invenio-stats would otherwise
    drop it for good, and a rare double click counted twice is the lesser loss.
    """

    batch_size = 500

    def messages(self):
        """The queue's events, oldest first. From Redis (the broker of `make run` and the
        tests) a batch a round trip (RPOP with a count, Redis >= 6.2; kombu's own
        consumer pops one message a round trip, ~70 % of the processing time); from
        any other broker (RabbitMQ) as invenio-queues consumes them."""
        with self.queue.connection_pool.acquire(block=True) as connection:
            if connection.transport.driver_type != "redis":
                yield from self.queue.consume()
                return
            channel = connection.default_channel
            for priority in channel.priority_steps:
                name = channel._q_for_pri(self.queue.queue.name, priority)
                while True:
                    raw = channel.client.rpop(name, self.batch_size)
                    if not raw:
                        break
                    for item in raw:
                        yield channel.Message(payload=json.loads(item), channel=channel).payload

    def actionsiter(self):
        """Index actions of the queue's events, a batch at a time."""
        batch = []
        for message in self.messages():
            batch.append(message)
            if len(batch) >= self.batch_size:
                yield from self._batch_actions(batch)
                batch = []
        if batch:
            yield from self._batch_actions(batch)

    def _action(self, message):
        """(click key, event time, index action) of MESSAGE, or None if it is filtered."""
        for preprocessor in self.preprocessors:
            message = preprocessor(message)
            if message is None:
                return None
        click = message.pop("_click", None)
        moment = event_time(message["timestamp"])
        stamp = moment.replace(microsecond=0)
        message["timestamp"] = stamp.isoformat()
        message["updated_timestamp"] = datetime.now(timezone.utc).isoformat()
        action = {"_id": hash_id(stamp.isoformat(), message), "_op_type": "index",
                  "_index": f"{self.index}-{stamp.strftime(self.suffix)}", "_source": message}
        return click, moment.timestamp(), action

    def _batch_actions(self, messages):
        actions = []
        for message in messages:
            try:
                action = self._action(message)
            except Exception:
                current_app.logger.exception("Error while processing event")
                continue
            if action is not None:
                actions.append(action)
        clicks = [(click, moment, f"{a['_index']}/{a['_id']}")
                  for click, moment, a in actions if click]
        try:
            decisions = iter(last_clicks(clicks))
        except redis.exceptions.RedisError as error:  # fail open
            current_app.logger.warning("COUNTER double-click check skipped (Redis: %s); "
                                       "%d events kept", error, len(actions))
            decisions = iter([(True, [])] * len(clicks))
        indexed, deleted = {}, {}
        for click, _, action in actions:
            doc = f"{action['_index']}/{action['_id']}"
            kept, dropped = next(decisions) if click else (True, [])
            for earlier in dropped:  # indexed in this batch or an earlier run
                indexed.pop(earlier, None)
                deleted[earlier] = True
            if kept:
                deleted.pop(doc, None)
                indexed[doc] = action
        for doc in deleted:
            index, _, doc_id = doc.partition("/")
            yield {"_op_type": "delete", "_index": index, "_id": doc_id}
        yield from indexed.values()

    def run(self):
        """Process the events queue: (actions done, actions failed). A delete of a
        document already gone is no error. One bulk request at a time (so a delete never
        overtakes the index action it undoes) in a thread of its own, while the events
        of the next chunk are prepared."""
        app = current_app._get_current_object()
        client = getattr(self.client, "_get_current_object", lambda: self.client)()

        def actions():  # iterated in the pool's feeding thread: it needs the app too
            with app.app_context():
                yield from self.actionsiter()

        done = failed = 0
        for ok, _ in search.helpers.parallel_bulk(
                client, actions(), thread_count=1, chunk_size=self.batch_size,
                queue_size=2, ignore_status=(404,)):
            done, failed = done + ok, failed + (not ok)
        return done, failed


def stats_events(rdm_events):
    """STATS_EVENTS: RDM's record-view and file-download events carrying the library, and
    the platform's searches (`searches.py`)."""

    def counter_event(name, template, unique_id):
        rdm = rdm_events[name]
        return {
            **rdm,
            "templates": f"{TEMPLATES}.{template}",
            "cls": CounterEventsIndexer,
            "event_builders": [*rdm["event_builders"],
                               "consortium_tenants.stats.events:add_library"],
            "params": {
                **rdm.get("params", {}),
                "preprocessors": [drop_robots, unique_id, mark_clicks, anonymize_visitor],
                "double_click_window": 0,  # CounterEventsIndexer does it
            },
        }

    return {
        **rdm_events,
        "record-view": counter_event("record-view", "record_view", build_record_unique_id),
        "file-download": counter_event("file-download", "file_download", build_file_unique_id),
        "search": {
            "signal": request_finished,  # searches.search_event keeps only searches
            "templates": f"{TEMPLATES}.search",
            "event_builders": ["consortium_tenants.stats.searches:search_event"],
            "cls": CounterEventsIndexer,
            "params": {"preprocessors": [drop_robots, build_search_unique_id, mark_clicks,
                                         anonymize_visitor],
                       "double_click_window": 0},
        },
    }
