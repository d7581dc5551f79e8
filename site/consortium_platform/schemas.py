"""Record schemas built once per process instead of once per record.

invenio-records-resources' `ServiceSchemaWrapper` instantiates the service's schema
class for every record it dumps or loads; marshmallow then deep-copies the declared
fields and builds every nested schema again (metadata, access, files, pids, parent,
custom fields — the latter through `Schema.from_dict`, a new class per record). On a
25-hit search page that construction is most of the serialization time.

Since invenio-records-resources 10 the dump/load context lives in a context variable
(`marshmallow_utils.context.context_schema`), not on the schema instance, and
marshmallow's dump and load keep no per-call state on the instance, so one instance
per constructor arguments can serve every record. `reused(SchemaClass)` returns a
subclass whose construction hands out such an instance: one per application (its
configuration, e.g. the custom fields, is read at construction) and per thread.
Constructor arguments that cannot be hashed, or a call outside an application
context, get a new instance as before.
"""

import threading

from flask import current_app, has_app_context
from marshmallow.schema import SchemaMeta

EXTENSION_KEY = "consortium-reused-schemas"


class ReusedSchemaMeta(SchemaMeta):
    """Schema classes whose instances are kept per application, thread and arguments."""

    def __call__(cls, *args, **kwargs):
        if args or not has_app_context():
            return super().__call__(*args, **kwargs)
        try:
            key = (cls, frozenset(kwargs.items()))
            hash(key)
        except TypeError:
            return super().__call__(**kwargs)
        local = current_app.extensions.setdefault(EXTENSION_KEY, threading.local())
        instances = local.__dict__.setdefault("instances", {})
        instance = instances.get(key)
        if instance is None:
            instance = instances[key] = super().__call__(**kwargs)
        return instance


def reused(schema_cls):
    """A subclass of SCHEMA_CLS built once per application, thread and arguments."""
    return ReusedSchemaMeta(
        schema_cls.__name__, (schema_cls,),
        {"__module__": schema_cls.__module__, "__doc__": schema_cls.__doc__,
         "__qualname__": schema_cls.__qualname__},
    )
