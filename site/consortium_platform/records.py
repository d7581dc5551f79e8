"""RDM's record and draft classes, loaded from a search hit at less cost.

A search page turns every hit into a record (`Record.loads`) before the schema dumps
it. invenio-records' `loads` deep-copies the hit and then, for every system field of
the record (about forty), asks `inspect.signature` of the field's `pre_load` and
`post_load` whether it takes `data` — on every hit, although the answer depends only
on the class. Those two steps were about a third of a search page's serialization.

`LibraryRecord` and `LibraryDraft` (`RDM_RECORD_CLS`, `RDM_DRAFT_CLS`) and their
`LibraryParent` (`parent_record_cls`) are RDM's classes with the same fields; only `loads` differs: the hooks are resolved once per
class (with the same signature test, so a hook without `data` is called as before),
and the hit, a JSON document, is copied by a JSON copy instead of `deepcopy`. Its
search dumper's `load` is done as invenio-records' `SearchDumper.load` does it, with
the class's model fields listed once per class (it walks `dir(record_cls)` per hit)
and the model's JSON a JSON copy of the document (the model's `data` setter
deep-copies it).
Everything else (fields, index, model, isinstance checks) is RDM's.

Every hit also carries its parent's communities (`parent.communities.entries`, the
libraries it belongs to), and invenio-communities' relation manager builds a
`Community` from each entry (`Community.loads`: a deep copy, its database models and
the signature of each of its ~20 fields' hooks) — for every hit, although a page's hits
mostly belong to the same library or two. `LibraryCommunitiesManager` (the
`manager_cls` of the parent's `CommunitiesField`) loads an entry once per application
context (a request: one page) and hands the same `Community` to every later hit whose
entry is equal, key for key; any difference loads it anew.
"""

import copy
import inspect

from flask import g, has_app_context
from invenio_communities.communities.records.api import Community
from invenio_communities.records.records.systemfields import CommunitiesField
from invenio_communities.records.records.systemfields.communities.manager import (
    CommunitiesRelationManager,
)
from invenio_rdm_records.records import models
from invenio_rdm_records.records.api import RDMDraft, RDMParent, RDMRecord
from invenio_records.dumpers import SearchDumper
from invenio_records.systemfields.base import SystemFieldsExt
from sqlalchemy.orm.attributes import flag_modified

_SCALARS = (str, int, float, bool, type(None))


def copy_json(value):
    """A copy of a JSON document; anything that is not JSON is deep-copied."""
    if isinstance(value, dict):
        return {key: copy_json(item) for key, item in value.items()}
    if isinstance(value, list):
        return [copy_json(item) for item in value]
    if isinstance(value, _SCALARS):
        return value
    return copy.deepcopy(value)


def _takes_data(hook):
    return "data" in inspect.signature(hook).parameters


def _load_hooks(record_cls):
    """(pre-load hooks, post-load hooks) of RECORD_CLS, resolved once."""
    hooks = record_cls.__dict__.get("_consortium_load_hooks")
    if hooks is not None:
        return hooks
    pre, post = [], []
    for extension in record_cls._extensions:
        fields = (extension.declared_fields.values()
                  if isinstance(extension, SystemFieldsExt) else ())
        if fields and all(_takes_data(f.pre_load) and _takes_data(f.post_load)
                          for f in fields):
            pre.extend(f.pre_load for f in fields)
            post.extend(f.post_load for f in fields)
            continue
        # An extension of another kind, or a field with an old-style hook: the
        # extension's own methods, exactly as invenio-records calls them.
        pre.append(extension.pre_load)
        if _takes_data(extension.post_load):
            post.append(extension.post_load)
        else:
            post.append(lambda record, data, loader=None, _hook=extension.post_load:
                        _hook(record, loader=loader))
    hooks = (tuple(pre), tuple(post))
    setattr(record_cls, "_consortium_load_hooks", hooks)
    return hooks


