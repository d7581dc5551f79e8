"""COUNTER R5.1 SUSHI: status, members, report list and the PR, PR_P1, IR, IR_A1 reports.

One platform per member library; a library's customer ID is its slug, the
consortium's is CONSORTIUM_SUSHI_CONSORTIUM_CUSTOMER_ID (its credentials
harvest every library, and `members` lists them). Every call but `status` needs
`customer_id`, `requestor_id` and `api_key` (Appendix D: 1030, 2000, 2010,
2011, 2020). Reports come from the monthly metrics (`metrics.py`); their parameters
arrive loaded by schemas.ReportArgsSchema (dates as dates, filters as lists), through
service.StatsService.
"""

import re
from collections import defaultdict
from datetime import datetime, timedelta, timezone

from dateutil.relativedelta import relativedelta
from flask import current_app
from invenio_pidstore.models import PersistentIdentifier
from invenio_rdm_records.records.api import RDMRecord
from sqlalchemy import func

from ..tenants.models import TenantModel
from .credentials import authenticate
from .metrics import next_month
from .models import ItemMonthUsage, ProcessedMonth, SearchDay

EXCEPTIONS = {
    1030: ("Insufficient Information to Process Request", 400),
    2000: ("Requestor Not Authorized to Access Service", 401),
    2010: ("Requestor is Not Authorized to Access Usage for Institution", 403),
    2011: ("Global Reports Not Supported", 403),
    2020: ("APIKey Invalid", 401),
    3020: ("Invalid Date Arguments", 400),
    3030: ("No Usage Available for Requested Dates", 200),
    3031: ("Usage Not Ready for Requested Dates", 200),
    3032: ("Usage No Longer Available for Requested Dates", 200),
    3050: ("Parameter Not Recognized in this Context", 200),
    3060: ("Invalid ReportFilter Value", 200),
    3062: ("Invalid ReportAttribute Value", 200),
    3063: ("Components Not Supported", 200),
}
"""Appendix D, Table D.1: code → (message, HTTP status)."""

THE_WORLD = "0000000000000000"

SEARCHES = "Searches_Platform"
"""The platform's searches (`searches.py`, SearchDay rows), reported as Data_Type Platform."""

METRICS = {
    "Total_Item_Investigations": "total_investigations",
    "Total_Item_Requests": "total_requests",
    "Unique_Item_Investigations": "unique_investigations",
    "Unique_Item_Requests": "unique_requests",
}
"""COUNTER Metric_Type → column of ItemMonthUsage."""

DATA_TYPES = {
    "PR": ["Article", "Audiovisual", "Book", "Book_Segment", "Conference", "Conference_Item",
           "Database_Full_Item", "Dataset", "Image", "Interactive_Resource", "Journal",
           "Multimedia", "News_Item", "Newspaper_or_Newsletter", "Other", "Patent",
           "Reference_Item", "Reference_Work", "Report", "Software", "Sound", "Standard",
           "Thesis_or_Dissertation", "Unspecified"],
    "IR": ["Article", "Audiovisual", "Book_Segment", "Conference_Item", "Database_Full_Item",
           "Dataset", "Image", "Interactive_Resource", "Multimedia", "News_Item", "Other",
           "Patent", "Reference_Item", "Report", "Software", "Sound", "Standard",
           "Thesis_or_Dissertation", "Unspecified"],
}

REPORTS = {
    "pr": ("PR", "Platform Report",
           "Usage of each library's platform, by Data_Type and Access_Method."),
    "pr_p1": ("PR_P1", "Platform Usage",
              "Requests of each library's platform: a Standard View of the Platform Report."),
    "ir": ("IR", "Item Report", "Usage of each record, by Data_Type, YOP, Access_Type."),
    "ir_a1": ("IR_A1", "Journal Article Requests",
              "Requests of articles: a Standard View of the Item Report."),
}
"""path → (Report_ID, Report_Name, Report_Description)."""

