"""ACCESS_CACHE of the instance: invenio-access's action cache kept in each process too.

invenio-access reads an action's allowed users and roles from ACCESS_CACHE on
every permission check: a search result page checks several per field of every
record, each one a Redis round trip with RDM's default (invenio-cache). This
cache keeps what it read in the process, over the same shared cache. A change
of who may do an action (invenio-access deletes the action's entry) increments
a version counter in the shared cache; every process reads the counter once per
request (or application context) and forgets its entries when it changed.
"""

import threading
import time

from flask import g, has_app_context
from invenio_cache import current_cache

VERSION_KEY = "consortium:access-actions:version"
MAX_AGE_SECONDS = 300  # no entry lives longer in a process, whatever happens


class ProcessAccessCache:
    """get/set/delete as invenio-access calls them; reads served from the process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._entries = {}
        self._version = None
        self._loaded_at = 0.0

    def _check_version(self):
        """Forget every entry when another process changed an action (once per request)."""
        version = g.get("consortium_access_version") if has_app_context() else None
        if version is None:
            version = current_cache.get(VERSION_KEY) or 0
            if has_app_context():
                g.consortium_access_version = version
        with self._lock:
            stale = time.monotonic() - self._loaded_at > MAX_AGE_SECONDS
            if version != self._version or stale:
                self._entries, self._version = {}, version
                self._loaded_at = time.monotonic()

    def get(self, key):
        self._check_version()
        with self._lock:
            if key in self._entries:
                return self._entries[key]
        value = current_cache.get(key)
        if value is not None:
            with self._lock:
                self._entries[key] = value
        return value

    def set(self, key, value, timeout=None):
        current_cache.set(key, value, timeout=timeout)
        with self._lock:
            self._entries[key] = value

    def delete(self, key):
        current_cache.delete(key)
        current_cache.cache.inc(VERSION_KEY)
        with self._lock:
            self._entries.pop(key, None)
        if has_app_context():
            g.pop("consortium_access_version", None)


access_cache = ProcessAccessCache()
