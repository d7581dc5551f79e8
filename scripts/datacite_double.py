"""A DataCite REST API test double: a real HTTP server on 127.0.0.1.

It answers the part of https://support.datacite.org/reference/dois-2 that
InvenioRDM's DataCite client uses (`POST /dois`, `GET|PUT|DELETE /dois/<doi>`)
with DataCite's status codes:

- 401 without or with wrong basic-auth credentials of a repository account;
- 403 for a DOI outside the account's prefixes;
- 404 for an unknown DOI, 422 for a payload that fails the DataCite 4.5 JSON
  schema of the `datacite` package (findable/registered DOIs must be complete),
  or that names an existing DOI, 405 for deleting a DOI that is not a draft.

DOIs are kept per account, each with its state (draft, registered, findable).
`fail_with` makes every request answer a given status (an outage).
"""

import base64
import json
import re
import threading

from datacite.schema45 import validator
from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

DOI_PATH = re.compile(r"^/dois/(?P<doi>10\.[^/]+/.+)$")
STATE_OF_EVENT = {"publish": "findable", "register": "registered", "hide": "registered"}


def _error(status, title, source=None):
    error = {"status": str(status), "title": title}
    if source:
        error["source"] = source
    return Response(json.dumps({"errors": [error]}), status=status,
                    content_type="application/vnd.api+json")


def schema_errors(attributes):
    """Messages of the DataCite 4.5 JSON schema for ATTRIBUTES (empty when valid)."""
    return [(".".join(str(p) for p in error.absolute_path) or "attributes", error.message)
            for error in validator.iter_errors(attributes)]


class DataCiteDouble:
    """State and WSGI application of the double; `accounts` maps repository id to
    {"password": ..., "prefixes": [...]}; `dois[account][doi]` is a DOI's JSON:API data."""

    def __init__(self, accounts=None):
        self.accounts = dict(accounts or {})
        self.dois = {}
        self.requests = []  # (method, path, account) of every request
        self.fail_with = None
        self._lock = threading.Lock()

    def add_account(self, repository_id, password, *prefixes):
        self.accounts[repository_id] = {"password": password, "prefixes": list(prefixes)}

    def doi(self, doi):
        """(account, data) of DOI, or (None, None)."""
        for account, dois in self.dois.items():
            if doi.lower() in dois:
                return account, dois[doi.lower()]
        return None, None

    def _account(self, request):
        header = request.headers.get("Authorization", "")
        if not header.startswith("Basic "):
            return None
        try:
            name, _, password = base64.b64decode(header[6:]).decode().partition(":")
        except ValueError:
            return None
        account = self.accounts.get(name)
        return name if account and account["password"] == password else None

    def __call__(self, environ, start_response):
        request = Request(environ)
        with self._lock:
            response = self.dispatch(request)
        return response(environ, start_response)

    def dispatch(self, request):
        account = self._account(request)
        self.requests.append((request.method, request.path, account))
        if self.fail_with:
            return _error(self.fail_with, "Service unavailable")
        if account is None:
            return _error(401, "Bad credentials.")
        if request.path == "/dois" and request.method == "POST":
            return self.create(account, request)
        match = DOI_PATH.match(request.path)
        if not match:
            return _error(404, "The resource you are looking for doesn't exist.")
        doi = match["doi"].lower()
        if request.method == "GET":
            return self.show(account, doi)
        if request.method == "PUT":
            return self.update(account, doi, request)
        if request.method == "DELETE":
            return self.delete(account, doi)
        return _error(405, "Method not allowed.")

    def _owns(self, account, doi):
        prefix = doi.split("/", 1)[0]
        return prefix in self.accounts[account]["prefixes"]

    @staticmethod
    def _attributes(request):
        try:
            body = json.loads(request.get_data(as_text=True))
            attributes = body["data"]["attributes"]
        except (ValueError, KeyError, TypeError):
            return None
        return attributes if isinstance(attributes, dict) else None

    def _invalid(self, attributes, state):
        """422 when a findable or registered DOI's metadata fails the schema."""
        if state == "draft":
            return None
        errors = schema_errors(attributes)
        if errors:
            body = {"errors": [{"status": "422", "source": source, "title": message}
                               for source, message in errors]}
            return Response(json.dumps(body), status=422,
                            content_type="application/vnd.api+json")
        return None

    def _response(self, data, status):
        return Response(json.dumps({"data": data}), status=status,
                        content_type="application/vnd.api+json")

    def create(self, account, request):
        attributes = self._attributes(request)
        if attributes is None:
            return _error(400, "Invalid JSON:API document.")
        return self._create(account, attributes)

    def _create(self, account, attributes):
        doi = (attributes.get("doi") or "").lower()
        if not doi:
            return _error(422, "Can't be blank", "doi")
        if not self._owns(account, doi):
            return _error(403, "You are not authorized to access this resource.")
        if self.doi(doi)[1] is not None:
            return _error(422, "This DOI has already been taken", "doi")
        state = STATE_OF_EVENT.get(attributes.get("event"), "draft")
        invalid = self._invalid(attributes, state)
        if invalid:
            return invalid
        data = {"id": doi, "type": "dois",
                "attributes": {**attributes, "doi": doi, "state": state}}
        data["attributes"].pop("event", None)
        self.dois.setdefault(account, {})[doi] = data
        return self._response(data, 201)

    def show(self, account, doi):
        owner, data = self.doi(doi)
        if data is None or owner != account:
            return _error(404, "The resource you are looking for doesn't exist.")
        return self._response(data, 200)

    def update(self, account, doi, request):
        attributes = self._attributes(request)
        if attributes is None:
            return _error(400, "Invalid JSON:API document.")
        owner, data = self.doi(doi)
        if data is None:
            if not self._owns(account, doi):
                return _error(403, "You are not authorized to access this resource.")
            # DataCite creates a DOI on PUT when it does not exist yet
            return self._create(account, {**attributes, "doi": doi})
        if owner != account:
            return _error(404, "The resource you are looking for doesn't exist.")
        event = attributes.get("event")
        state = data["attributes"]["state"]
        if event == "hide":
            state = "registered" if state != "draft" else "draft"
        elif event in STATE_OF_EVENT:
            state = STATE_OF_EVENT[event]
        merged = {**data["attributes"], **attributes}
        merged.pop("event", None)
        merged.pop("state", None)
        if event != "hide":
            invalid = self._invalid(merged, state)
            if invalid:
                return invalid
        data["attributes"] = {**merged, "doi": doi, "state": state}
        return self._response(data, 200)

    def delete(self, account, doi):
        owner, data = self.doi(doi)
        if data is None or owner != account:
            return _error(404, "The resource you are looking for doesn't exist.")
        if data["attributes"]["state"] != "draft":
            return _error(405, "Method not allowed: only draft DOIs can be deleted.")
        del self.dois[account][doi]
        return Response(status=204)


