"""Request → tenant, in one place.

The tenant of a request comes from its Host header only (X-Forwarded-Host is
never trusted: PROXYFIX_CONFIG keeps x_host at 0). The consortium's own hosts
have no tenant; any other host must belong to a tenant, else 400 (the lookup is
cached, tenants.host_cache; static files skip it). So must a
Host that is not `host[:port]` (a DNS name, an IPv4 address or a bracketed
IPv6 address; a port 1-65535): 400.
"""

import ipaddress
import re

from flask import current_app, g, jsonify, redirect, request

from .pages import unknown_host_page, wants_html
from .proxies import current_tenants_service

DNS_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
HOST_AND_PORT = re.compile(r"(?P<host>\[[0-9a-f:.]+\]|[a-z0-9.-]+)(?::(?P<port>[0-9]{1,5}))?")


def parse_host(value):
    """Host name of a Host header VALUE (lower case, no port), or None when malformed."""
    match = HOST_AND_PORT.fullmatch(value.lower())
    if match is None or not 0 < int(match["port"] or 80) <= 65535:
        return None
    host = match["host"]
    try:
        if host.startswith("["):
            return f"[{ipaddress.IPv6Address(host[1:-1])}]"
        if host.rsplit(".", 1)[-1].isdigit():  # a DNS name's top label is never numeric
            return str(ipaddress.IPv4Address(host))
    except ValueError:
        return None
    labels = host.split(".")
    return host if len(host) <= 253 and all(map(DNS_LABEL.fullmatch, labels)) else None


def request_host():
    """Lower-case host name of the request, without port; None when the Host is malformed."""
    host = request.environ.get("HTTP_HOST") or request.environ.get("SERVER_NAME", "")
    return parse_host(host)


def _bad_host(message):
    response = jsonify(status=400, message=message)
    response.status_code = 400
    return response


def resolve_tenant():
    """Set `g.tenant` (or None); refuse malformed and unknown hosts; steer tenant front pages."""
    host = request_host()
    if host is None:
        return _bad_host("Malformed Host header: expected host[:port].")
    if host in current_app.config["CONSORTIUM_HOSTS"] or request.endpoint == "static":
        g.tenant = None  # static files are the same on every host: no lookup
        return None
    tenant = current_tenants_service.by_host(host)
    if tenant is None:
        # browsers get a page, not JSON
        return unknown_host_page(host) if wants_html() else _bad_host(f"Unknown host '{host}'.")
    g.tenant = tenant
    if request.blueprint and request.blueprint.startswith("consortium_tenants"):
        return None
    return _steer(tenant)


def _steer(tenant):
    """On a tenant's host, the front page, search and deposit default to the library."""
    if request.method != "GET" or request.script_root == "/api":
        return None
    path = request.path
    if path == "/":
        return redirect(f"/communities/{tenant.slug}/records")
    if path == "/search":
        query = request.query_string.decode()
        return redirect(f"/communities/{tenant.slug}/records" + (f"?{query}" if query else ""))
    if path == "/uploads/new" and "community" not in request.args:
        return redirect(f"/uploads/new?community={tenant.slug}")
    return None
