"""Rendered metadata kept per record and format, read a page at a time.

Making a record's metadata XML is the cost of a ListRecords page: InvenioRDM's
MARCXML serializer rebuilds the record's full service result, DataCite's runs
its marshmallow schema over the index document. The XML only depends on the
index document (the endpoints serve public records to anyone), so it is kept
in `consortium_oai_rendered` under the hash of the document it was made from:
a page reads the rows of its records in one query, and makes again (and
stores) only those missing or made from another document. Made or kept, a
record's metadata is the serializer's element serialised on its own (UTF-8) and
spliced as bytes into the response (provider.py): a response is byte for byte
the same with or without the cache. An edit, a new
version, an access change or a reindex changes the document, so the next
request shows it. A record is rendered in every cached format by a Celery task
when it is published (components.py), and otherwise when it is first asked for.
CONSORTIUM_OAI_CACHED_FORMATS names the formats kept; the others are made on
every request.
"""

import hashlib
import json
from datetime import datetime, timezone

from flask import current_app, g
from flask_principal import AnonymousIdentity
from invenio_access.permissions import any_user
from invenio_db import db
from invenio_rdm_records.records.api import RDMRecord
from invenio_search import current_search_client
from invenio_search.utils import build_alias_name
from lxml import etree
from sqlalchemy.dialects.postgresql import insert
from werkzeug.utils import import_string

from .formats import available
from .models import RenderedMetadataModel as Rendered


RENDERING = 2
"""Bumped when a serializer's output changes: every kept rendering is made again (2: oai_dc and
oai_openaire descriptions as plain text)."""


def digest(source):
    """The hash of an index document (stable key order) and of RENDERING."""
    text = json.dumps([RENDERING, source], sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def render(spec, hit):
    """The metadata XML (UTF-8 bytes) the format of SPEC makes of a search hit."""
    return etree.tostring(import_string(spec["serializer"])(pid=None, record=hit),
                          encoding="UTF-8")


def metadata_xml(hits, prefix, spec):
    """Record id (the hits' _id) → metadata XML of format PREFIX (UTF-8 bytes), for HITS."""
    if prefix not in current_app.config["CONSORTIUM_OAI_CACHED_FORMATS"] or not hits:
        return {hit["_id"]: render(spec, hit) for hit in hits}
    digests = {hit["_id"]: digest(hit["_source"]) for hit in hits}
    rows = db.session.query(Rendered.record_id, Rendered.digest, Rendered.xml).filter(
        Rendered.metadata_prefix == prefix, Rendered.record_id.in_(list(digests))).all()
    kept = {str(row.record_id): row.xml for row in rows
            if row.digest == digests[str(row.record_id)]}
    xml, made = {}, []
    for hit in hits:
        if hit["_id"] in kept:
            xml[hit["_id"]] = kept[hit["_id"]]
            continue
        xml[hit["_id"]] = render(spec, hit)
        made.append({"record_id": hit["_id"], "metadata_prefix": prefix,
                     "digest": digests[hit["_id"]], "xml": xml[hit["_id"]]})
    if made:
        store(made)
    return xml


def store(rows):
    """Insert or replace ROWS, in a transaction of their own (not the request's)."""
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    statement = insert(Rendered.__table__).values(
        [{**row, "created": now, "updated": now} for row in rows])
    statement = statement.on_conflict_do_update(
        index_elements=["record_id", "metadata_prefix"],
        set_={"digest": statement.excluded.digest, "xml": statement.excluded.xml,
              "updated": statement.excluded.updated})
    with db.engine.begin() as connection:
        connection.execute(statement)


def fill(record_ids):
    """Render the public records RECORD_IDS (UUIDs) in every cached format they have."""
    if not record_ids:
        return 0
    # realtime, by id, from the index records are written to (mget needs one index)
    docs = current_search_client.mget(index=build_alias_name(RDMRecord.index._name),
                                      body={"ids": [str(i) for i in record_ids]})["docs"]
    hits = [doc for doc in docs if doc.get("found")
            and doc["_source"].get("access", {}).get("record") == "public"
            and doc["_source"].get("deletion_status", "P") == "P"]
    formats = current_app.config["OAISERVER_METADATA_FORMATS"]
    made, caller = 0, g.get("identity")
    g.identity = anonymous()  # as harvesters see the records, whoever published them
    try:
        for prefix in current_app.config["CONSORTIUM_OAI_CACHED_FORMATS"]:
            spec = formats[prefix]
            made += len(metadata_xml(
                [hit for hit in hits if available(spec, hit["_source"])], prefix, spec))
    finally:
        if caller is None:
            g.pop("identity")
        else:
            g.identity = caller
    return made


def anonymous():
    """The identity of an anonymous request (any_user, as invenio-access gives it)."""
    identity = AnonymousIdentity()
    identity.provides.add(any_user)
    return identity