class DataCiteServer:
    """The double served on 127.0.0.1:PORT (0: any free port) in a thread."""

    def __init__(self, port=0, accounts=None):
        self.double = DataCiteDouble(accounts)
        self._server = make_server("127.0.0.1", port, self.double, threaded=True)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self._server.server_port}/"

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._server.shutdown()
        self._server.server_close()


def _accounts(spec):
    """(repository id, password, prefixes) of an `ID:PASSWORD:PREFIX[,PREFIX]` or a tenants file."""
    if not spec.endswith((".yaml", ".yml")):
        name, password, prefixes = spec.split(":", 2)
        return [(name, password, prefixes.split(","))]
    import yaml

    with open(spec) as stream:
        tenants = yaml.safe_load(stream)
    tenants = tenants.get("tenants", tenants) if isinstance(tenants, dict) else tenants
    return [(t["datacite"]["repository_id"], t["datacite"]["password"], [t["datacite"]["prefix"]])
            for t in tenants if t.get("datacite")]


def main(argv=None):
    """`python scripts/datacite_double.py PORT [ID:PASSWORD:PREFIX[,PREFIX]… | TENANTS.yaml]`:
    serve the double for a local platform until interrupted. A tenants file (the
    `invenio tenants load` format) gives the accounts of its libraries' `datacite` entries."""
    import sys

    args = list(sys.argv[1:] if argv is None else argv)
    port = int(args.pop(0)) if args else 5103
    server = DataCiteServer(port)
    for spec in args:
        for name, password, prefixes in _accounts(spec):
            server.double.add_account(name, password, *prefixes)
    print(f"DataCite test double on {server.url}", flush=True)
    try:
        server._server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