AUTH_PARAMS = {"customer_id", "requestor_id", "api_key", "platform"}
DATE_PARAMS = {"begin_date", "end_date"}
REPORT_PARAMS = {
    "pr": {"metric_type", "data_type", "access_method", "attributes_to_show", "granularity"},
    "pr_p1": set(),
    "ir": {"metric_type", "data_type", "access_method", "access_type", "yop", "item_id",
           "attributes_to_show", "include_parent_details", "include_component_details",
           "granularity"},
    "ir_a1": set(),
}
ATTRIBUTES = {"pr": {"Access_Method"},
              "ir": {"YOP", "Access_Type", "Access_Method", "Authors", "Publication_Date",
                     "Article_Version"}}
"""Attributes_To_Show supported per report; other COUNTER attributes get 3062."""


class SushiError(Exception):
    """An Appendix D exception answered on its own with its HTTP status."""

    def __init__(self, code, data=None):
        super().__init__(code)
        self.code = code
        self.data = data

    @property
    def status(self):
        return EXCEPTIONS[self.code][1]

    def to_dict(self):
        return exception(self.code, self.data)


def exception(code, data=None):
    """The JSON of exception CODE."""
    return {"Code": code, "Message": EXCEPTIONS[code][0], **({"Data": data} if data else {})}


def status():
    """The `/status` response."""
    return [{"Description": "COUNTER R5.1 usage reports of the member libraries.",
             "Service_Active": True}]


# --- who is asking ----------------------------------------------------------------
class Customer:
    """The institution of a request: one library, or the consortium with all of them."""

    def __init__(self, customer_id, tenants, name):
        self.customer_id = customer_id
        self.tenants = tenants
        self.name = name

    @property
    def institution_id(self):
        return {"Proprietary": [f"{current_app.config['CONSORTIUM_SUSHI_NAMESPACE']}:"
                                f"{self.customer_id}"]}


def library_name(tenant):
    """The library's English name (the language of COUNTER reports)."""
    return tenant.names.get("en") or tenant.names.get("cs") or tenant.slug


def customer_of(tenant):
    """The Customer of one library (its own statistics pages, no credentials)."""
    return Customer(tenant.slug, [tenant], library_name(tenant))


def authorize(args):
    """The Customer that ARGS' credentials may harvest, or SushiError."""
    missing = [p for p in ("customer_id", "requestor_id", "api_key") if not args.get(p)]
    if missing:
        raise SushiError(1030, f"Missing: {', '.join(missing)}")
    if "\x00" in args["requestor_id"] or "\x00" in args["api_key"]:
        raise SushiError(2000)  # no requestor has such an ID (nor can PostgreSQL look it up)
    credential, key_ok = authenticate(args["requestor_id"], args["api_key"])
    if credential is None:
        raise SushiError(2000)
    if not key_ok:
        raise SushiError(2020)
    customer_id = args["customer_id"]
    if "\x00" in customer_id:
        raise SushiError(2010)  # no institution has such an ID
    if customer_id == THE_WORLD:
        raise SushiError(2011)
    consortium_id = current_app.config["CONSORTIUM_SUSHI_CONSORTIUM_CUSTOMER_ID"]
    if credential.tenant_id is None and customer_id == consortium_id:
        tenants = TenantModel.query.order_by(TenantModel.slug).all()
        return Customer(customer_id, tenants, current_app.config["CONSORTIUM_SUSHI_CREATED_BY"])
    tenant = TenantModel.query.filter_by(slug=customer_id).one_or_none()
    if tenant is None or credential.tenant_id not in (None, tenant.id):
        raise SushiError(2010)
    return Customer(customer_id, [tenant], library_name(tenant))


def members(customer):
    """The `/members` response to CUSTOMER: the consortium's libraries, or the library
    itself."""
    listed = [{"Institution_Name": library_name(t), "Customer_ID": t.slug}
              for t in customer.tenants]
    if len(customer.tenants) != 1 or customer.tenants[0].slug != customer.customer_id:
        listed.insert(0, {"Institution_Name": customer.name, "Customer_ID": customer.customer_id})
    return listed


