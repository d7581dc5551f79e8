"""`invenio tenants …` over the real services."""

import json
import secrets

from helpers import invoke_cli


def test_create_show_update_suspend_list(app):
    slug = f"cli-{secrets.token_hex(3)}"
    result = invoke_cli(app, [
        "tenants", "create", slug, "--name-cs", "Knihovna CLI", "--name-en", "CLI Library",
        "--short-name", "CLI", "--contact-email", f"repo@{slug}.example",
    ])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["slug"] == slug

    result = invoke_cli(app, ["tenants", "update", slug, '{"short_name": "CLI2"}'])
    assert result.exit_code == 0, result.output
    assert json.loads(invoke_cli(app, ["tenants", "show", slug]).output)["short_name"] == "CLI2"

    assert invoke_cli(app, ["tenants", "suspend", slug]).exit_code == 0
    listing = invoke_cli(app, ["tenants", "list", "-q", slug]).output
    assert slug in listing and "suspended" in listing


def test_bad_input_exits_non_zero_with_message(app):
    result = invoke_cli(app, [
        "tenants", "create", "Bad Slug", "--name-cs", "x", "--name-en", "y",
        "--short-name", "B", "--contact-email", "nope",
    ])
    assert result.exit_code == 1
    assert "slug" in result.output and "contact_email" in result.output
    result = invoke_cli(app, ["tenants", "show", "no-such-library"])
    assert result.exit_code == 1
    assert "no-such-library" in result.output
    result = invoke_cli(app, ["tenants", "update", "no-such-library", "{not json"])
    assert result.exit_code == 1


def test_load_is_idempotent(app, tmp_path, make_user):
    user, _ = make_user()
    slug = f"yaml-{secrets.token_hex(3)}"
    path = tmp_path / "tenants.yaml"
    path.write_text(
        "tenants:\n"
        f"  - slug: {slug}\n"
        "    names: {cs: Knihovna YAML, en: YAML Library}\n"
        "    short_name: YML\n"
        f"    contact_email: repo@{slug}.example\n"
        "    members:\n"
        f"      curators: [{user.email}]\n",
        encoding="utf-8",
    )
    for _ in range(2):
        result = invoke_cli(app, ["tenants", "load", str(path)])
        assert result.exit_code == 0, result.output
    members = json.loads(invoke_cli(app, ["tenants", "show", slug]).output)
    assert members["names"]["en"] == "YAML Library"
    listing = invoke_cli(app, ["tenants", "list", "-q", slug]).output
    assert listing.count(slug) == 1
    bad = tmp_path / "bad.yaml"
    bad.write_text("tenants: {not: a list}\n", encoding="utf-8")
    result = invoke_cli(app, ["tenants", "load", str(bad)])
    assert result.exit_code == 1
    assert "tenants:" in result.output


def test_add_and_remove_member(app, make_tenant, make_user):
    tenant, _ = make_tenant("clim")
    user, _ = make_user()
    args = [tenant["slug"], user.email, "--role", "curators"]
    result = invoke_cli(app, ["tenants", "add-member", *args])
    assert result.exit_code == 0, result.output
    assert user.email in json.loads(result.output)["curators"]
    result = invoke_cli(app, ["tenants", "remove-member", *args])
    assert result.exit_code == 0, result.output
    assert user.email not in json.loads(result.output)["curators"]
    result = invoke_cli(app, ["tenants", "add-member", tenant["slug"], "ghost@nowhere.example",
                              "--role", "curators"])
    assert result.exit_code == 1 and "ghost@nowhere.example" in result.output
