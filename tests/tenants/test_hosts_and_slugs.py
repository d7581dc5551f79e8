"""Host names and slugs a library cannot take: other libraries', the consortium's, platform words."""

import json
import secrets

import pytest

from helpers import invoke_cli, tenant_payload


def serves(client, host):
    """Slug of the library answering on HOST (its front page leads to its collection)."""
    res = client.get("/", headers={"Host": host})
    assert res.status_code == 302, (host, res.status_code)
    return res.headers["Location"].rsplit("/communities/", 1)[1].split("/")[0]


def test_a_library_cannot_take_another_librarys_implicit_host(client, admin_headers, make_tenant):
    a, _ = make_tenant("own")
    b, _ = make_tenant("victim")
    taken = f"{b['slug']}.localhost"

    res = client.put(f"/api/tenants/{a['slug']}", headers=admin_headers, json={"hosts": [taken]})
    assert res.status_code == 409, res.json
    assert taken in res.json["message"] and b["slug"] in res.json["message"]
    assert client.get(f"/api/tenants/{a['slug']}").json["hosts"] == []
    assert serves(client, taken) == b["slug"]

    other = f"new-{secrets.token_hex(3)}"
    res = client.post("/api/tenants", headers=admin_headers,
                      json=tenant_payload(other, hosts=[taken]))
    assert res.status_code == 409, res.json
    assert taken in res.json["message"]
    assert client.get(f"/api/tenants/{other}").status_code == 404

    # Its own implicit host is no conflict (it answers there anyway).
    own = f"{a['slug']}.localhost"
    res = client.put(f"/api/tenants/{a['slug']}", headers=admin_headers, json={"hosts": [own]})
    assert res.status_code == 200, res.json
    assert serves(client, own) == a["slug"]


def test_consortium_hosts_are_taken(client, admin_headers, make_tenant, configure):
    configure(CONSORTIUM_HOSTS=["127.0.0.1", "localhost", "repozitar.konsorcium.example",
                                "portal.localhost"])
    tenant, _ = make_tenant("cons")
    res = client.put(f"/api/tenants/{tenant['slug']}", headers=admin_headers,
                     json={"hosts": ["repozitar.konsorcium.example"]})
    assert res.status_code == 409, res.json
    assert "repozitar.konsorcium.example" in res.json["message"]

    slug = f"new-{secrets.token_hex(3)}"
    res = client.post("/api/tenants", headers=admin_headers,
                      json=tenant_payload(slug, hosts=["repozitar.konsorcium.example"]))
    assert res.status_code == 409, res.json
    # A library whose implicit host is the consortium's would never be reached.
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload("portal"))
    assert res.status_code == 409, res.json
    assert "portal.localhost" in res.json["message"]
    assert client.get("/api/tenants/portal").status_code == 404


def test_new_slug_whose_implicit_host_another_library_holds_is_409(
    client, admin_headers, make_tenant
):
    holder, _ = make_tenant("holder")
    slug = f"later-{secrets.token_hex(3)}"
    res = client.put(f"/api/tenants/{holder['slug']}", headers=admin_headers,
                     json={"hosts": [f"{slug}.localhost"]})
    assert res.status_code == 200, res.json

    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
    assert res.status_code == 409, res.json
    assert f"{slug}.localhost" in res.json["message"] and holder["slug"] in res.json["message"]
    assert client.get(f"/api/tenants/{slug}").status_code == 404
    assert client.get(f"/api/communities/{slug}").status_code == 404
    assert serves(client, f"{slug}.localhost") == holder["slug"]


@pytest.mark.parametrize("slug", ["consortium", "admin", "administration", "api", "static",
                                  "oai2d", "www", "search", "communities", "me"])
def test_platform_words_are_reserved_slugs(client, admin_headers, slug):
    res = client.post("/api/tenants", headers=admin_headers, json=tenant_payload(slug))
    assert res.status_code == 400, res.json
    errors = {e["field"]: e["messages"] for e in res.json["errors"]}
    assert "reserved" in errors["slug"][0]
    assert client.get(f"/api/tenants/{slug}").status_code == 404


def test_cli_refuses_taken_hosts_and_reserved_slugs(app, tmp_path, make_tenant):
    a, _ = make_tenant("clia")
    b, _ = make_tenant("clib")
    taken = f"{b['slug']}.localhost"
    common = ["--name-cs", "Knihovna", "--name-en", "Library", "--short-name", "L",
              "--contact-email", "repo@cli.example"]

    result = invoke_cli(app, ["tenants", "create", f"cli-{secrets.token_hex(3)}",
                              "--host", taken, *common])
    assert result.exit_code == 1 and taken in result.output
    result = invoke_cli(app, ["tenants", "create", "admin", *common])
    assert result.exit_code == 1 and "slug" in result.output and "reserved" in result.output
    result = invoke_cli(app, ["tenants", "update", a["slug"], json.dumps({"hosts": [taken]})])
    assert result.exit_code == 1 and taken in result.output

    path = tmp_path / "tenants.yaml"
    path.write_text(f"tenants:\n  - slug: {a['slug']}\n    hosts: [{taken}]\n", encoding="utf-8")
    result = invoke_cli(app, ["tenants", "load", str(path)])
    assert result.exit_code == 1 and taken in result.output
    assert json.loads(invoke_cli(app, ["tenants", "show", a["slug"]]).output)["hosts"] == []
