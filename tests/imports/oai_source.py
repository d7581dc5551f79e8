"""A source repository for the import tests: an OAI-PMH endpoint answering ListRecords in
oai_dc as DSpace 7 (XOAI) does — identifiers `oai:<host>:<handle>`, `com_`/`col_` set
specs, Handles in dc:identifier, several dc:date (accessioned, available, issued),
GetRecord for one item, resumption tokens of the form `<prefix>/<from>/<until>/<set>/<offset>` with
completeListSize and cursor, deleted records as headers with status="deleted" — served
over HTTP by a real server in a thread. ITEMS (identifier → item) can change between runs.

`ore` is DSpace 7's OAI-ORE resource map as its XOAI crosswalk (ore.xsl) writes it: an
atom:entry with atom:id `<handle URI>/ore.xml`, the Handle as `alternate` link, the
titles, one atom:author per author, atom:published (date available), and one
`ore/terms/aggregates` link per bitstream of the ORIGINAL bundle with href
(`/bitstream/handle/<handle>/<name>?sequence=<n>`), title, type and length; its
oreatom:triples describe each bitstream with its bundle name and — as a site's crosswalk
adds from XOAI's bitstream fields — its checksum and algorithm (MD5). The bitstreams are
served by the same server (`downloads` lists what was fetched).

`Source(items, flavor="eprints")` answers oai_dc as EPrints 3 does (its DC export): per
document a `dc:format` (MIME type) and a `dc:identifier` with the document's URL
(`/<eprint id>/<pos>/<file name>`), the bibliographic citation as another dc:identifier,
the eprint's page as `dc:relation`. `flavor="invenio"` answers `marcxml` as legacy Invenio
(NUŠL) does: MARC21 slim with 001, 024 7_ ($a DOI, $2 doi), 041 $a, 100/700 $a, 245 $a/$b,
260 $b/$c, 520 $a, 653 $a, 980 $a and per file 856 4_ $u (`/record/<id>/files/<name>`)
with $s (size in bytes).
"""

import hashlib
import threading
import time
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote, urlparse
from xml.sax.saxutils import escape

PAGE = 2  # records per page: every listing of the tests spans pages
HOST = "dspace.example.cz"
PREFIX = "11222.digilib"