def _model_fields(record_cls):
    """(model field name, dump key, dump type) of RECORD_CLS's model system fields."""
    fields = record_cls.__dict__.get("_consortium_model_fields")
    if fields is None:
        fields = tuple((f.model_field_name, f.dump_key, f.dump_type)
                       for f in SearchDumper._iter_modelfields(record_cls))
        setattr(record_cls, "_consortium_model_fields", fields)
    return fields


def search_load(loader, data, record_cls):
    """`SearchDumper.load(DATA, RECORD_CLS)` of LOADER, with RECORD_CLS's model fields
    listed once and the model's JSON copied as JSON (its `encode` is a deep copy)."""
    for extension in loader._extensions:
        extension.load(data, record_cls)
    model_data = {}
    for name, (key, dump_type) in loader._model_fields.items():
        model_data[name] = loader._load_model_field(record_cls, name, data, key, dump_type)
    for name, key, dump_type in _model_fields(record_cls):
        model_data[name] = loader._load_model_field(record_cls, name, data, key, dump_type)
    model = None
    if model_data.get("id") is not None:
        model_cls = record_cls.model_cls
        if model_cls.encoder is None and "json" not in model_data:
            model = model_cls(json=copy_json(data), **model_data)
            flag_modified(model, "json")  # as the model's `data` setter does
        else:
            model_data["data"] = data
            model = model_cls(**model_data)
    return record_cls(data, model=model)


class ResolvedLoads:
    """`Record.loads` with the load hooks resolved once per class."""

    @classmethod
    def loads(cls, data, loader=None):
        """Load a record dump (as `invenio_records.api.RecordBase.loads`)."""
        loader = loader or cls.dumper
        data = copy_json(data)
        pre, post = _load_hooks(cls)
        for hook in pre:
            hook(data, loader=loader)
        if type(loader) is SearchDumper:  # exactly invenio-records' (else its own load)
            record = search_load(loader, data, cls)
        else:
            record = loader.load(data, cls)
        for hook in post:
            hook(record, data, loader=loader)
        return record


COMMUNITIES_KEY = "_consortium_loaded_communities"
COMMUNITIES_PER_CONTEXT = 256


def loaded_community(entry):
    """`Community.loads(ENTRY)`, the same object for equal entries in one app context."""
    if not has_app_context():
        return Community.loads(entry)
    loaded = g.get(COMMUNITIES_KEY)
    if loaded is None:
        loaded = {}
        setattr(g, COMMUNITIES_KEY, loaded)
    key = entry.get("@v") or entry.get("id")
    cached = loaded.get(key)
    if cached is not None and cached[0] == entry:
        return cached[1]
    community = Community.loads(entry)
    if len(loaded) < COMMUNITIES_PER_CONTEXT:
        # a copy: the entry given may change later; ours is compared, never given out
        loaded[key] = (copy_json(entry), community)
    return community


class LibraryCommunitiesManager(CommunitiesRelationManager):
    """invenio-communities' relation manager; a hit's entries loaded once per context."""

    def from_dict(self, data):
        """Build the manager from the record's dict (as upstream's `from_dict`)."""
        data = data or {}
        self._default_id = data.get("default", None)
        self._communities_ids = set(data.get("ids", []))
        entries = data.pop("entries", None)
        if entries:
            self._communities_cache = {c["id"]: loaded_community(c) for c in entries}
        return self


class LibraryParent(ResolvedLoads, RDMParent):
    """RDM's parent of a record's versions (loaded inside every hit)."""

    communities = CommunitiesField(models.RDMParentCommunity,
                                   manager_cls=LibraryCommunitiesManager)


class LibraryRecord(ResolvedLoads, RDMRecord):
    """RDM's published record."""

    parent_record_cls = LibraryParent


class LibraryDraft(ResolvedLoads, RDMDraft):
    """RDM's draft."""

    parent_record_cls = LibraryParent
