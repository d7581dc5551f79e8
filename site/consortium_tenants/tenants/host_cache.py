"""Host → tenant resolution cached in each web process, invalidated across processes.

Every process keeps the tenants it resolved (their column values and hosts,
or "no tenant") keyed by host. A counter in the cache (Redis, invenio-cache)
names the registry's version: any committed change to a tenant or a host
increments it (at the flush, so the changing process itself never reads a
stale entry, and again at the commit or rollback, so no other process keeps
what it read in between), and a process whose entries carry an older version
drops them on its next request. A request on a known host thus costs one cache read and
no database query; its tenant is handed to the session with
`merge(load=False)`, so it behaves as if it had been loaded.
"""

import copy
import threading
import time

from flask import current_app
from invenio_cache import current_cache
from invenio_db import db
from sqlalchemy import event
from sqlalchemy.orm import Session, make_transient_to_detached

from .models import TenantHostModel, TenantModel

VERSION_KEY = "consortium:tenant-hosts:version"
_CHANGED = "consortium_tenants_changed"
_NO_TENANT = object()


class HostCache:
    """Per-process map host → tenant snapshot, valid for one registry version."""

    def __init__(self):
        self._lock = threading.Lock()
        self._version = None
        self._loaded_at = 0.0
        self._entries = {}

    def tenant(self, host, load):
        """The tenant of HOST in the current session, or None; LOAD(host) on a miss."""
        # the suffix of implicit hosts is part of the key (tests change it at run time)
        host = (host, current_app.config["CONSORTIUM_TENANT_HOST_SUFFIX"])
        version = registry_version()
        max_age = current_app.config["CONSORTIUM_HOST_CACHE_SECONDS"]
        with self._lock:
            if version != self._version or time.monotonic() - self._loaded_at > max_age:
                self._entries, self._version = {}, version
                self._loaded_at = time.monotonic()
            snapshot = self._entries.get(host)
        if snapshot is None:
            tenant = load(host[0])
            with self._lock:
                if self._version == version:
                    self._entries[host] = _snapshot(tenant) if tenant else _NO_TENANT
            return tenant
        return None if snapshot is _NO_TENANT else _attach(snapshot)

    def clear(self):
        """Forget every entry of this process."""
        with self._lock:
            self._entries, self._version = {}, None


def registry_version():
    """The registry's version counter (0 before the first change)."""
    return current_cache.get(VERSION_KEY) or 0


def _snapshot(tenant):
    """Column values of TENANT and of its hosts, detached from any session."""
    columns = {attr.key: copy.deepcopy(getattr(tenant, attr.key))
               for attr in TenantModel.__mapper__.column_attrs}
    return columns, [row.host for row in tenant.hosts]


def _attach(snapshot):
    """A TenantModel of SNAPSHOT merged into the session without a query."""
    columns, hosts = snapshot
    tenant = TenantModel(**copy.deepcopy(columns))
    tenant.hosts = [TenantHostModel(host=host, tenant_id=columns["id"]) for host in hosts]
    for obj in (tenant, *tenant.hosts):
        make_transient_to_detached(obj)
    return db.session.merge(tenant, load=False)


def _bump():
    current_cache.cache.inc(VERSION_KEY)


def _note_change(session, flush_context, instances=None):
    """A flush that changes the tenant registry: new version, remembered until the end."""
    if any(isinstance(obj, (TenantModel, TenantHostModel))
           for obj in (*session.new, *session.dirty, *session.deleted)):
        session.info[_CHANGED] = True
        _bump()


def _after_commit(session):
    if session.info.pop(_CHANGED, False):
        _bump()


def _after_rollback(session, previous_transaction=None):
    """A rolled-back change (savepoint or not) may have been read: new version."""
    if session.info.get(_CHANGED):
        _bump()
        if not session.in_transaction():
            session.info.pop(_CHANGED, None)


def connect_invalidation():
    """Listen to every session for registry changes (once per process)."""
    if not event.contains(Session, "before_flush", _note_change):
        event.listen(Session, "before_flush", _note_change)
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_rollback)


host_cache = HostCache()
