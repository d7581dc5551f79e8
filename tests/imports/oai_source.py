"""A source repository for the import tests: an OAI-PMH endpoint answering ListRecords in
oai_dc as DSpace 7 (XOAI) does — identifiers `oai:<host>:<handle>`, `com_`/`col_` set
specs, Handles in dc:identifier, several dc:date (accessioned, available, issued),
resumption tokens of the form `oai_dc/<from>/<until>/<set>/<offset>` with
completeListSize and cursor, deleted records as headers with status="deleted" — served
over HTTP by a real server in a thread. ITEMS (identifier → item) can change between runs.
"""

import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse
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
         **extra):
    """A source item: its identifier and (datestamp, deleted, dc fields, sets)."""
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
                                    "sets": [f"com_{PREFIX}_1", f"col_{PREFIX}_2"]}


class Source:
    """The endpoint's items and a server serving them."""

    def __init__(self, items):
        self.items = dict(items)
        self.requests = []
        source = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                source.requests.append(self.path)
                body = source.answer(parse_qs(urlparse(self.path).query))
                data = ENVELOPE.format(now=now(), body=body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "text/xml;charset=UTF-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/server/oai/request"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.server.shutdown()

    def answer(self, query):
        args = {key: values[0] for key, values in query.items()}
        request = f'<request verb="ListRecords" metadataPrefix="oai_dc">{self.url}</request>'
        if args.get("verb") != "ListRecords":
            return request + '<error code="badVerb">Only ListRecords here.</error>'
        if "resumptionToken" in args:
            _, start, _, set_spec, offset = args["resumptionToken"].split("/")
            offset = int(offset)
        else:
            start, set_spec, offset = args.get("from", ""), args.get("set", ""), 0
        chosen = [(identifier, entry) for identifier, entry in sorted(self.items.items())
                  if (not start or entry["datestamp"] >= start)
                  and (not set_spec or set_spec in entry["sets"])]
        if not chosen:
            return request + '<error code="noRecordsMatch">No matches for the query</error>'
        page = chosen[offset:offset + PAGE]
        records = "".join(self.record(identifier, entry) for identifier, entry in page)
        token = ""
        if offset + PAGE < len(chosen):
            token = (f'<resumptionToken completeListSize="{len(chosen)}" cursor="{offset}">'
                     f"oai_dc/{start}//{set_spec}/{offset + PAGE}</resumptionToken>")
        elif offset:
            token = f'<resumptionToken completeListSize="{len(chosen)}" cursor="{offset}"/>'
        return f"{request}<ListRecords>{records}{token}</ListRecords>"

    @staticmethod
    def record(identifier, entry):
        sets = "".join(f"<setSpec>{s}</setSpec>" for s in entry["sets"])
        status = ' status="deleted"' if entry["deleted"] else ""
        header = (f"<header{status}><identifier>{identifier}</identifier>"
                  f"<datestamp>{entry['datestamp']}</datestamp>{sets}</header>")
        if entry["deleted"]:
            return f"<record>{header}</record>"
        fields = "".join(f"<dc:{name}>{escape(value)}</dc:{name}>"
                         for name, values in entry["dc"].items() for value in values)
        return f"<record>{header}<metadata>{DC_OPEN}{fields}</oai_dc:dc></metadata></record>"