def processed_months():
    """The months whose metrics have been computed, in order."""
    return [m.month for m in ProcessedMonth.query.order_by(ProcessedMonth.month)]


def report_list():
    """The `/reports` response."""
    months = processed_months()
    if months:
        first, last = months[0], months[-1]
    else:  # required by the API schema: the last month that could have been processed
        first = last = datetime.now(timezone.utc).date().replace(day=1) - relativedelta(months=1)
    available = {"First_Month_Available": first.strftime("%Y-%m"),
                 "Last_Month_Available": last.strftime("%Y-%m")}
    return [{"Report_ID": report_id, "Report_Name": name, "Release": "5.1",
             "Report_Description": description, "Path": f"/r51/reports/{path}", **available}
            for path, (report_id, name, description) in REPORTS.items()]


# --- reports ------------------------------------------------------------------------
def month_bounds(day, end=False):
    """The first day of DAY's month (END: its last day)."""
    first = day.replace(day=1)
    return next_month(first) - timedelta(days=1) if end else first


def split(value):
    """Values of a multi-value parameter (a list as loaded, or `a|b`)."""
    if isinstance(value, (list, tuple)):
        return list(value)
    return [v for v in (value or "").split("|") if v]


class ReportRequest:
    """A report request: customer, months, filters, attributes and warnings, from ARGS
    as schemas.ReportArgsSchema loads them (`begin_date`, `end_date` dates)."""

    def __init__(self, path, args, customer):
        self.path = path
        self.report_id = REPORTS[path][0]
        self.customer = customer
        self.exceptions = []
        self.begin = month_bounds(args["begin_date"])
        self.end = month_bounds(args["end_date"], end=True)
        today = datetime.now(timezone.utc).date()
        this_month = today.replace(day=1)
        if self.begin > self.end:
            raise SushiError(3020, "end_date is before begin_date")
        if self.begin >= this_month:
            raise SushiError(3020, "begin_date is in the current or a future month")
        if self.end >= this_month:
            self.end = this_month - timedelta(days=1)
            self.warn(3031, f"End_Date set to {self.end.isoformat()}: "
                      "the current month is not complete")
        self.months = self._months()
        processed = processed_months()
        done = set(processed)
        gone = [m for m in self.months if processed and m < processed[0]]
        if gone:  # Appendix D: before the first processed month → 3032, with what is available
            self.warn(3032, "Usage available from " + processed[0].strftime("%Y-%m") + " to "
                      + processed[-1].strftime("%Y-%m") + "; not for "
                      + ", ".join(m.strftime("%Y-%m") for m in gone))
        not_ready = [m for m in self.months if m not in done and m not in gone]
        if not_ready:
            self.warn(3031, "Not processed yet: " + ", ".join(m.strftime("%Y-%m") for m in not_ready))
        self.ready = [m for m in self.months if m in done]
        unknown = sorted(set(args) - AUTH_PARAMS - DATE_PARAMS - REPORT_PARAMS[path])
        if unknown:
            self.warn(3050, ", ".join(unknown))
        self.args = args
        self.filters = {}
        self.attributes = {}
        self._platform(args.get("platform"))

    def warn(self, code, data=None):
        """Add exception CODE to the report header."""
        self.exceptions.append(exception(code, data))

    def _months(self):
        months, month = [], self.begin
        while month <= self.end:
            months.append(month)
            month = next_month(month)
        return months

    def _platform(self, platform):
        if not platform:
            return
        chosen = [t for t in self.customer.tenants if platform in (t.slug, library_name(t))]
        if chosen:
            self.customer.tenants = chosen
            self.filters["Platform"] = platform
        else:
            self.warn(3060, f"platform={platform}")

    def choose(self, name, filter_name, allowed):
        """Valid values of the pipe-separated filter NAME (others: 3060); None if absent."""
        values = split(self.args.get(name))
        if not values:
            return None
        bad = [v for v in values if v not in allowed]
        if bad:
            self.warn(3060, f"{name}={'|'.join(bad)}")
        good = [v for v in values if v in allowed]
        if good:
            self.filters[filter_name] = good
        return good or None

    def attributes_to_show(self):
        """Supported Attributes_To_Show (others: 3062), plus granularity (Month only)."""
        shown = split(self.args.get("attributes_to_show"))
        bad = [a for a in shown if a not in ATTRIBUTES[self.path]]
        if bad:
            self.warn(3062, f"attributes_to_show={'|'.join(bad)}")
        shown = [a for a in shown if a in ATTRIBUTES[self.path]]
        if shown:
            self.attributes["Attributes_To_Show"] = shown
        granularity = self.args.get("granularity")
        if granularity and granularity != "Month":
            self.warn(3062, f"granularity={granularity}")
        return shown

    def rows(self, per_platform=False, **where):
        """Metric rows of the customer's libraries in the processed months asked for;
        PER_PLATFORM: summed in the database per library, month and Data_Type (platform
        reports need no more)."""
        if not self.ready:
            return []
        query = ItemMonthUsage.query.filter(
            ItemMonthUsage.tenant_id.in_([t.id for t in self.customer.tenants]),
            ItemMonthUsage.month.in_(self.ready),
        )
        for column, values in where.items():
            if values is not None:
                query = query.filter(getattr(ItemMonthUsage, column).in_(values))
        if per_platform:
            keys = (ItemMonthUsage.tenant_id, ItemMonthUsage.month, ItemMonthUsage.data_type)
            sums = [func.sum(getattr(ItemMonthUsage, c)).label(c) for c in METRICS.values()]
            query = query.with_entities(*keys, *sums).group_by(*keys)
        return query.all()

    def searches(self):
        """{library id: {YYYY-MM: Searches_Platform}} of the customer's libraries in the
        processed months asked for (their days summed in the database), zero months left out."""
        if not self.ready:
            return {}
        month = func.date_trunc("month", SearchDay.day)
        query = SearchDay.query.with_entities(
            SearchDay.tenant_id, month.label("month"), func.sum(SearchDay.searches)).filter(
            SearchDay.tenant_id.in_([t.id for t in self.customer.tenants]),
            SearchDay.day >= self.ready[0], SearchDay.day < next_month(self.ready[-1]),
        ).group_by(SearchDay.tenant_id, month)
        ready = {m.strftime("%Y-%m") for m in self.ready}
        counts = defaultdict(dict)
        for tenant_id, first, total in query:
            key = first.strftime("%Y-%m")
            if key in ready and total:
                counts[tenant_id][key] = int(total)
        return counts

    def header(self, report_filters, with_attributes=True):
        """Report_Header of the report."""
        header = {
            "Report_Name": REPORTS[self.path][1],
            "Report_ID": self.report_id,
            "Release": "5.1",
            "Institution_Name": self.customer.name,
            "Institution_ID": self.customer.institution_id,
            "Report_Filters": {"Begin_Date": self.begin.isoformat(),
                               "End_Date": self.end.isoformat(), **report_filters},
            "Created": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Created_By": current_app.config["CONSORTIUM_SUSHI_CREATED_BY"],
            "Registry_Record": "",
        }
        if with_attributes and self.attributes:
            header["Report_Attributes"] = self.attributes
        return header

    def finish(self, header, items):
        """The report: 3030 when processed months have no usage; exceptions in the header."""
        if not items and self.ready:
            self.warn(3030)
        unique = []
        for entry in self.exceptions:
            if entry not in unique:
                unique.append(entry)
        if unique:
            header["Exceptions"] = unique
        return {"Report_Header": header, "Report_Items": items}


