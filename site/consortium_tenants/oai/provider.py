"""OAI-PMH 2.0 request handling over the published-records index.

An *endpoint* is the consortium (every library's records, every library a set)
or one library (its records, its set and its collections as sub-sets
`slug:collection`). Sets are read live from the tenant registry and the
communities, so they follow creation, renaming and deletion of libraries.
Records are paged with `search_after` on (updated, id) and stateless tokens
(tokens.py, itsdangerous); deleted records answer with status="deleted" (persistent);
restricted records are never shown. A record that left an endpoint or set without
being deleted (restricted, moved to another library, removed from a collection) is
listed there with status="deleted" too, from departures.py, merged into the same
order (datestamp, id) as the index's records.
"""

import re
from datetime import datetime, timedelta, timezone

from flask import current_app
from invenio_communities.communities.records.systemfields.deletion_status import (
    CommunityDeletionStatusEnum,
)
from invenio_communities.proxies import current_communities
from invenio_search import current_search_client
from invenio_search.engine import search as search_engine
from invenio_search.utils import build_alias_name
from lxml import etree
from werkzeug.utils import import_string

from ..tenants.models import TenantModel
from . import departures, rendered, tokens
from .formats import available

NS_OAI = "http://www.openarchives.org/OAI/2.0/"
NS_XSI = "http://www.w3.org/2001/XMLSchema-instance"
NS_ID = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"

ARGUMENTS = {  # verb: (required, optional); resumptionToken is exclusive
    "Identify": (set(), set()),
    "ListMetadataFormats": (set(), {"identifier"}),
    "ListSets": (set(), {"resumptionToken"}),
    "GetRecord": ({"identifier", "metadataPrefix"}, set()),
    "ListIdentifiers": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
    "ListRecords": ({"metadataPrefix"}, {"from", "until", "set", "resumptionToken"}),
}
_SPEC_CHARS = r"[A-Za-z0-9\-_.!~*'()]+"
_VISIBLE = r"[^\s\x00-\x1f\x7f\ufffe\uffff]+"  # no spaces, nothing XML cannot carry
SYNTAX = {  # argument: its values' syntax (OAI-PMH.xsd types; from/until: parse_date)
    "metadataPrefix": re.compile(_SPEC_CHARS),
    "set": re.compile(f"{_SPEC_CHARS}(?::{_SPEC_CHARS})*"),
    "identifier": re.compile(f"[A-Za-z][A-Za-z0-9+.\\-]*:{_VISIBLE}"),  # a URI
    "resumptionToken": re.compile(_VISIBLE),
}


PLACEHOLDER_TAG = "consortium-oai-rendered:"
PLACEHOLDER = re.compile(f"<!--{PLACEHOLDER_TAG}([0-9]+)-->".encode())
"""Where kept metadata goes in a response (metadata XML carries no comments of its own)."""


class OAIError(Exception):
    """An OAI-PMH error condition: its code and a message for the harvester."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code, self.message = code, message


def _q(tag):
    return f"{{{NS_OAI}}}{tag}"


def _sub(parent, tag, text=None, **attrs):
    element = etree.SubElement(parent, _q(tag), {k: v for k, v in attrs.items() if v is not None})
    if text is not None:
        element.text = text
    return element


def datestamp(value):
    """An index timestamp at the protocol's second granularity."""
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_date(value, argument, end=False):
    """A from/until argument (day or second granularity) as a UTC datetime."""
    for fmt, length in (("%Y-%m-%dT%H:%M:%SZ", 20), ("%Y-%m-%d", 10)):
        try:
            if len(value) == length:
                moment = datetime.strptime(value, fmt).replace(tzinfo=timezone.utc)
                if end:  # until is inclusive: up to the end of its second or day
                    moment += timedelta(seconds=1) if length == 20 else timedelta(days=1)
                return moment, length
        except ValueError:
            pass
    raise OAIError("badArgument", f"{argument}={value!r} is not a UTC date "
                                  "(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ).")


