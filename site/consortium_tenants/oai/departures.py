"""Records that left an OAI-PMH endpoint or set, so that harvesters hear of it.

Identify promises persistent deletions. A record that stops being served somewhere
without being deleted (made restricted, moved to another library, removed from a
collection) must then appear there with `status="deleted"`. Each such departure is a
row of `consortium_oai_departures`: the record, the *scope* it left and when.

Scopes are what a harvest asks for:
- `set:<community id>`: the set of a library or of one of its collections (the same
  set on the consortium's endpoint and on the library's own);
- `endpoint:<slug>`: a library's endpoint without a set (its community and its
  collections);
- `endpoint:consortium`: the consortium's endpoint without a set (every public record).

Departures are written in the transaction that changes the record or its parent
(a SQLAlchemy `before_flush` listener comparing the published record's or parent's JSON
as stored with the one being written: `access.record`, `communities.ids`), and a row is
removed again when the record comes back into that scope, so a scope never lists a
record twice.
"""

from datetime import datetime, timezone

import sqlalchemy as sa
import sqlalchemy.orm
from invenio_communities.communities.records.models import CommunityMetadata
from invenio_db import db
from invenio_rdm_records.records.models import RDMParentMetadata, RDMRecordMetadata
from sqlalchemy.dialects.postgresql import insert

from ..tenants.models import TenantModel
from .models import DepartureModel

CONSORTIUM = "endpoint:consortium"


def _now_ms():
    return int(datetime.now(timezone.utc).timestamp() * 1000)


def _public(record_json):
    return ((record_json or {}).get("access") or {}).get("record") == "public"


def _communities(parent_json):
    return set(((parent_json or {}).get("communities") or {}).get("ids") or [])


def _libraries_of(connection, community_ids):
    """community id → slug of the library whose endpoint serves it (its own community
    or one of its collections)."""
    if not community_ids:
        return {}
    ids = list(community_ids)
    libraries = {str(cid): slug for cid, slug in connection.execute(
        sa.select(TenantModel.community_id, TenantModel.slug))}
    found = {cid: libraries[cid] for cid in ids if cid in libraries}
    rest = [cid for cid in ids if cid not in found]
    if rest:
        rows = connection.execute(sa.select(CommunityMetadata.id, CommunityMetadata.json)
                                  .where(CommunityMetadata.id.in_(rest)))
        for cid, data in rows:
            parent = ((data or {}).get("parent") or {}).get("id")
            if parent and str(parent) in libraries:
                found[str(cid)] = libraries[str(parent)]
    return found


def scopes(connection, public, community_ids):
    """The scopes a record is served in: none unless it is public."""
    if not public:
        return set()
    libraries = _libraries_of(connection, community_ids)
    return ({CONSORTIUM} | {f"set:{cid}" for cid in community_ids}
            | {f"endpoint:{slug}" for slug in libraries.values()})


def _record_state(connection, record_json, parent_json):
    return scopes(connection, _public(record_json), _communities(parent_json))


def _apply(connection, recid, oai_id, before, after):
    """Write the departures of RECID from BEFORE − AFTER, drop those of AFTER."""
    table = DepartureModel.__table__
    if after:
        connection.execute(table.delete().where(table.c.record_id == recid,
                                                table.c.scope.in_(sorted(after))))
    left = before - after
    if not left:
        return
    now = _now_ms()
    statement = insert(table).values([
        {"record_id": recid, "scope": scope, "oai_identifier": oai_id, "left_ms": now}
        for scope in sorted(left)])
    connection.execute(statement.on_conflict_do_update(
        index_elements=[table.c.record_id, table.c.scope],
        set_={"left_ms": statement.excluded.left_ms,
              "oai_identifier": statement.excluded.oai_identifier}))


def _recid(record_json):
    return (record_json or {}).get("id")


def _oai_id(record_json):
    return (((record_json or {}).get("pids") or {}).get("oai") or {}).get("identifier")


def _stored_json(connection, model, obj_id):
    """The JSON of a row as the database has it before this flush writes it."""
    return connection.execute(sa.select(model.json).where(model.id == obj_id)).scalar()


def _parent_json(connection, parent_id, session):
    for obj in session.identity_map.values():
        if isinstance(obj, RDMParentMetadata) and obj.id == parent_id:
            return obj.json
    return _stored_json(connection, RDMParentMetadata, parent_id)


def track(session, flush_context, instances):
    """before_flush: departures of the published records whose access or parent's
    communities this flush changes (the stored JSON against the one being written)."""
    records, parents = [], []
    for obj in session.dirty:
        if isinstance(obj, RDMRecordMetadata):
            records.append(obj)
        elif isinstance(obj, RDMParentMetadata):
            parents.append(obj)
    if not records and not parents:
        return
    connection = session.connection()
    with session.no_autoflush:
        for obj in records:
            old, new = _stored_json(connection, RDMRecordMetadata, obj.id), obj.json
            if old is None or _public(old) == _public(new):
                continue
            parent_json = _parent_json(connection, obj.parent_id, session)
            before = _record_state(connection, old, parent_json)
            after = _record_state(connection, new, parent_json)
            _apply(connection, _recid(new) or _recid(old), _oai_id(new) or _oai_id(old),
                   before, after)
        for obj in parents:
            old, new = _stored_json(connection, RDMParentMetadata, obj.id), obj.json
            if old is None or _communities(old) == _communities(new):
                continue
            versions = connection.execute(sa.select(RDMRecordMetadata.json)
                                          .where(RDMRecordMetadata.parent_id == obj.id))
            for (record_json,) in versions:
                before = _record_state(connection, record_json, old)
                after = _record_state(connection, record_json, new)
                _apply(connection, _recid(record_json), _oai_id(record_json), before, after)


def connect():
    """Listen to every session's flushes (once per process)."""
    if not sa.event.contains(sa.orm.Session, "before_flush", track):
        sa.event.listen(sa.orm.Session, "before_flush", track)


# --- reading ---------------------------------------------------------------------
def _query(scope, start=None, end=None):
    table = DepartureModel.__table__
    query = sa.select(table).where(table.c.scope == scope)
    if start is not None:
        query = query.where(table.c.left_ms >= int(start.timestamp() * 1000))
    if end is not None:
        query = query.where(table.c.left_ms < int(end.timestamp() * 1000))
    return query


def count(scope, start=None, end=None):
    query = _query(scope, start, end).subquery()
    return db.session.execute(sa.select(sa.func.count()).select_from(query)).scalar()


def page(scope, size, start=None, end=None, after=None):
    """Up to SIZE departures from SCOPE after the list position AFTER ([millis, id],
    the search's sort values), in the search's order (time, then record id)."""
    table = DepartureModel.__table__
    record_id = table.c.record_id.collate("C")  # the search index sorts ids bytewise
    query = _query(scope, start, end)
    if after:
        millis, last = int(after[0]), str(after[1])
        query = query.where(sa.or_(table.c.left_ms > millis,
                                   sa.and_(table.c.left_ms == millis, record_id > last)))
    return db.session.execute(query.order_by(table.c.left_ms, record_id).limit(size)).all()


def one(scope, record_id):
    table = DepartureModel.__table__
    return db.session.execute(sa.select(table).where(
        table.c.scope == scope, table.c.record_id == record_id)).first()