def performance(rows, metrics):
    """{Metric_Type: {YYYY-MM: count}} over ROWS, zero months and metrics left out."""
    counts = defaultdict(lambda: defaultdict(int))
    for row in rows:
        month = row.month.strftime("%Y-%m")
        for metric in metrics:
            counts[metric][month] += getattr(row, METRICS[metric])
    result = {}
    for metric in metrics:
        months = {m: n for m, n in sorted(counts[metric].items()) if n}
        if months:
            result[metric] = months
    return result


def grouped(rows, key):
    """ROWS grouped by KEY(row), in key order."""
    groups = defaultdict(list)
    for row in rows:
        groups[key(row)].append(row)
    return sorted(groups.items(), key=lambda item: tuple(str(k) for k in item[0]))


def platform_items(request, rows, metrics, attribute, searches=None, access_method=False):
    """Report_Items of a platform report: one per library, ATTRIBUTE(row) → its group;
    SEARCHES ({library id: {month: count}}): its Searches_Platform, as Data_Type Platform
    (ACCESS_METHOD: with Access_Method Regular)."""
    items = []
    tenants = {t.id: t for t in request.customer.tenants}
    searches = searches or {}
    by_tenant = dict(grouped(rows, lambda r: (r.tenant_id,)))
    for tenant_id in sorted(set(by_tenant) | {(t,) for t in searches}, key=str):
        attribute_performance = []
        if searches.get(tenant_id[0]):
            access = {"Access_Method": "Regular"} if access_method else {}
            attribute_performance.append({"Data_Type": "Platform", **access,
                                          "Performance": {"Searches_Platform": dict(sorted(
                                              searches[tenant_id[0]].items()))}})
        for attrs, group in grouped(by_tenant.get(tenant_id, []), attribute):
            counts = performance(group, metrics)
            if counts:  # one metric asked for (metric_type) is reported on its own
                attribute_performance.append({**dict(attrs), "Performance": counts})
        if attribute_performance:
            items.append({"Platform": library_name(tenants[tenant_id[0]]),
                          "Attribute_Performance": attribute_performance})
    return items


