"""Harvest COUNTER R5.1 reports with celus-nigiri; print what it read as JSON.

Run by tests/stats/test_nigiri.py in nigiri's own virtualenv (requirements.txt beside
this file), never in the application's. Reads on stdin
{"url": ".../api/sushi/r51", "customer_id", "requestor_id", "api_key",
 "begin": "YYYY-MM", "end": "YYYY-MM", "reports": ["PR", "PR_P1", "IR", "IR_A1", ...]}
and writes {REPORT_ID: {"http_status", "url", "errors", "warnings", "infos",
"records": [...]}} where errors/warnings/infos are the exceptions nigiri classified
(code, severity) and records its CounterRecords (value, metric, month, title, item,
item_ids, item_publication_date, item_authors, dimension_data).

Nigiri builds the request itself (its URL, its dates, its attributes_to_show and
include_parent_details for a master report) and parses the answer with the report
class of the master report (PR for PR_P1, IR for IR_A1: Standard Views have the
master's shape).
"""

import io
import json
import sys

from celus_nigiri.client import CounterVersion, Sushi51Client


def errors(found):
    return [{"code": str(getattr(e, "code", "")), "severity": getattr(e, "severity", "Error"),
             "message": str(e)} for e in found]


def identifiers(ids):
    """Nigiri's Identifiers (slots) as a dict of the ones it read."""
    return {name: getattr(ids, name) for name in ids.__slots__
            if getattr(ids, name, None)} if ids else {}


def record(r):
    return {
        "value": r.value,
        "metric": r.metric,
        "month": r.start.strftime("%Y-%m"),
        "title": r.title,
        "item": r.item,
        "title_ids": identifiers(r.title_ids),
        "item_ids": identifiers(r.item_ids),
        "item_publication_date": r.item_publication_date,
        "item_authors": [a.name for a in r.item_authors or []] or None,
        "dimension_data": r.dimension_data,
    }


def harvest(request):
    client = Sushi51Client(request["url"], request["customer_id"], request["requestor_id"],
                           extra_params={"api_key": request["api_key"]})
    read = {}
    for report_id in request["reports"]:
        report_type = report_id.lower()
        master = report_type.split("_")[0]
        report_class = CounterVersion.C51.get_report_class(master)
        params = dict(report_class.extra_params) if report_type == master else {}
        content = io.BytesIO()
        report = client._get_report_data(report_class, report_type, request["begin"],
                                          request["end"], content, params)
        found = {"errors": errors(report.errors), "warnings": errors(report.warnings),
                 "infos": errors(report.infos)}  # before fd_to_dicts reads them again
        header, items = report.fd_to_dicts(content)
        records = [record(r) for r in report.read_report(header, items)]
        read[report_id] = {"http_status": report.http_status_code, "url": report.url,
                           "report_id": header.get("Report_ID"), **found, "records": records}
    return read


if __name__ == "__main__":
    json.dump(harvest(json.load(sys.stdin)), sys.stdout, ensure_ascii=False)