class Endpoint:
    """One OAI-PMH repository: the consortium (tenant None) or one library."""

    def __init__(self, tenant, base_url):
        self.tenant, self.base_url = tenant, base_url
        self.scope = tenant.slug if tenant else "consortium"
        self._sets = None
        self.id_prefix = (tenant and tenant.oai_identifier_prefix) or None

    @property
    def repository_identifier(self):
        return self.id_prefix or current_app.config["OAISERVER_ID_PREFIX"]

    def identifier(self, source):
        """The record's OAI identifier here: the library's own prefix when it has one."""
        if self.id_prefix:
            return f"oai:{self.id_prefix}:{source['id']}"
        return oai_identifier(source)

    # --- sets ----------------------------------------------------------------
    def sets(self):
        """setSpec → (name, description, community id) of this endpoint."""
        if self._sets is None:
            tenants = [self.tenant] if self.tenant else TenantModel.query.order_by(TenantModel.slug).all()
            by_community = {str(t.community_id): t for t in tenants}
            children = self._subcommunities(by_community)
            self._sets = {}
            for tenant in tenants:
                self._sets[tenant.slug] = (
                    f"{tenant.names['cs']} / {tenant.names['en']}",
                    f"Records of the member library {tenant.names['en']} "
                    f"({tenant.names['cs']}).",
                    str(tenant.community_id),
                )
                for child in children.get(str(tenant.community_id), []):
                    meta = child.get("metadata", {})
                    self._sets[f"{tenant.slug}:{child['slug']}"] = (
                        meta.get("title", child["slug"]), meta.get("description") or "",
                        child["id"],
                    )
        return self._sets

    @staticmethod
    def _subcommunities(parents):
        """Parent community id → its published child communities (id, slug, metadata),
        in one scan of the communities index (no per-community serialization: ListSets
        of hundreds of libraries stays one round trip)."""
        if not parents:
            return {}
        query = {"bool": {"filter": [
            {"terms": {"parent.id": list(parents)}},
            {"term": {"deletion_status": CommunityDeletionStatusEnum.PUBLISHED.value}},
        ]}}
        children = {}
        for hit in search_engine.helpers.scan(
                current_search_client, index=build_alias_name(
                    current_communities.service.record_cls.index.search_alias),
                query={"query": query, "_source": ["id", "slug", "parent.id", "metadata.title",
                                                   "metadata.description"]}, size=1000):
            child = hit["_source"]
            children.setdefault(child["parent"]["id"], []).append(child)
        for siblings in children.values():
            siblings.sort(key=lambda c: c["slug"])
        return children

    def set_specs(self, community_ids):
        """setSpecs of a record in COMMUNITY_IDS, as this endpoint names them."""
        by_id = {cid: spec for spec, (_, _, cid) in self.sets().items()}
        return sorted(by_id[c] for c in community_ids if c in by_id)

    # --- records -------------------------------------------------------------
    @staticmethod
    def _index():
        return build_alias_name("rdmrecords-records")

    def query(self, set_spec=None, start=None, end=None):
        """Public (or deleted) records of this endpoint, a set of it, a time span."""
        communities = (
            [self.sets()[set_spec][2]] if set_spec
            else [spec[2] for spec in self.sets().values()] if self.tenant else None
        )
        filters = [{"bool": {"should": [
            {"term": {"access.record": "public"}},
            {"bool": {"must_not": {"term": {"deletion_status": "P"}}}},
        ]}}]
        if communities is not None:
            filters.append({"terms": {"parent.communities.ids": communities}})
        if start or end:
            bounds = {}
            if start:
                bounds["gte"] = start.isoformat()
            if end:
                bounds["lt"] = end.isoformat()
            filters.append({"range": {"updated": bounds}})
        return {"bool": {"filter": filters}}

    def search(self, query, size, after=None, total=True):
        body = {"query": query, "size": size, "sort": [{"updated": "asc"}, {"id": "asc"}],
                "track_total_hits": total}
        if after:
            body["search_after"] = after
        return current_search_client.search(index=self._index(), body=body)

    def find(self, identifier):
        """The search hit of IDENTIFIER in this endpoint (a departed record's deleted
        header, departure_hit), or idDoesNotExist."""
        record_id = identifier.rsplit(":", 1)[-1]
        query = self.query()
        query["bool"]["filter"].append({"term": {"id": record_id}})
        hits = [hit for hit in self.search(query, 1, total=False)["hits"]["hits"]
                if self.identifier(hit["_source"]) == identifier]
        if not hits:
            row = departures.one(self.departure_scope(), record_id)
            if row is not None and self.identifier(departure_hit(row)["_source"]) == identifier:
                return departure_hit(row)
            raise OAIError("idDoesNotExist", f"No record {identifier!r} in this repository.")
        return hits[0]

    # --- departures ------------------------------------------------------------
    def departure_scope(self, set_spec=None):
        """The departures.py scope of this endpoint, or of its set SET_SPEC."""
        if set_spec:
            return f"set:{self.sets()[set_spec][2]}"
        return f"endpoint:{self.scope}"

    def departed(self, set_spec, start, end, size, after=None):
        """(up to SIZE departed records as search hits after AFTER, how many in all)."""
        scope = self.departure_scope(set_spec)
        hits = [departure_hit(row, self.sets()[set_spec][2] if set_spec else None)
                for row in departures.page(scope, size, start, end, after)]
        return hits, departures.count(scope, start, end)

    def earliest(self):
        body = {"query": self.query(), "size": 0,
                "aggs": {"first": {"min": {"field": "updated"}}}}
        value = current_search_client.search(index=self._index(), body=body)[
            "aggregations"]["first"].get("value_as_string")
        return datestamp(value) if value else "2000-01-01T00:00:00Z"


