"""The Kramerius link check (job `consortium-kramerius-links`): each published work with
a Kramerius uuid in a library that set its Kramerius is asked for at its Kramerius view
(HEAD; a server refusing HEAD with 405/501 is asked with GET), with a timeout; the answer
replaces the work's last check (`KrameriusLinkModel`). A link is broken when Kramerius
answers 4xx/5xx or does not answer in time; works no longer linked lose their row."""

from datetime import datetime, timezone

import requests
from flask import current_app
from invenio_db import db
from invenio_search import current_search_client
from invenio_search.utils import build_alias_name
from opensearchpy.helpers import scan

from ...tenants.models import TenantModel
from .identifiers import kramerius_identifiers
from .models import KrameriusLinkModel, KrameriusSettingsModel
from .service import view_url


def linked_works(community_id):
    """[(record id, title, Kramerius uuid)] of the library's published works (latest
    versions) that carry a Kramerius uuid."""
    query = {"query": {"bool": {"filter": [
        {"term": {"versions.is_latest": True}}, {"term": {"is_deleted": False}},
        {"term": {"metadata.identifiers.scheme": "kramerius"}},
        {"term": {"parent.communities.default": str(community_id)}},
    ]}}}
    out = []
    for hit in scan(current_search_client, index=build_alias_name("rdmrecords-records"),
                    query=query, _source=["id", "metadata.title", "metadata.identifiers"]):
        source = hit["_source"]
        _, uuid = kramerius_identifiers(source.get("metadata"))
        if uuid:
            out.append((source["id"], (source.get("metadata") or {}).get("title")
                        or source["id"], uuid))
    return out


def probe(url, timeout):
    """(ok, HTTP status or None, reason or None) of asking for URL."""
    try:
        res = requests.head(url, timeout=timeout, allow_redirects=True)
        if res.status_code in (405, 501):
            res = requests.get(url, timeout=timeout, allow_redirects=True, stream=True)
            res.close()
    except requests.Timeout:
        return False, None, "timeout"
    except requests.RequestException as error:
        return False, None, type(error).__name__
    return res.status_code < 400, res.status_code, None


def check_links(slugs=None):
    """Check the Kramerius links of every library with a Kramerius address (or of
    SLUGS); {slug: {"checked": n, "broken": n}}."""
    timeout = current_app.config["CONSORTIUM_KRAMERIUS_LINK_TIMEOUT"]
    query = db.session.query(TenantModel, KrameriusSettingsModel).join(
        KrameriusSettingsModel, KrameriusSettingsModel.tenant_id == TenantModel.id)
    if slugs:
        query = query.filter(TenantModel.slug.in_(slugs))
    result = {}
    for tenant, settings in query.order_by(TenantModel.slug).all():
        if not settings.base_url:
            continue
        works = linked_works(tenant.community_id)
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        broken = 0
        for record_id, title, uuid in works:
            url = view_url({"base_url": settings.base_url}, uuid)
            ok, status, reason = probe(url, timeout)
            broken += not ok
            row = db.session.get(KrameriusLinkModel, record_id) or KrameriusLinkModel(
                record_id=record_id)
            row.tenant_id, row.title, row.url = tenant.id, title[:512], url
            row.ok, row.status, row.reason, row.checked = ok, status, reason, now
            db.session.add(row)
            current_app.logger.info("Kramerius link of %s (%s): %s", record_id, url,
                                    "ok" if ok else f"broken ({status or reason})")
        KrameriusLinkModel.query.filter(
            KrameriusLinkModel.tenant_id == tenant.id,
            KrameriusLinkModel.record_id.notin_([w[0] for w in works] or [""]),
        ).delete(synchronize_session=False)
        db.session.commit()
        result[tenant.slug] = {"checked": len(works), "broken": broken}
    return result