ENVELOPE = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ \
http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>{now}</responseDate>
{body}
</OAI-PMH>"""
DC_OPEN = ('<oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" '
           'xmlns:dc="http://purl.org/dc/elements/1.1/" '
           'xmlns:doc="http://www.lyncode.com/xoai" '
           'xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/oai_dc/ '
           'http://www.openarchives.org/OAI/2.0/oai_dc.xsd">')


def now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def item(number, title, creators=("Novák, Jan",), datestamp="2024-05-03T10:11:12Z",
         files=(), **extra):
    """A source item: its identifier and (datestamp, deleted, dc fields, sets, files).

    FILES: dicts {"name", "content" (bytes)} and optionally "md5" (what the map states
    instead of the content's), "length" (likewise), "status" (the server's answer, e.g. 404),
    "url" (another address)."""
    handle = f"{PREFIX}/{number}"
    dc = {"title": [title] if title else [], "creator": list(creators),
          "date": ["2024-05-03T10:11:12Z", "2024-05-03T10:11:12Z", "2019"],
          "identifier": [f"http://hdl.handle.net/{handle}"],
          "type": ["info:eu-repo/semantics/article"], "language": ["cs"],
          "subject": ["knihovny", "digitalizace"],
          "description": ["Článek o knihovnách.\n\nDruhý odstavec & více."],
          "rights": ["http://creativecommons.org/licenses/by/4.0/"],
          "publisher": ["Moravská zemská knihovna"]}
    dc.update(extra)
    return f"oai:{HOST}:{handle}", {"datestamp": datestamp, "deleted": False, "dc": dc,
                                    "sets": [f"com_{PREFIX}_1", f"col_{PREFIX}_2"],
                                    "handle": handle, "files": [dict(f) for f in files]}


class Source:
    """The endpoint's items and a server serving them."""

    def __init__(self, items, flavor="dspace", delay=0):
        self.items, self.flavor = dict(items), flavor
        self.delay = delay  # seconds before each file's answer: a slow source to watch
        self.requests = []
        self.downloads = []
        source = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                source.requests.append(self.path)
                if not self.path.startswith("/server/oai/"):
                    return self.bitstream()
                body = source.answer(parse_qs(urlparse(self.path).query))
                data = ENVELOPE.format(now=now(), body=body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def bitstream(self):
                time.sleep(source.delay)
                found = source.bitstream(self.path)
                status = found.get("status", 200) if found else 404
                content = found["content"] if found and status == 200 else b"Not found"
                if status == 200:
                    source.downloads.append(self.path)
                self.send_response(status)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                for start in range(0, len(content), 65536):
                    self.wfile.write(content[start:start + 65536])

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/server/oai/request"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        """Stop serving and close the socket: a later request is refused at once (a
        listening socket nobody accepts on would hang a harvester until its timeout)."""
        self.server.shutdown()
        self.server.server_close()

    @property
    def base(self):
        return self.url.split("/server/")[0]

    def file_url(self, entry, position, name):
        number = entry["handle"].rsplit("/", 1)[1]
        if self.flavor == "eprints":
            return f"{self.base}/{number}/{position}/{quote(name)}"
        if self.flavor == "invenio":
            return f"{self.base}/record/{number}/files/{quote(name)}"
        return f"{self.base}/bitstream/handle/{entry['handle']}/{quote(name)}" \
               f"?sequence={position}"

    def bitstream(self, path):
        """The file (dict) PATH names, or None."""
        for entry in self.items.values():
            for position, file in enumerate(entry.get("files", []), 1):
                if urlparse(self.file_url(entry, position, file["name"])).path == \
                        urlparse(path).path:
                    return file
        return None

    def answer(self, query):
        args = {key: values[0] for key, values in query.items()}
        request = f'<request verb="ListRecords" metadataPrefix="oai_dc">{self.url}</request>'
        if args.get("verb") == "GetRecord":  # one item (an item run again)
            prefix = args.get("metadataPrefix", "oai_dc")
            entry = self.items.get(args.get("identifier"))
            if entry is None:
                return request + '<error code="idDoesNotExist">No such item</error>'
            record = self.record(args["identifier"], entry, prefix)
            return f"{request}<GetRecord>{record}</GetRecord>"
        if args.get("verb") != "ListRecords":
            return request + '<error code="badVerb">Only ListRecords and GetRecord here.</error>'
        if "resumptionToken" in args:
            prefix, start, _, set_spec, offset = args["resumptionToken"].split("/")
            offset = int(offset)
        else:
            prefix = args.get("metadataPrefix", "oai_dc")
            start, set_spec, offset = args.get("from", ""), args.get("set", ""), 0
        if prefix not in ("oai_dc", "ore", "marcxml"):
            return request + '<error code="cannotDisseminateFormat">No such format</error>'
        chosen = [(identifier, entry) for identifier, entry in sorted(self.items.items())
                  if (not start or entry["datestamp"] >= start)
                  and (not set_spec or set_spec in entry["sets"])]
        if not chosen:
            return request + '<error code="noRecordsMatch">No matches for the query</error>'
        page = chosen[offset:offset + PAGE]
        records = "".join(self.record(identifier, entry, prefix) for identifier, entry in page)
        token = ""
        if offset + PAGE < len(chosen):
            token = (f'<resumptionToken completeListSize="{len(chosen)}" cursor="{offset}">'
                     f"{prefix}/{start}//{set_spec}/{offset + PAGE}</resumptionToken>")
        elif offset:
            token = f'<resumptionToken completeListSize="{len(chosen)}" cursor="{offset}"/>'
        return f"{request}<ListRecords>{records}{token}</ListRecords>"

    def record(self, identifier, entry, prefix="oai_dc"):
        sets = "".join(f"<setSpec>{s}</setSpec>" for s in entry["sets"])
        status = ' status="deleted"' if entry["deleted"] else ""
        header = (f"<header{status}><identifier>{identifier}</identifier>"
                  f"<datestamp>{entry['datestamp']}</datestamp>{sets}</header>")
        if entry["deleted"]:
            return f"<record>{header}</record>"
        if prefix == "ore":
            return f"<record>{header}<metadata>{self.ore(entry)}</metadata></record>"
        if prefix == "marcxml":
            return f"<record>{header}<metadata>{self.marc(entry)}</metadata></record>"
        dc = entry["dc"]
        if self.flavor == "eprints":  # the documents, the citation, the eprint's page
            number = entry["handle"].rsplit("/", 1)[1]
            dc = {**dc, "format": [], "identifier": [], "relation": [f"{self.base}/{number}/"]}
            for position, file in enumerate(entry.get("files", []), 1):
                dc["format"].append("application/pdf")
                dc["identifier"].append(file.get("url") or
                                        self.file_url(entry, position, file["name"]))
            dc["identifier"].append(f"{dc['creator'][0] if dc['creator'] else ''} "
                                    f"({dc['date'][-1]}) {dc['title'][0] if dc['title'] else ''}"
                                    ". Zprávy knihovny, 3 (2). pp. 1-10.")
        fields = "".join(f"<dc:{name}>{escape(value)}</dc:{name}>"
                         for name, values in dc.items() for value in values)
        return f"<record>{header}<metadata>{DC_OPEN}{fields}</oai_dc:dc></metadata></record>"

    def marc(self, entry):
        """The item as legacy Invenio's MARC21 slim (see the module)."""
        dc, number = entry["dc"], entry["handle"].rsplit("/", 1)[1]

        def field(tag, *subfields, ind1=" ", ind2=" "):
            subs = "".join(f'<marc:subfield code="{code}">{escape(value)}</marc:subfield>'
                           for code, value in subfields)
            return (f'<marc:datafield tag="{tag}" ind1="{ind1}" ind2="{ind2}">{subs}'
                    "</marc:datafield>")

        out = ['<marc:leader>00000coc  2200000uu 4500</marc:leader>',
               f'<marc:controlfield tag="001">{number}</marc:controlfield>']
        if entry.get("doi"):
            out.append(field("024", ("a", entry["doi"]), ("2", "doi"), ind1="7"))
        out.append(field("041", ("a", "cze")))
        creators = dc["creator"]
        if creators:
            out.append(field("100", ("a", creators[0]), ("u", "Moravská zemská knihovna")))
        if dc["title"]:
            title, _, rest = dc["title"][0].partition(": ")
            out.append(field("245", ("a", title), *((("b", rest),) if rest else ())))
        out.append(field("260", ("a", "Brno"), ("b", "Moravská zemská knihovna"),
                         ("c", dc["date"][-1])))
        for text in dc["description"]:
            out.append(field("520", ("a", text)))
        for subject in dc["subject"]:
            out.append(field("653", ("a", subject)))
        for name in creators[1:]:
            out.append(field("700", ("a", name)))
        for position, file in enumerate(entry.get("files", []), 1):
            url = file.get("url") or self.file_url(entry, position, file["name"])
            size = str(file.get("length", len(file["content"])))
            out.append(field("856", ("s", size), ("u", url), ("y", "Plný text"), ind1="4"))
        out.append(field("856", ("u", f"{self.base}/record/{number}"), ind1="4", ind2="2"))
        out.append(field("980", ("a", "ARTICLE")))
        return ('<marc:record xmlns:marc="http://www.loc.gov/MARC21/slim" '
                'xsi:schemaLocation="http://www.loc.gov/MARC21/slim '
                'http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd" '
                'type="Bibliographic">' + "".join(out) + "</marc:record>")

    def ore(self, entry):
        """The item's ORE resource map (see the module)."""
        uri = f"http://hdl.handle.net/{entry['handle']}"
        dc = entry["dc"]
        parts = [f'<atom:id>{uri}/ore.xml</atom:id>',
                 f'<atom:link rel="alternate" href="{uri}"/>',
                 f'<atom:link rel="http://www.openarchives.org/ore/terms/describes" '
                 f'href="{uri}/ore.xml"/>',
                 f'<atom:link rel="self" type="application/atom+xml" '
                 f'href="{uri}/ore.xml#atom"/>',
                 f"<atom:published>{dc['date'][1]}</atom:published>",
                 f"<atom:updated>{dc['date'][0]}</atom:updated>",
                 "<atom:source><atom:generator>DSpace at MZK</atom:generator></atom:source>"]
        parts += [f"<atom:title>{escape(t)}</atom:title>" for t in dc["title"]]
        parts += [f"<atom:author><atom:name>{escape(a)}</atom:name></atom:author>"
                  for a in dc["creator"]]
        parts += ['<atom:category scheme="http://www.openarchives.org/ore/terms/" '
                  'term="http://www.openarchives.org/ore/terms/Aggregation" '
                  'label="Aggregation"/>',
                  '<atom:category scheme="http://www.openarchives.org/ore/atom/modified" '
                  f'term="{dc["date"][0]}"/>',
                  '<atom:category scheme="http://www.dspace.org/objectModel/" '
                  'term="DSpaceItem" label="DSpace Item"/>']
        triples = [f'<rdf:Description rdf:about="{uri}/ore.xml#atom">'
                   '<rdf:type rdf:resource="http://www.dspace.org/objectModel/DSpaceItem"/>'
                   f"<dcterms:modified>{dc['date'][0]}</dcterms:modified></rdf:Description>"]
        for position, file in enumerate(entry.get("files", []), 1):
            url = escape(file.get("url") or self.file_url(entry, position, file["name"]),
                         {'"': "&quot;"})
            length = file.get("length", len(file["content"]))
            md5 = file.get("md5") or hashlib.md5(file["content"]).hexdigest()
            parts.append(f'<atom:link rel="http://www.openarchives.org/ore/terms/aggregates" '
                         f'href="{url}" title="{escape(file["name"])}" '
                         f'type="application/pdf" length="{length}"/>')
            triples.append(
                f'<rdf:Description rdf:about="{url}">'
                '<rdf:type rdf:resource="http://www.dspace.org/objectModel/DSpaceBitstream"/>'
                "<dcterms:description>ORIGINAL</dcterms:description>"
                f"<ds:checksum>{md5}</ds:checksum>"
                "<ds:checksumAlgorithm>MD5</ds:checksumAlgorithm></rdf:Description>")
        return ('<atom:entry xmlns:atom="http://www.w3.org/2005/Atom" '
                'xmlns:ore="http://www.openarchives.org/ore/terms/" '
                'xmlns:oreatom="http://www.openarchives.org/ore/atom/" '
                'xmlns:dcterms="http://purl.org/dc/terms/" '
                'xmlns:ds="http://www.dspace.org/objectModel/" '
                'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                'xsi:schemaLocation="http://www.w3.org/2005/Atom '
                'http://www.kbcafe.com/rss/atom.xsd.xml">'
                + "".join(parts) + "<oreatom:triples>" + "".join(triples)
                + "</oreatom:triples></atom:entry>")