def platform_report(args, customer):
    """PR: Total/Unique_Item_Investigations/Requests by Data_Type (and Access_Method)."""
    request = ReportRequest("pr", args, customer)
    metrics = request.choose("metric_type", "Metric_Type", [SEARCHES, *METRICS]) or \
        [SEARCHES, *METRICS]
    data_types = request.choose("data_type", "Data_Type", [*DATA_TYPES["PR"], "Platform"])
    access_methods = request.choose("access_method", "Access_Method", ["Regular", "TDM"])
    shown = request.attributes_to_show()
    regular = access_methods != ["TDM"]
    rows = request.rows(True, data_type=data_types) if regular else []
    searches = request.searches() if regular and SEARCHES in metrics and (
        data_types is None or "Platform" in data_types) else {}

    def attribute(row):
        attrs = (("Data_Type", row.data_type),)
        return attrs + ((("Access_Method", "Regular"),) if "Access_Method" in shown else ())

    items = platform_items(request, rows, [m for m in metrics if m in METRICS], attribute,
                           searches, "Access_Method" in shown)
    return request.finish(request.header(request.filters), items)


def platform_usage(args, customer):
    """PR_P1: requests by Data_Type (Access_Method Regular)."""
    request = ReportRequest("pr_p1", args, customer)
    metrics = ["Total_Item_Requests", "Unique_Item_Requests"]
    items = platform_items(request, request.rows(True), metrics,
                           lambda row: (("Data_Type", row.data_type),), request.searches())
    filters = {"Access_Method": ["Regular"],
               "Metric_Type": ["Searches_Platform", "Total_Item_Requests",
                               "Unique_Item_Requests", "Unique_Title_Requests"]}
    return request.finish(request.header({**filters, **request.filters}, False), items)


YEAR_RANGE = re.compile(r"[0-9]{4}(?:-[0-9]{4})?")


