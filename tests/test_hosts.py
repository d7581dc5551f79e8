"""Host headers: only `host[:port]` selects a library; anything else is refused with 400."""

import socket
from urllib.parse import urlsplit

import pytest

MALFORMED = [  # {host}: a library's own host name
    "{host}:evil.org",
    "{host}:@evil.org",
    "{host}:5000,evil.org",  # two Host headers, as servers merge them
    "{host} ",
    "{host}:",
    "{host}:0",
    "{host}:65536",
    "{host}:+80",
    "{host}/x",
    "evil.org@{host}",
    "{host}..",
    "-{host}",
    "{host}\t",
    "[{host}]",
]
PATHS = {"ui": "/search", "api": "/api/records", "oai": "/oai2d?verb=Identify"}


@pytest.fixture(scope="module")
def library(make_tenant):
    tenant, _ = make_tenant("hosts")
    return tenant


@pytest.mark.parametrize("where", sorted(PATHS))
@pytest.mark.parametrize("form", MALFORMED)
def test_malformed_host_is_refused_with_400(client, library, form, where):
    host = form.format(host=f"{library['slug']}.localhost")
    res = client.get(PATHS[where], headers={"Host": host})
    assert res.status_code == 400, (host, where, res.get_data(as_text=True)[:300])
    assert res.json["message"] == "Malformed Host header: expected host[:port]."
    assert library["slug"] not in res.get_data(as_text=True)


@pytest.mark.parametrize("host", ["256.0.0.1", "127.0.0.1.5", "[::g]", "::1", "a_b.localhost"])
def test_invalid_addresses_and_names_are_malformed(client, host):
    for path in PATHS.values():
        res = client.get(path, headers={"Host": host})
        assert res.status_code == 400, (host, path)
        assert res.json["message"].startswith("Malformed Host header")


def test_well_formed_hosts_with_ports_still_select_the_library(client, library):
    slug = library["slug"]
    for host in (f"{slug}.localhost:5000", f"{slug.upper()}.LOCALHOST:65535",
                 f"{slug}.localhost"):
        res = client.get("/", headers={"Host": host})
        assert res.status_code == 302, host
        assert res.headers["Location"].endswith(f"/communities/{slug}/records")
        res = client.get("/oai2d", query_string={"verb": "Identify"}, headers={"Host": host})
        assert res.status_code == 200
        assert f"<baseURL>http://{host.lower()}/oai2d</baseURL>" in res.get_data(as_text=True)
    assert client.get("/api/records", headers={"Host": "127.0.0.1:5000"}).status_code == 200


def test_unknown_well_formed_host_is_still_400(client):
    res = client.get("/search", headers={"Host": "[::1]:5000"})
    assert res.status_code == 400
    assert res.json["message"] == "Unknown host '[::1]'."


def test_two_host_headers_over_http_are_refused(http_server, library):
    """A real server merges repeated Host headers; the result is no host."""
    address = urlsplit(http_server)
    request = (f"GET /oai2d?verb=Identify HTTP/1.1\r\n"
               f"Host: {library['slug']}.localhost:{address.port}\r\n"
               f"Host: evil.org\r\nConnection: close\r\n\r\n").encode()
    with socket.create_connection((address.hostname, address.port), timeout=30) as conn:
        conn.sendall(request)
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 400"), answer[:300]
    assert b"Malformed Host header" in answer


@pytest.mark.parametrize("on", ["consortium", "library"])
def test_every_known_host_answers_the_favicon_browsers_ask_for(client, library, on):
    """An XML page (OAI-PMH) links no icon: the browser asks /favicon.ico (404 before)."""
    host = "127.0.0.1:5000" if on == "consortium" else f"{library['slug']}.localhost:5000"
    res = client.get("/favicon.ico", headers={"Host": host})
    assert res.status_code == 200
    assert res.mimetype in ("image/x-icon", "image/vnd.microsoft.icon")
