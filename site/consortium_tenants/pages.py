"""What the consortium's and the libraries' pages show of the member libraries.

The front page lists the libraries (logo, name in the page's language, number
of works, link to the library's own site); the footers name the library of the
host or the consortium; a library community's header shows the library's name
in the page's language; a host no library answers on gets a page saying so.
"""

from urllib.parse import urlsplit

from flask import current_app, g, render_template, request
from invenio_access.permissions import system_identity
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_communities.communities.records.models import (
    CommunityFileMetadata,
    CommunityMetadata,
)
from invenio_i18n import lazy_gettext as _
from invenio_records_resources.services.records.facets import TermsFacet
from invenio_search import current_search_client
from invenio_search.engine import dsl
from invenio_search.utils import build_alias_name

from .i18n import language, localized
from .origin import current_origin, primary_origin
from .tenants.models import TenantModel
from .units import format_money


def library_name(tenant):
    """The library's name in the page's language."""
    return localized(tenant.names)


def _site_url():
    """SITE_UI_URL as configured: the consortium's site. (On a library's host the
    config answers with the library's own origin: consortium_tenants.origin.)"""
    return dict.get(current_app.config, "SITE_UI_URL")


def consortium_url():
    """The consortium's own site, with a trailing slash."""
    return _site_url().rstrip("/") + "/"


def library_url(tenant):
    """The library's own site: `<slug>.<CONSORTIUM_TENANT_HOST_SUFFIX>`, with the
    scheme and port of the consortium's (the host every library answers on)."""
    site = urlsplit(_site_url())
    port = f":{site.port}" if site.port else ""
    suffix = current_app.config["CONSORTIUM_TENANT_HOST_SUFFIX"]
    return f"{site.scheme}://{tenant.slug}.{suffix}{port}/"


def works_per_community(community_ids):
    """Community id → published works the current visitor may see (one search)."""
    if not community_ids:
        return {}
    identity = getattr(g, "identity", None) or system_identity
    service = current_rdm_records_service
    search = service._search(
        "search", identity, {}, None,
        extra_filter=dsl.Q("terms", **{"parent.communities.ids": community_ids}),
    )
    search = search.extra(size=0)
    search.aggs.bucket("libraries", "terms", field="parent.communities.ids",
                       size=len(community_ids))
    buckets = search.execute().aggregations.libraries.buckets
    return {bucket.key: bucket.doc_count for bucket in buckets}


def library_logo(tenant):
    """The URL of TENANT's logo, None while it has none (no request that answers 404)."""
    return _logo_urls([tenant.community_id]).get(str(tenant.community_id))


def _logo_urls(community_ids):
    """Community id → the URL of its logo, for those that have one (one query)."""
    rows = CommunityFileMetadata.query.filter(
        CommunityFileMetadata.record_id.in_([i for i in community_ids if i]),
        CommunityFileMetadata.key == "logo", CommunityFileMetadata.json.isnot(None),
    ).with_entities(CommunityFileMetadata.record_id)
    return {str(cid): f"/api/communities/{cid}/logo" for (cid,) in rows}


def member_libraries(with_works=False, limit=None):
    """The member libraries, by name in the page's language, for the pages to list;
    with LIMIT, the LIMIT with the most works (a page cannot show hundreds)."""
    tenants = [t for t in TenantModel.query if t.community_id is not None]
    ids = [str(t.community_id) for t in tenants]
    works = works_per_community(ids) if with_works else {}
    if limit is not None:
        tenants = sorted(tenants, key=lambda t: -works.get(str(t.community_id), 0))[:limit]
    logos = _logo_urls([t.community_id for t in tenants]) if with_works else {}
    libraries = [
        {
            "slug": tenant.slug,
            "name": library_name(tenant),
            "short_name": tenant.short_name,
            "url": library_url(tenant),
            "logo": logos.get(str(tenant.community_id)),
            "works": works.get(str(tenant.community_id), 0),
            "suspended": tenant.status == "suspended",
        }
        for tenant in tenants
    ]
    return sorted(libraries, key=lambda library: library["name"].casefold())


def member_library_count():
    """How many member libraries there are (those with a collection)."""
    return TenantModel.query.filter(TenantModel.community_id.isnot(None)).count()


