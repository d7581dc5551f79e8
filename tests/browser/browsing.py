"""What the browser tests share: the browser's settings, watched pages, people and libraries,
and the steps a person takes (log in) or a checker runs (axe-core)."""

import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from helpers import LOCAL

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
AXE_JS = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = LOCAL / "browser-screenshots"
PASSWORD = "Prohlizec-Heslo-2026"
VIEWPORT = {"width": 1280, "height": 900}
LOCALES = {"cs": "cs-CZ", "en": "en-US"}


@dataclass
class Site:
    """Addresses of the served app: the consortium's and each library's host."""

    port: int

    def consortium(self, path=""):
        """URL of PATH on the consortium's host."""
        return f"http://127.0.0.1:{self.port}{path}"

    def library(self, slug, path=""):
        """URL of PATH on the library's own host."""
        return f"http://{slug}.localhost:{self.port}{path}"


@dataclass
class PageWatch:
    """What went wrong on a page: console errors, failed requests, error answers."""

    page: object
    label: str
    expected: list = field(default_factory=list)  # (url regex, status)
    expected_console: list = field(default_factory=list)  # message regexes
    expected_uncaught: list = field(default_factory=list)  # uncaught error regexes
    problems: list = field(default_factory=list)

    def expect(self, url_pattern, status=None):
        """Let an error answer STATUS (any, when None) from a URL matching URL_PATTERN pass:
        the test checks it."""
        self.expected.append((re.compile(url_pattern), status))

    def expect_console(self, pattern):
        """Let console errors matching PATTERN pass: the page's own report of an error
        answer the test expects."""
        self.expected_console.append(re.compile(pattern))

    def _expected(self, url, status=None):
        return any(pattern.search(url) and status in (None, wanted)
                   for pattern, wanted in self.expected)

    def on_console(self, message):
        if message.type != "error" or any(p.search(message.text) for p in self.expected_console):
            return
        url = (message.location or {}).get("url", "")
        # Chromium's "Failed to load resource: … status of N" of an answer that is expected,
        # or already reported as an answer, says nothing new.
        if "Failed to load resource: the server responded" in message.text and (
                self._expected(url) or url in self._reported):
            return
        self.problems.append(f"console error: {message.text} ({url})")

    def watch_uncaught_errors(self):
        """Fail on script errors nobody caught too (Playwright reports them as page
        errors, not console messages: "n.attr is not a function" went unseen)."""
        self.page.on("pageerror", self.on_page_error)

    def expect_uncaught(self, pattern):
        """Let uncaught script errors matching PATTERN pass (message or name)."""
        self.expected_uncaught.append(re.compile(pattern))

    def on_page_error(self, error):
        if any(p.search(f"{error.name}: {error.message}") for p in self.expected_uncaught):
            return
        self.problems.append(f"uncaught script error: {error.name}: {error.message} "
                             f"({(error.stack or '')[:400]})")

    def on_request_failed(self, request):
        failure = request.failure or ""
        if failure == "net::ERR_ABORTED":  # cancelled by a navigation, not an error
            return
        self.problems.append(f"request failed: {request.method} {request.url}: {failure}")

    def on_response(self, response):
        status, url = response.status, response.url
        if status < 400 or self._expected(url, status):
            return
        same_origin = urlsplit(url).netloc == urlsplit(self.page.url).netloc
        xhr = response.request.resource_type in ("xhr", "fetch")
        if status >= 500 or (xhr and same_origin):
            self._reported.add(url)
            self.problems.append(f"answer {status}: {response.request.method} {url}")

    def __post_init__(self):
        self._reported = set()
        self.page.on("console", self.on_console)
        self.page.on("requestfailed", self.on_request_failed)
        self.page.on("response", self.on_response)


@dataclass
class Person:
    """Someone who logs in through the login form; HEADERS call the REST API as them."""

    email: str
    headers: dict
    user: object = None
    password: str = PASSWORD


@dataclass
class Library:
    """A member library created for a test, with one person per role."""

    slug: str
    community_id: str
    people: dict

    def __getattr__(self, role):  # library.depositor, .curator, .manager
        try:
            return self.people[role]
        except KeyError:
            raise AttributeError(role) from None


MEDIATED_RULES = {  # as the demo's MZK: description and keywords, three licences, agreement
    "required_fields": ["description", "subjects"],
    "licenses": ["cc-by-4.0", "cc-by-sa-4.0", "cc0-1.0"],
    "default_license": "cc-by-4.0",
    "max_embargo_months": 24,
    "agreement": {
        "cs": "Vkladatel prohlašuje, že je autorem díla, a uděluje knihovně nevýhradní právo "
              "dílo uchovávat a zpřístupňovat.",
        "en": "The depositor declares to be the author of the work and grants the library a "
              "non-exclusive right to preserve and provide access to it.",
    },
}


# --- what a person does in the browser ---------------------------------------------
def log_in(page, base_url, person):
    """Log PERSON in through the real login form on the host of BASE_URL."""
    page.goto(f"{base_url}/login/")
    form = page.locator("form:has(input[name=password])")
    form.locator("input[name=email]").fill(person.email)
    form.locator("input[name=password]").fill(person.password)
    form.locator("button[type=submit]").click()
    page.wait_for_url(lambda url: "/login" not in urlsplit(url).path)
    page.wait_for_load_state("networkidle")


def add_files(page, *files):
    """Put FILES (Playwright file payloads or paths) into the deposit form, as a person
    choosing them does: nothing more. Their upload starts by itself (no second
    "Upload" button to find); a test waits for it as a person waits for the bar."""
    page.locator(".uppy-Dashboard-input").first.set_input_files(list(files))


def axe(page):
    """axe-core's critical and serious violations on PAGE, as [{id, impact, nodes, help}]."""
    page.wait_for_load_state("networkidle")
    page.add_script_tag(content=AXE_JS.read_text())
    violations = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"],
         "targets": [", ".join(map(str, n["target"])) for n in v["nodes"][:5]]}
        for v in violations if v["impact"] in ("critical", "serious")
    ]


def png(width, height, rgb):
    """A plain PNG image of one colour."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    rows = b"".join(b"\0" + bytes(rgb) * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


PNG_LOGO = png(96, 96, (0x8B, 0x1E, 0x3F))
"""A library's logo: a square in its colour."""


def library_with_a_submission(app, make_library, prefix, published_title, waiting_title):
    """A mediated library (MEDIATED_RULES) with a work its curator published and one
    its depositor submitted, waiting for review: `.record_id`, `.request_id`."""
    from helpers import deposit, submit_review

    library = make_library("mediated", MEDIATED_RULES, prefix=prefix)
    client = app.test_client()
    changes = {"metadata": {"description": "Popis.", "subjects": [{"subject": "mapy"}],
                            "rights": [{"id": "cc-by-4.0"}]},
               "custom_fields": {"consortium:deposit_agreement": True}}
    published = deposit(client, library.curator.headers, library.community_id,
                        published_title, changes=changes)
    res = submit_review(client, library.curator.headers, published["id"])
    assert res.status_code == 202 and res.json["status"] == "accepted", res.json
    waiting = deposit(client, library.depositor.headers, library.community_id,
                      waiting_title, changes=changes)
    res = submit_review(client, library.depositor.headers, waiting["id"])
    assert res.status_code == 202 and res.json["status"] == "submitted", res.json
    library.record_id, library.request_id = published["id"], res.json["id"]
    return library
