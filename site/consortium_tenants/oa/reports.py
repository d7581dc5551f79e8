"""Open-access reports of a library (or of the consortium) from OpenSearch aggregations.

One search request (`size: 0`) over the latest versions of the published works gives:
access status (open / embargoed / restricted / metadata-only) overall, by publication
year and by resource type; works per licence; embargoed works by the month their
embargo ends; status by funder (funding vocabulary id); and the works that break the
library's policy (none of their licences allowed, an embargo longer than allowed for
their resource type counted from the work's creation — datasets by the policy's data
availability —, funding missing where required, a publication without an allowed deposited
version), listed with links: the breaches `rules.problems` finds at deposit. `rows(report)` is the same numbers as CSV rows.
"""

from invenio_search import current_search_client
from invenio_search.utils import build_alias_name

from ..coar import VERSION_FIELD
from .rules import PUBLICATION_TYPE, embargo_limits

STATUSES = ("open", "embargoed", "restricted", "metadata-only")
"""InvenioRDM's `access.status` values, in the order the reports show them."""

NON_COMPLIANT_LISTED = 100
"""Non-compliant works the report lists (all are counted)."""

_STATUS_AGG = {"status": {"terms": {"field": "access.status", "size": len(STATUSES) + 2}}}

_LONGER_THAN = ("doc['access.embargo.until'].size() > 0 && doc['created'].size() > 0 && "
                "doc['access.embargo.until'].value.toInstant().toEpochMilli() > "
                "doc['created'].value.plusMonths(params.months).toInstant().toEpochMilli()")


def _type_matches(type_id):
    return {"bool": {"should": [{"term": {"metadata.resource_type.id": type_id}},
                                {"prefix": {"metadata.resource_type.id": f"{type_id}-"}}],
                     "minimum_should_match": 1}}


def _embargo_longer(months):
    return {"script": {"script": {"source": _LONGER_THAN, "lang": "painless",
                                  "params": {"months": int(months)}}}}


def breaches(policy):
    """Query clauses, one per way a work can break POLICY (empty: nothing to break)."""
    clauses = []
    if policy.get("licenses"):
        clauses.append({"bool": {"must_not": [
            {"terms": {"metadata.rights.id": list(policy["licenses"])}}]}})
    if policy.get("funding_required"):
        clauses.append({"bool": {"must_not": [{"exists": {"field": "metadata.funding"}}]}})
    versions = policy.get("versions") or []
    if versions:  # a publication that does not say an allowed version
        clauses.append({"bool": {"filter": [_type_matches(PUBLICATION_TYPE)], "must_not": [
            {"terms": {f"custom_fields.{VERSION_FIELD}": list(versions)}}]}})
    by_type = embargo_limits(policy)
    # the most specific entry wins: a type's clause excludes its more specific entries
    for type_id, months in by_type.items():
        narrower = [_type_matches(t) for t in by_type if t.startswith(f"{type_id}-")]
        clauses.append({"bool": {"filter": [_type_matches(type_id), _embargo_longer(months)],
                                 "must_not": narrower}})
    if policy.get("max_embargo_months") is not None:
        clauses.append({"bool": {"filter": [_embargo_longer(policy["max_embargo_months"])],
                                 "must_not": [_type_matches(t) for t in by_type]}})
    return clauses


def _statuses(buckets):
    counts = {status: 0 for status in STATUSES}
    counts.update({b["key"]: b["doc_count"] for b in buckets if b["key"] in counts})
    return counts


def _grouped(aggregation, key):
    return [{key: b.get("key_as_string", b["key"]), **_statuses(b["status"]["buckets"]),
             "total": b["doc_count"]} for b in aggregation["buckets"]]


def records_index():
    """The records' index alias the reports read."""
    return build_alias_name("rdmrecords-records")