def libraries_by_community():
    """Community id → the library's name in the page's language and its site (which
    shows its collection): the search pages' results name each work's library. On a
    library's own host only that library (its pages name no other library)."""
    own = g.get("tenant")
    tenants = [own] if own is not None else TenantModel.query
    return {str(t.community_id): {"name": library_name(t), "url": library_url(t)}
            for t in tenants if t.community_id is not None}


def recent_libraries(size=10):
    """Community id → the library (name, site) of each of the SIZE newest public works,
    for the front page's recent uploads (InvenioRDM fetches `/api/records?sort=newest`
    in the page and names each work's library from this: assets searchResults.js)."""
    body = {"size": size, "sort": [{"created": "desc"}], "_source": ["parent.communities.ids"],
            "query": {"bool": {"filter": [{"term": {"access.record": "public"}},
                                          {"term": {"versions.is_latest": True}}]}}}
    hits = current_search_client.search(index=build_alias_name("rdmrecords-records"),
                                        body=body)["hits"]["hits"]
    ids = {cid for hit in hits
           for cid in hit["_source"].get("parent", {}).get("communities", {}).get("ids", [])}
    return {cid: library for cid, library in libraries_by_community().items() if cid in ids}


def library_labels(community_ids):
    """Community id → the library's name in the page's language (a library's
    collection: its community's title), for the search's *Library* facet."""
    tenants = {str(t.community_id): t for t in TenantModel.query.filter(
        TenantModel.community_id.in_(community_ids))}
    others = {str(c.id): (c.json or {}).get("metadata", {}).get("title")
              for c in CommunityMetadata.query.filter(CommunityMetadata.id.in_(
                  [i for i in community_ids if i not in tenants]))}
    return {i: library_name(tenants[i]) if i in tenants else others.get(i) or i
            for i in community_ids}


library_facet = TermsFacet(field="parent.communities.ids", label=_("Library"),
                           value_labels=library_labels)
"""The consortium search's *Library* facet (RDM_FACETS["library"] in invenio.cfg)."""


def work_home(record_ui):
    """Where a work lives: {"url": its one canonical address, `/records/<id>` on its
    library's host (where its DOI sends readers too), "library": the library's name in
    the page's language, "elsewhere": whether this page is a copy on another host}. None
    for a work of no library."""
    ids = ((record_ui.get("parent") or {}).get("communities") or {}).get("ids") or []
    tenant = next((t for t in map(TenantModel.of_community, ids) if t is not None), None)
    if tenant is None:
        return None
    origin, served = primary_origin(tenant), current_origin()
    if served and urlsplit(served).hostname == urlsplit(origin).hostname:
        origin = served  # the same host, as the request addressed it (its port)
    return {"url": f"{origin}/records/{record_ui['id']}", "library": library_name(tenant),
            "elsewhere": g.get("tenant") is None or g.tenant.id != tenant.id}


def wants_html():
    """Whether the request is a browser's page request (not the API's, not JSON's)."""
    if request.path.startswith("/api/") or request.script_root == "/api":
        return False
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "text/html"


def unknown_host_page(host):
    """The page a browser gets on a host no member library answers on (400)."""
    body = render_template("consortium_tenants/unknown_host.html", host=host,
                           consortium=consortium_url())
    return body, 400, {"Content-Type": "text/html; charset=utf-8"}


def register(blueprint):
    """Template helpers of the pages, on the UI blueprint."""

    @blueprint.app_context_processor
    def page_helpers():
        return {"library_name": library_name, "library_url": library_url,
                "consortium_url": consortium_url, "member_libraries": member_libraries,
                "library_logo": library_logo, "libraries_by_community": libraries_by_community,
                "member_library_count": member_library_count,
                "recent_libraries": recent_libraries, "work_home": work_home}

    blueprint.add_app_template_global(
        lambda amount, currency: format_money(amount, currency, language()), "format_money")
    # Browsers ask every host for /favicon.ico itself (an XML page, e.g. OAI-PMH, links none).
    blueprint.add_url_rule("/favicon.ico", "favicon",
                           lambda: current_app.send_static_file("favicon.ico"))