def yop_values(request):
    """Valid years of the `yop` filter (`2020|2018-2019`), or None."""
    values = split(request.args.get("yop"))
    if not values:
        return None
    years, good = set(), []
    for value in values:
        first, _, last = value.partition("-")
        if YEAR_RANGE.fullmatch(value):  # ASCII digits: str.isdigit() takes "²" too
            years.update(str(y) for y in range(int(first), int(last or first) + 1))
            good.append(value)
        else:
            request.warn(3060, f"yop={value}")
    if good:
        request.filters["YOP"] = good
    return sorted(years) if good else None


def item_ids(request):
    """Record ids of the `item_id` filter (`<namespace>:<id>` or the id), or None."""
    value = request.args.get("item_id")
    if not value:
        return None
    if "\x00" in value:
        request.warn(3060, "item_id")
        return []
    request.filters["Item_ID"] = value
    namespace = current_app.config["CONSORTIUM_SUSHI_NAMESPACE"] + ":"
    return [value.removeprefix(namespace)]


FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
ORCID = re.compile(r"[0-9]{4}-[0-9]{4}-[0-9]{4}-[0-9]{3}[0-9X]")


def authors(metadata):
    """COUNTER Authors of a record: its first three creators (name, ORCID if known)."""
    listed = []
    for creator in metadata.get("creators") or []:
        person = creator.get("person_or_org") or {}
        name = person.get("name") or ", ".join(
            n for n in (person.get("family_name"), person.get("given_name")) if n)
        if len(name or "") < 2:
            continue
        author = {"Name": name}
        orcid = next((i["identifier"] for i in person.get("identifiers") or []
                      if i.get("scheme") == "orcid"), None)
        if orcid and ORCID.fullmatch(orcid):
            author["ORCID"] = orcid
        if author not in listed:
            listed.append(author)
        if len(listed) == 3:
            break
    return listed


def article_version(record):
    """R5.1 Article_Version of an article: a preprint is the Author's Original (AO); an
    article whose DOI the platform minted is the repository's copy, an Accepted Manuscript
    (AM); one carrying its publisher's DOI (external) is the Version of Record (VoR)."""
    if (record.get("metadata", {}).get("resource_type") or {}).get("id") == "publication-preprint":
        return "AO"
    doi = (record.get("pids") or {}).get("doi") or {}
    return "VoR" if doi.get("provider") == "external" else "AM"


def record_details(recids):
    """recid → the IR item details of the records' stored metadata (the database, not the
    search index, so a report is the same whenever it is made): DOI, Authors,
    Publication_Date (a whole date only) and Article_Version; records that are gone
    (deleted, or tombstones) have none."""
    details = {}
    recids = sorted(set(recids))
    for start in range(0, len(recids), 500):
        uuids = [pid.object_uuid for pid in PersistentIdentifier.query.filter(
            PersistentIdentifier.pid_type == "recid",
            PersistentIdentifier.pid_value.in_(recids[start:start + 500]),
            PersistentIdentifier.object_uuid.isnot(None))]
        for record in RDMRecord.get_records(uuids):
            if record.deletion_status.is_deleted:
                continue
            metadata = record.get("metadata", {})
            doi = ((record.get("pids") or {}).get("doi") or {}).get("identifier")
            date = metadata.get("publication_date") or ""
            details[record.pid.pid_value] = {
                "doi": doi,
                "authors": authors(metadata),
                "publication_date": date if FULL_DATE.fullmatch(date) else None,
                "article_version": article_version(record),
            }
    return details