def report(community_ids, policy, record_url, index=None, national=None):
    """The report over the works of COMMUNITY_IDS (None: every library's) against POLICY;
    RECORD_URL(id) is a work's page. INDEX: another index with the records' mapping
    (bench/oa.py), default the records'. NATIONAL: a second policy (the national
    strategy) whose compliance is counted in the same request."""
    filters = [{"term": {"versions.is_latest": True}}, {"term": {"is_deleted": False}}]
    if community_ids is not None:
        filters.append({"terms": {"parent.communities.ids": [str(c) for c in community_ids]}})
    aggs = {
        **_STATUS_AGG,
        "years": {"date_histogram": {"field": "metadata.publication_date_range",
                                     "calendar_interval": "year", "format": "yyyy",
                                     "min_doc_count": 1}, "aggs": _STATUS_AGG},
        "types": {"terms": {"field": "metadata.resource_type.id", "size": 200,
                            "order": {"_key": "asc"}}, "aggs": _STATUS_AGG},
        "licences": {"terms": {"field": "metadata.rights.id", "size": 200,
                               "order": {"_key": "asc"}}},
        "no_licence": {"missing": {"field": "metadata.rights.id"}},
        "embargoes": {"filter": {"term": {"access.status": "embargoed"}}, "aggs": {
            "months": {"date_histogram": {"field": "access.embargo.until",
                                          "calendar_interval": "month", "format": "yyyy-MM",
                                          "min_doc_count": 1}}}},
        "funders": {"terms": {"field": "metadata.funding.funder.id", "size": 200,
                              "order": {"_key": "asc"}}, "aggs": _STATUS_AGG},
    }
    clauses = breaches(policy)
    if clauses:
        aggs["non_compliant"] = {
            "filter": {"bool": {"should": clauses, "minimum_should_match": 1}},
            "aggs": {"works": {"top_hits": {"size": NON_COMPLIANT_LISTED,
                                            "sort": [{"created": "desc"}],
                                            "_source": ["id", "metadata.title"]}}}}
    national_clauses = breaches(national) if national is not None else []
    if national_clauses:
        aggs["national_non_compliant"] = {
            "filter": {"bool": {"should": national_clauses, "minimum_should_match": 1}}}
    body = {"size": 0, "track_total_hits": True,
            "query": {"bool": {"filter": filters}}, "aggs": aggs}
    result = current_search_client.search(index=index or records_index(), body=body)
    found = result["aggregations"]
    total = result["hits"]["total"]["value"]
    bad = found.get("non_compliant", {"doc_count": 0, "works": {"hits": {"hits": []}}})
    national_bad = found.get("national_non_compliant", {"doc_count": 0})["doc_count"]
    return {
        "total": total,
        "status": _statuses(found["status"]["buckets"]),
        "by_year": _grouped(found["years"], "year"),
        "by_resource_type": _grouped(found["types"], "resource_type"),
        "licences": [{"licence": b["key"], "works": b["doc_count"]}
                     for b in found["licences"]["buckets"]],
        "without_licence": found["no_licence"]["doc_count"],
        "embargoes_by_end_month": [{"month": b["key_as_string"], "works": b["doc_count"]}
                                   for b in found["embargoes"]["months"]["buckets"]],
        "by_funder": _grouped(found["funders"], "funder"),
        "compliance": {
            "checked": bool(clauses),
            "compliant": total - bad["doc_count"],
            "non_compliant": bad["doc_count"],
            "works": [{"id": h["_source"]["id"],
                       "title": (h["_source"].get("metadata") or {}).get("title"),
                       "link": record_url(h["_source"]["id"])}
                      for h in bad["works"]["hits"]["hits"]],
        },
        **({"national_compliance": {"compliant": total - national_bad,
                                    "non_compliant": national_bad}}
           if national is not None else {}),
    }


def rows(data):
    """The report's numbers as CSV rows: section, key, measure, value (a header first)."""
    out = [("section", "key", "measure", "value"), ("works", "", "total", data["total"])]
    out += [("status", "", status, data["status"][status]) for status in STATUSES]
    for section, key in (("by_year", "year"), ("by_resource_type", "resource_type"),
                         ("by_funder", "funder")):
        for group in data[section]:
            out += [(section, group[key], measure, group[measure])
                    for measure in (*STATUSES, "total")]
    out += [("licences", item["licence"], "works", item["works"])
            for item in data["licences"]]
    out.append(("licences", "", "without_licence", data["without_licence"]))
    out += [("embargoes_by_end_month", item["month"], "works", item["works"])
            for item in data["embargoes_by_end_month"]]
    compliance = data["compliance"]
    out += [("compliance", "", "compliant", compliance["compliant"]),
            ("compliance", "", "non_compliant", compliance["non_compliant"])]
    if "national_compliance" in data:
        national = data["national_compliance"]
        out += [("national_compliance", "", "compliant", national["compliant"]),
                ("national_compliance", "", "non_compliant", national["non_compliant"])]
    out += [("non_compliant_work", work["id"], "link", work["link"])
            for work in compliance["works"]]
    return out


def open_counts(community_ids, index=None):
    """Community id → (works, open works), from one terms aggregation."""
    if not community_ids:
        return {}
    body = {"size": 0, "query": {"bool": {"filter": [
        {"term": {"versions.is_latest": True}}, {"term": {"is_deleted": False}},
        {"terms": {"parent.communities.ids": [str(c) for c in community_ids]}}]}},
        "aggs": {"libraries": {"terms": {"field": "parent.communities.ids",
                                         "size": len(community_ids)},
                               "aggs": {"open": {"filter": {"term": {"access.status": "open"}}}}}}}
    result = current_search_client.search(index=index or records_index(), body=body)
    return {b["key"]: (b["doc_count"], b["open"]["doc_count"])
            for b in result["aggregations"]["libraries"]["buckets"]}
