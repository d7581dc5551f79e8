"""COUNTER R5.1 tabular (TSV) form of a JSON report (Code of Practice 3.2, Table 3.f)."""

import csv
import io
from datetime import date

from .metrics import next_month

HEADER_ROWS = ("Report_Name", "Report_ID", "Release", "Institution_Name")
ITEM_COLUMNS = ("Item", "Publisher", "Publisher_ID", "Platform", "Authors", "Publication_Date",
                "Article_Version", "DOI", "Proprietary_ID", "ISBN", "Print_ISSN", "Online_ISSN",
                "URI")
PARENT_COLUMNS = ("Parent_Title", "Parent_Authors", "Parent_Article_Version", "Parent_DOI",
                  "Parent_Proprietary_ID", "Parent_Print_ISSN", "Parent_Online_ISSN",
                  "Parent_URI")


def _listed(values):
    return "|".join(values) if isinstance(values, list) else str(values)


def _identifiers(ids):
    """`Type:value` of an Institution_ID (a proprietary value already has its namespace)."""
    return "; ".join(value if kind == "Proprietary" else f"{kind}:{value}"
                     for kind, values in ids.items() for value in values)


def _months(begin, end):
    months, month = [], date.fromisoformat(begin).replace(day=1)
    while month <= date.fromisoformat(end):
        months.append(month)
        month = next_month(month)
    return months


def _header(report_header):
    filters = dict(report_header["Report_Filters"])
    begin, end = filters.pop("Begin_Date"), filters.pop("End_Date")
    metric_types = filters.pop("Metric_Type", [])
    attributes = report_header.get("Report_Attributes", {})
    exceptions = report_header.get("Exceptions", [])
    rows = [[key, report_header[key]] for key in HEADER_ROWS]
    rows += [
        ["Institution_ID", _identifiers(report_header["Institution_ID"])],
        ["Metric_Types", "; ".join(metric_types)],
        ["Report_Filters", "; ".join(f"{k}={_listed(v)}" for k, v in filters.items())],
        ["Report_Attributes", "; ".join(f"{k}={_listed(v)}" for k, v in attributes.items())],
        ["Exceptions", "; ".join(
            f"{e['Code']}: {e['Message']}" + (f" ({e['Data']})" if e.get("Data") else "")
            for e in exceptions)],
        ["Reporting_Period", f"Begin_Date={begin}; End_Date={end}"],
        ["Created", report_header["Created"]],
        ["Created_By", report_header["Created_By"]],
        ["Registry_Record", report_header["Registry_Record"]],
        [],
    ]
    return rows, _months(begin, end), attributes.get("Attributes_To_Show", [])


def _metric_rows(prefix, performance, months, monthly=True):
    for metric, counts in performance.items():
        values = [counts.get(m.strftime("%Y-%m"), 0) for m in months]
        yield [*prefix, metric, sum(values), *(values if monthly else [])]


def report_tsv(report, exclude_monthly_details=False):
    """The TSV text of REPORT (PR, PR_P1, IR or IR_A1 as built by `sushi`);
    EXCLUDE_MONTHLY_DETAILS (R5.1 Report_Attributes, tabular reports): only the
    Reporting_Period_Total column, no column per month."""
    header = report["Report_Header"]
    if exclude_monthly_details:
        header = {**header, "Report_Attributes": {**header.get("Report_Attributes", {}),
                                                  "Exclude_Monthly_Details": "True"}}
    rows, months, shown = _header(header)
    monthly = not exclude_monthly_details
    month_columns = [m.strftime("%b-%Y") for m in months] if monthly else []
    report_id = header["Report_ID"]
    if report_id in ("PR", "PR_P1"):
        attributes = ["Data_Type", *(a for a in ("Access_Method",) if a in shown)]
        rows.append(["Platform", *attributes, "Metric_Type", "Reporting_Period_Total",
                     *month_columns])
        for item in report["Report_Items"]:
            for entry in item["Attribute_Performance"]:
                prefix = [item["Platform"], *(entry.get(a, "") for a in attributes)]
                rows.extend(_metric_rows(prefix, entry["Performance"], months, monthly))
    else:
        item_columns = [c for c in ITEM_COLUMNS if not (report_id == "IR_A1" and c == "ISBN")]
        parents = list(PARENT_COLUMNS) if report_id == "IR_A1" else []
        attributes = (["Access_Type"] if report_id == "IR_A1" else
                      ["Data_Type", *(a for a in ("YOP", "Access_Type", "Access_Method")
                                      if a in shown)])
        rows.append([*item_columns, *parents, *attributes, "Metric_Type",
                     "Reporting_Period_Total", *month_columns])
        for group in report["Report_Items"]:
            for item in group["Items"]:
                ids = item.get("Item_ID", {})
                described = {"Item": item["Item"], "Publisher": item["Publisher"],
                             "Platform": item["Platform"], "DOI": ids.get("DOI", ""),
                             "Proprietary_ID": ids.get("Proprietary", ""),
                             "URI": ids.get("URI", ""),
                             "Authors": "; ".join(
                                 a["Name"] + (f" (ORCID:{a['ORCID']})" if a.get("ORCID") else "")
                                 for a in item.get("Authors", [])),
                             "Publication_Date": item.get("Publication_Date", ""),
                             "Article_Version": item.get("Article_Version", "")}
                prefix = [described.get(c, "") for c in item_columns] + [""] * len(parents)
                for entry in item["Attribute_Performance"]:
                    rows.extend(_metric_rows(prefix + [entry.get(a, "") for a in attributes],
                                             entry["Performance"], months, monthly))
    out = io.StringIO()
    csv.writer(out, delimiter="\t", lineterminator="\r\n").writerows(rows)
    return out.getvalue()