class Request:
    """One OAI-PMH request on an endpoint: arguments in, XML document out."""

    def __init__(self, endpoint, args):
        self.endpoint, self.args = endpoint, args
        self.kept = []  # records' metadata XML, spliced in where its placeholder comment is
        self.root = etree.Element(_q("OAI-PMH"), nsmap={None: NS_OAI, "xsi": NS_XSI})
        self.root.set(f"{{{NS_XSI}}}schemaLocation", f"{NS_OAI} {OAI_SCHEMA}")
        _sub(self.root, "responseDate",
             datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        self.request = _sub(self.root, "request", endpoint.base_url)

    def respond(self):
        """The response document (bytes), errors included as the protocol says."""
        answer = None
        try:
            verb = self._check_arguments()
            answer = _sub(self.root, verb)
            getattr(self, verb)(answer)
        except OAIError as error:
            if answer is not None:
                self.root.remove(answer)
            if error.code in ("badVerb", "badArgument"):
                self.request.attrib.clear()
            _sub(self.root, "error", error.message, code=error.code)
        body = etree.tostring(self.root, xml_declaration=True, encoding="UTF-8")
        if not self.kept:
            return body
        return PLACEHOLDER.sub(lambda match: self.kept[int(match.group(1))], body)

    # --- arguments -------------------------------------------------------------
    def _check_arguments(self):
        """The verb, once its arguments are legal and valid; they are echoed in <request>."""
        verbs = self.args.getlist("verb")
        if len(verbs) != 1 or verbs[0] not in ARGUMENTS:
            raise OAIError("badVerb", "Missing, repeated or unknown verb; use one of "
                                      + ", ".join(ARGUMENTS) + ".")
        verb = verbs[0]
        required, optional = ARGUMENTS[verb]
        given = set(self.args) - {"verb"}
        for name in given:
            if len(self.args.getlist(name)) > 1:
                raise OAIError("badArgument", f"Argument {name!r} is repeated.")
        if given - required - optional:
            raise OAIError("badArgument", "Illegal argument(s) for " + verb + ": "
                           + ", ".join(map(repr, sorted(given - required - optional))) + ".")
        if "resumptionToken" in given:
            if given != {"resumptionToken"}:
                raise OAIError("badArgument", "resumptionToken is an exclusive argument.")
        elif required - given:
            raise OAIError("badArgument", "Missing argument(s): "
                           + ", ".join(sorted(required - given)) + ".")
        for name in sorted(given):
            self._check_value(name, self.args[name])
        self.request.set("verb", verb)
        for name in sorted(given):
            self.request.set(name, self.args[name])
        return verb

    @staticmethod
    def _check_value(name, value):
        """badArgument unless VALUE has the syntax of argument NAME (never empty)."""
        if not value:
            raise OAIError("badArgument", f"Argument {name} is empty.")
        if name in ("from", "until"):
            parse_date(value, name)
        elif not SYNTAX[name].fullmatch(value):
            raise OAIError("badArgument", f"{name}={value!r} is not a valid {name}.")

    def _format(self, prefix):
        formats = current_app.config["OAISERVER_METADATA_FORMATS"]
        if prefix not in formats:
            raise OAIError("cannotDisseminateFormat",
                           f"Unknown metadataPrefix {prefix!r}; see ListMetadataFormats.")
        return formats[prefix]

    # --- verbs -----------------------------------------------------------------
    def Identify(self, element):
        tenant = self.endpoint.tenant
        name = (f"{tenant.names['cs']} / {tenant.names['en']}" if tenant
                else current_app.config["THEME_SITENAME"])
        emails = ([tenant.contact_email] if tenant
                  else current_app.config["OAISERVER_ADMIN_EMAILS"])
        _sub(element, "repositoryName", str(name))
        _sub(element, "baseURL", self.endpoint.base_url)
        _sub(element, "protocolVersion", "2.0")
        for email in emails:
            _sub(element, "adminEmail", email)
        _sub(element, "earliestDatestamp", self.endpoint.earliest())
        _sub(element, "deletedRecord", "persistent")
        _sub(element, "granularity", "YYYY-MM-DDThh:mm:ssZ")
        description = _sub(element, "description")
        prefix = self.endpoint.repository_identifier
        oai_id = etree.SubElement(description, f"{{{NS_ID}}}oai-identifier",
                                  nsmap={None: NS_ID})
        oai_id.set(f"{{{NS_XSI}}}schemaLocation",
                   f"{NS_ID} http://www.openarchives.org/OAI/2.0/oai-identifier.xsd")
        for tag, text in (("scheme", "oai"), ("repositoryIdentifier", prefix),
                          ("delimiter", ":"), ("sampleIdentifier", f"oai:{prefix}:abcde-12345")):
            etree.SubElement(oai_id, f"{{{NS_ID}}}{tag}").text = text

    def ListMetadataFormats(self, element):
        source = None
        if "identifier" in self.args:
            hit = self.endpoint.find(self.args["identifier"])
            source = None if hit.get("departed") else hit["_source"]
        for prefix, spec in current_app.config["OAISERVER_METADATA_FORMATS"].items():
            if source is not None and not available(spec, source):
                continue
            fmt = _sub(element, "metadataFormat")
            _sub(fmt, "metadataPrefix", prefix)
            _sub(fmt, "schema", spec["schema"])
            _sub(fmt, "metadataNamespace", spec["namespace"])

    def ListSets(self, element):
        """The sets in setSpec order, CONSORTIUM_OAI_SETS_PAGE_SIZE at a time (a token
        carries the last setSpec shown, so sets added meanwhile are not skipped)."""
        after = None
        if "resumptionToken" in self.args:
            state = self._token_state()
            if state.get("verb") != "ListSets":
                raise OAIError("badResumptionToken", "The resumption token is not one of ListSets.")
            after = state["after"]
        sets = self.endpoint.sets()
        specs = sorted(sets)
        remaining = [spec for spec in specs if after is None or spec > after]
        size = current_app.config["CONSORTIUM_OAI_SETS_PAGE_SIZE"]
        for spec in remaining[:size]:
            name, description, _ = sets[spec]
            item = _sub(element, "set")
            _sub(item, "setSpec", spec)
            _sub(item, "setName", name)
            if description:
                desc = _sub(item, "setDescription")
                dc = etree.SubElement(
                    desc, "{http://www.openarchives.org/OAI/2.0/oai_dc/}dc",
                    nsmap={"oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
                           "dc": "http://purl.org/dc/elements/1.1/"})
                dc.set(f"{{{NS_XSI}}}schemaLocation",
                       "http://www.openarchives.org/OAI/2.0/oai_dc/ "
                       "http://www.openarchives.org/OAI/2.0/oai_dc.xsd")
                etree.SubElement(dc, "{http://purl.org/dc/elements/1.1/}description").text = \
                    description
        if after is None and len(remaining) <= size:
            return  # complete in one response: no token
        attrs = {"completeListSize": str(len(specs)), "cursor": str(len(specs) - len(remaining))}
        if len(remaining) > size:
            token, expires = tokens.current_tokens().dumps(
                {"scope": self.endpoint.scope, "verb": "ListSets", "after": remaining[size - 1]})
            attrs["expirationDate"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
            _sub(element, "resumptionToken", token, **attrs)
        else:
            _sub(element, "resumptionToken", None, **attrs)

    def GetRecord(self, element):
        spec = self._format(self.args["metadataPrefix"])
        hit = self.endpoint.find(self.args["identifier"])
        if not hit.get("departed") and not available(spec, hit["_source"]):
            raise OAIError("cannotDisseminateFormat",
                           f"{self.args['identifier']} is not available as "
                           f"{self.args['metadataPrefix']}.")
        self._records(element, [hit], self.args["metadataPrefix"], spec)

    def ListIdentifiers(self, element):
        self._list(element, with_metadata=False)

    def ListRecords(self, element):
        self._list(element, with_metadata=True)

    # --- lists -----------------------------------------------------------------
    def _list_state(self):
        """The list request as a state: from the arguments or from the token."""
        if "resumptionToken" in self.args:
            state = self._token_state()
            if "prefix" not in state:
                raise OAIError("badResumptionToken", "The resumption token is not one of a "
                                                     "record list.")
            return state
        state = {"scope": self.endpoint.scope, "prefix": self.args["metadataPrefix"],
                 "set": self.args.get("set"), "from": self.args.get("from"),
                 "until": self.args.get("until"), "after": None, "cursor": 0}
        granularities = set()
        for key, end in (("from", False), ("until", True)):
            if state[key]:
                granularities.add(parse_date(state[key], key, end)[1])
        if len(granularities) > 1:
            raise OAIError("badArgument", "from and until must have the same granularity.")
        if state["from"] and state["until"]:
            if parse_date(state["from"], "from")[0] > parse_date(state["until"], "until")[0]:
                raise OAIError("badArgument", "from is later than until.")
        return state

    def _token_state(self):
        """The state the request's resumption token carries, issued by this endpoint."""
        try:
            return tokens.current_tokens().loads(self.args["resumptionToken"],
                                                 self.endpoint.scope)
        except tokens.BadToken as e:
            raise OAIError("badResumptionToken", str(e))

    def _list(self, element, with_metadata):
        state = self._list_state()
        spec = self._format(state["prefix"])
        if state["set"] and state["set"] not in self.endpoint.sets():
            raise OAIError("noRecordsMatch", f"No set {state['set']!r} in this repository.")
        query = self.endpoint.query(
            state["set"],
            parse_date(state["from"], "from")[0] if state["from"] else None,
            parse_date(state["until"], "until", end=True)[0] if state["until"] else None,
        )
        if spec.get("available"):
            query["bool"]["filter"].append(import_string(spec["available"]).query)
        size = current_app.config["CONSORTIUM_OAI_PAGE_SIZE"]
        result = self.endpoint.search(query, size, after=state["after"])
        hits, total = result["hits"]["hits"], result["hits"]["total"]["value"]
        gone, gone_total = self.endpoint.departed(
            state["set"],
            parse_date(state["from"], "from")[0] if state["from"] else None,
            parse_date(state["until"], "until", end=True)[0] if state["until"] else None,
            size, after=state["after"])
        if gone:  # one order for both: (datestamp in ms, id), as search_after resumes
            hits = sorted(hits + gone, key=lambda hit: (int(hit["sort"][0]),
                                                        str(hit["sort"][1]).encode()))[:size]
        total += gone_total
        if not hits:
            if state["cursor"] == 0:
                raise OAIError("noRecordsMatch", "No records match the request.")
        if with_metadata:
            self._records(element, hits, state["prefix"], spec)
        else:
            for hit in hits:
                self._header(element, hit)
        cursor = state["cursor"] + len(hits)
        if state["after"] is None and cursor >= total:
            return  # complete in one response: no token
        attrs = {"completeListSize": str(total), "cursor": str(state["cursor"])}
        if cursor < total and hits:
            token, expires = tokens.current_tokens().dumps(
                {**state, "after": hits[-1]["sort"], "cursor": cursor})
            attrs["expirationDate"] = expires.strftime("%Y-%m-%dT%H:%M:%SZ")
            _sub(element, "resumptionToken", token, **attrs)
        else:
            _sub(element, "resumptionToken", None, **attrs)

    def _header(self, parent, hit):
        source = hit["_source"]
        deleted = source.get("deletion_status", "P") != "P"
        header = _sub(parent, "header", status="deleted" if deleted else None)
        _sub(header, "identifier", self.endpoint.identifier(source))
        _sub(header, "datestamp", datestamp(source["updated"]))
        for spec in self.endpoint.set_specs(source["parent"]["communities"].get("ids", [])):
            _sub(header, "setSpec", spec)
        return deleted

    def _records(self, parent, hits, prefix, spec):
        """<record> elements of HITS; the metadata of a page comes from rendered.py at once."""
        live = [hit for hit in hits if hit["_source"].get("deletion_status", "P") == "P"]
        metadata = rendered.metadata_xml(live, prefix, spec)
        for hit in hits:
            record = _sub(parent, "record")
            if self._header(record, hit):
                continue
            self.kept.append(metadata[hit["_id"]])  # its exact bytes go into the response
            _sub(record, "metadata").append(
                etree.Comment(f"{PLACEHOLDER_TAG}{len(self.kept) - 1}"))


def departure_hit(row, community_id=None):
    """A departures.py row as a search hit of a deleted record (its header only):
    setSpec the set it left (COMMUNITY_ID), when listing that set."""
    left = datetime.fromtimestamp(row.left_ms / 1000, timezone.utc)
    source = {"id": row.record_id, "updated": left.isoformat(), "deletion_status": "D",
              "pids": {"oai": {"identifier": row.oai_identifier}} if row.oai_identifier else {},
              "parent": {"communities": {"ids": [community_id] if community_id else []}}}
    return {"_id": None, "_source": source, "sort": [row.left_ms, row.record_id],
            "departed": True}


def oai_identifier(source):
    """The record's OAI identifier as InvenioRDM minted it."""
    oai = (source.get("pids") or {}).get("oai") or {}
    return oai.get("identifier") or (
        f"oai:{current_app.config['OAISERVER_ID_PREFIX']}:{source['id']}")