def item_entry(request, recid, rows, attributes, details=None, shown=()):
    """One IR Report_Item; SHOWN: the item attributes (Authors, Publication_Date,
    Article_Version) to include, from DETAILS (of `record_details`)."""
    first = rows[0]
    tenant = {t.id: t for t in request.customer.tenants}[first.tenant_id]
    namespace = current_app.config["CONSORTIUM_SUSHI_NAMESPACE"]
    url = f"{current_app.config['SITE_UI_URL']}/records/{recid}"
    details = details or {}
    item_id = {"Proprietary": f"{namespace}:{recid}", "URI": url}
    if details.get("doi"):
        item_id = {"DOI": details["doi"], **item_id, "URI": f"https://doi.org/{details['doi']}"}
    entry = {
        "Item": first.title or recid,
        "Publisher": library_name(tenant),
        "Platform": library_name(tenant),
    }
    if "Authors" in shown and details.get("authors"):
        entry["Authors"] = details["authors"]
    if "Publication_Date" in shown and details.get("publication_date"):
        entry["Publication_Date"] = details["publication_date"]
    if "Article_Version" in shown and details.get("article_version") and \
            first.data_type == "Article":
        entry["Article_Version"] = details["article_version"]
    return {**entry, "Item_ID": item_id, "Attribute_Performance": attributes}


def item_report_items(request, rows, metrics, attribute, minimum, shown=()):
    """Report_Items of an item report: one group without parents, an item per record
    (its DOI in Item_ID; SHOWN item attributes: Authors, Publication_Date, Article_Version)."""
    items = []
    groups = grouped(rows, lambda r: (r.tenant_id, r.recid))
    details = record_details([recid for (_, recid), _ in groups]) if groups else {}
    for (tenant_id, recid), item_rows in groups:
        attributes = []
        for attrs, group in grouped(item_rows, attribute):
            counts = performance(group, metrics)
            if len(counts) >= minimum:
                attributes.append({**dict(attrs), "Performance": counts})
        if attributes:
            items.append(item_entry(request, recid, item_rows, attributes,
                                    details.get(recid), shown))
    return [{"Items": items}] if items else []


def item_report(args, customer):
    """IR: usage per record by Data_Type, and YOP, Access_Type, Access_Method if shown."""
    request = ReportRequest("ir", args, customer)
    all_metrics = [*METRICS, "Limit_Exceeded", "No_License"]
    metrics = [m for m in (request.choose("metric_type", "Metric_Type", all_metrics)
                           or list(METRICS)) if m in METRICS]
    data_types = request.choose("data_type", "Data_Type", DATA_TYPES["IR"])
    access_methods = request.choose("access_method", "Access_Method", ["Regular", "TDM"])
    access_types = request.choose("access_type", "Access_Type",
                                  ["Controlled", "Open", "Free_To_Read"])
    years = yop_values(request)
    recids = item_ids(request)
    for flag in ("include_parent_details", "include_component_details"):
        value = args.get(flag)
        if value == "True":  # no parents or components: a record is the item
            request.warn(3063 if flag == "include_component_details" else 3062, f"{flag}=True")
    shown = request.attributes_to_show()
    rows = [] if access_methods == ["TDM"] else request.rows(
        data_type=data_types, access_type=access_types, yop=years, recid=recids)

    def attribute(row):
        attrs = [("Data_Type", row.data_type)]
        if "YOP" in shown:
            attrs.append(("YOP", row.yop))
        if "Access_Type" in shown:
            attrs.append(("Access_Type", row.access_type))
        if "Access_Method" in shown:
            attrs.append(("Access_Method", "Regular"))
        return tuple(attrs)

    items = item_report_items(request, rows, metrics, attribute, 1, shown)
    return request.finish(request.header(request.filters), items)


def article_requests(args, customer):
    """IR_A1: requests of articles by Access_Type."""
    request = ReportRequest("ir_a1", args, customer)
    metrics = ["Total_Item_Requests", "Unique_Item_Requests"]
    rows = request.rows(data_type=["Article"])
    items = item_report_items(request, rows, metrics,
                              lambda row: (("Access_Type", row.access_type),), 2,
                              ("Authors", "Publication_Date", "Article_Version"))
    filters = {"Access_Method": ["Regular"], "Data_Type": ["Article"], "Metric_Type": metrics}
    return request.finish(request.header({**filters, **request.filters}, False), items)


BUILDERS = {"pr": platform_report, "pr_p1": platform_usage, "ir": item_report,
            "ir_a1": article_requests}
