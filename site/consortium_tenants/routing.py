"""Request → tenant, in one place.

The tenant of a request comes from its Host header only (X-Forwarded-Host is
never trusted: PROXYFIX_CONFIG keeps x_host at 0). The consortium's own hosts
have no tenant; any other host must belong to a tenant, else 400.
"""

from flask import current_app, g, jsonify, redirect, request

from .proxies import current_tenants_service


def request_host():
    """Lower-case host name of the request, without port."""
    host = request.environ.get("HTTP_HOST") or request.environ.get("SERVER_NAME", "")
    return host.rsplit(":", 1)[0].strip().lower() if not host.startswith("[") else host


def resolve_tenant():
    """Set `g.tenant` (or None); refuse unknown hosts; steer tenant front pages."""
    host = request_host()
    if host in current_app.config["CONSORTIUM_HOSTS"]:
        g.tenant = None
        return None
    tenant = current_tenants_service.by_host(host)
    if tenant is None:
        response = jsonify(status=400, message=f"Unknown host '{host}'.")
        response.status_code = 400
        return response
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
