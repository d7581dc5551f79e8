"""The demo's old repository: a small EPrints 3 answering OAI-PMH from static files.

`make run` starts it (scripts/app.sh, 127.0.0.1:$DEMO_SOURCE_PORT) and imports it into
SVKOS once (`invenio platform demo --import-from …`), so a newcomer finds a finished
import with its report. Never part of the installed package; production imports the
libraries' real repositories.

FOLDER (app_data/demo_import) holds `records/<n>.xml`, each item's `<record>` as EPrints
3's oai_dc answers it (the shape of tests/imports/oai_source.py: its documents' links in
dc:identifier, its page as dc:relation; `@BASE@` becomes this server's address), and
`files/<n>/<pos>/<name>`, the documents at EPrints' addresses `/<n>/<pos>/<name>` (a
record may name a document that is missing: its item fails, as an import of a real
repository meets it). `/cgi/oai2` answers ListRecords (oai_dc only; `from` and `until`
compared with the datestamps; every record on one page), GetRecord and Identify; anything
else is an OAI-PMH error.
"""

import re
import sys
import threading
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from xml.sax.saxutils import escape

ENDPOINT = "/cgi/oai2"
ENVELOPE = """<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" \
xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ \
http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>{now}</responseDate>
<request{attributes}>{url}</request>
{body}
</OAI-PMH>
"""
IDENTIFIER = re.compile(r"<identifier>([^<]+)</identifier>")
DATESTAMP = re.compile(r"<datestamp>([^<]+)</datestamp>")


class DemoSource:
    """The records and documents of FOLDER, served on 127.0.0.1:PORT (0: any free port)."""

    def __init__(self, folder, port=0):
        self.folder = Path(folder).resolve()
        self.requested = []  # paths asked for, in order
        source = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                source.requested.append(self.path)
                path = urlsplit(self.path).path
                if path == ENDPOINT:
                    status, body = 200, source.oai(parse_qs(urlsplit(self.path).query))
                    kind = "text/xml; charset=utf-8"
                else:
                    status, body = source.document(path)
                    kind = "application/pdf" if path.endswith(".pdf") else \
                        "application/octet-stream"
                self.send_response(status)
                self.send_header("Content-Type", kind if status == 200 else "text/plain")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format, *args):  # noqa: A002 - the base class's name
                print(f"{self.address_string()} {format % args}", flush=True)

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.url = self.base + ENDPOINT

    def start(self):
        """Serve in a thread (the tests)."""
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def records(self):
        """(identifier, datestamp, <record> XML) of every record, in identifier order."""
        found = []
        for path in sorted(self.folder.glob("records/*.xml"),
                           key=lambda p: int(p.stem) if p.stem.isdigit() else p.stem):
            xml = path.read_text("utf-8").replace("@BASE@", self.base).strip()
            found.append((IDENTIFIER.search(xml).group(1), DATESTAMP.search(xml).group(1),
                          xml))
        return found

    def document(self, path):
        """(status, bytes) of the document at PATH."""
        wanted = (self.folder / "files" / unquote(path).lstrip("/")).resolve()
        if self.folder / "files" in wanted.parents and wanted.is_file():
            return 200, wanted.read_bytes()
        return 404, b"Not found"

    def oai(self, query):
        args = {key: values[0] for key, values in query.items()}
        verb, prefix = args.get("verb"), args.get("metadataPrefix", "oai_dc")
        attributes = "".join(f' {key}="{escape(value, {chr(34): "&quot;"})}"'
                             for key, value in sorted(args.items()) if key.isalpha())
        body = self._answer(verb, prefix, args)
        return ENVELOPE.format(now=_now(), attributes=attributes, url=self.url,
                               body=body).encode()

    def _answer(self, verb, prefix, args):
        if verb == "Identify":
            return ("<Identify><repositoryName>Demo: EPrints of SVKOS</repositoryName>"
                    f"<baseURL>{self.url}</baseURL><protocolVersion>2.0</protocolVersion>"
                    "<adminEmail>repozitar@svkos.example</adminEmail>"
                    "<earliestDatestamp>2019-01-01T00:00:00Z</earliestDatestamp>"
                    "<deletedRecord>persistent</deletedRecord>"
                    "<granularity>YYYY-MM-DDThh:mm:ssZ</granularity></Identify>")
        if verb not in ("ListRecords", "GetRecord"):
            return '<error code="badVerb">Only Identify, ListRecords and GetRecord.</error>'
        if prefix != "oai_dc":
            return '<error code="cannotDisseminateFormat">Only oai_dc here.</error>'
        if verb == "GetRecord":
            for identifier, _, xml in self.records():
                if identifier == args.get("identifier"):
                    return f"<GetRecord>{xml}</GetRecord>"
            return '<error code="idDoesNotExist">No such item.</error>'
        if "resumptionToken" in args:
            return '<error code="badResumptionToken">Every record is on one page.</error>'
        chosen = [xml for _, datestamp, xml in self.records()
                  if datestamp >= args.get("from", "") and
                  (not args.get("until") or datestamp[:len(args["until"])] <= args["until"])]
        if not chosen:
            return '<error code="noRecordsMatch">No record matches.</error>'
        return "<ListRecords>" + "".join(chosen) + "</ListRecords>"


def _now():
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def main(argv=None):
    """`python scripts/demo_source.py PORT FOLDER`: serve until interrupted."""
    args = list(sys.argv[1:] if argv is None else argv)
    source = DemoSource(args[1], int(args[0]))
    print(f"Demo OAI-PMH source (EPrints) on {source.url}", flush=True)
    try:
        source.server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
