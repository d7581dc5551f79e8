"""Federation metadata (issue 27 §5): a feed signed locally with a test certificate stands
for eduID.cz's. Its signature is verified with the federation's certificate before use;
the feed and its IdPs are kept in the database; a feed that fails (altered, signed by
another key, unsigned, expired) is refused and the last good one stays."""

import http.server
import secrets
import subprocess
import threading
from datetime import datetime, timedelta, timezone

import pytest
import requests
from invenio_db import db
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from helpers import invoke_cli
from saml_flow import IDP, MZK_IDP, SVKOS_IDP


def key_pair(folder, name):
    key, crt = folder / f"{name}.key", folder / f"{name}.crt"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
                    "-subj", f"/CN={name} (tests)", "-keyout", str(key), "-out", str(crt)],
                   check=True, capture_output=True)
    return key.read_text(), crt.read_text()


@pytest.fixture(scope="session")
def federation(tmp_path_factory):
    """The test federation's signing key pair and an intruder's."""
    folder = tmp_path_factory.mktemp("federation")
    return {"federation": key_pair(folder, "federation"), "intruder": key_pair(folder, "intruder"),
            "certificate_file": str(folder / "federation.crt")}


def feed(idps=("mzk", "svkos"), valid_for=timedelta(days=7), signer=None, alter=None):
    """An EntitiesDescriptor of the test IdPs' metadata, signed by SIGNER (key, cert)."""
    entities = "".join(
        requests.get(f"{IDP}/{name}/metadata", timeout=10).text.split("?>", 1)[1]
        for name in idps)
    until = (datetime.now(timezone.utc) + valid_for).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = (f'<md:EntitiesDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
           f'ID="feed-{secrets.token_hex(4)}" Name="test-federation" validUntil="{until}">'
           f'{entities}</md:EntitiesDescriptor>')
    if signer:
        xml = OneLogin_Saml2_Utils.add_sign(xml, signer[0], signer[1],
                                            sign_algorithm=C.RSA_SHA256,
                                            digest_algorithm=C.SHA256)
        xml = xml.decode() if isinstance(xml, bytes) else xml
    return (alter(xml) if alter else xml).encode()


@pytest.fixture()
def feed_server():
    """A web server answering the current feed (set its `content`)."""
    state = {"content": b""}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.end_headers()
            self.wfile.write(state["content"])

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["url"] = f"http://127.0.0.1:{server.server_port}/entities/test+idp"
    yield state
    server.shutdown()


def stored(url):
    from consortium_tenants.sso.models import FederationFeedModel, IdentityProviderModel

    db.session.expire_all()
    row = db.session.get(FederationFeedModel, url)
    idps = {i.entity_id: i for i in IdentityProviderModel.query.filter_by(source=url)}
    return row, idps


def test_a_signed_feed_is_verified_stored_and_its_idps_used(app, configure, federation,
                                                            feed_server):
    key, cert = federation["federation"]
    configure(CONSORTIUM_SSO_FEDERATION_FEEDS=[
        {"url": feed_server["url"], "certificate": federation["certificate_file"]}])
    feed_server["content"] = feed(signer=(key, cert))
    result = invoke_cli(app, ["tenants", "sso", "feeds-refresh"])
    assert result.exit_code == 0, result.output
    assert "2 IdP(s)" in result.output
    row, idps = stored(feed_server["url"])
    assert row.xml.encode() == feed_server["content"] and row.last_error is None
    assert set(idps) == {MZK_IDP, SVKOS_IDP}
    assert idps[MZK_IDP].scopes == ["mzk.cz"] and idps[MZK_IDP].names["cs"]

    # a later feed without SVKOS: its IdP is forgotten
    feed_server["content"] = feed(idps=("mzk",), signer=(key, cert))
    assert invoke_cli(app, ["tenants", "sso", "feeds-refresh"]).exit_code == 0
    assert set(stored(feed_server["url"])[1]) == {MZK_IDP}


def scope_to_evil(xml):
    return xml.replace(">mzk.cz</shibmd:Scope>", ">evil.org</shibmd:Scope>", 1)


@pytest.mark.parametrize("case, reason", [
    ("altered", "does not verify"), ("another key", "does not verify"),
    ("unsigned", "not signed"), ("expired", "expired")])
def test_a_bad_feed_is_refused_and_the_last_good_one_kept(app, configure, federation,
                                                          feed_server, case, reason):
    key, cert = federation["federation"]
    configure(CONSORTIUM_SSO_FEDERATION_FEEDS=[
        {"url": feed_server["url"], "certificate": cert}])
    good = feed(signer=(key, cert))
    feed_server["content"] = good
    assert invoke_cli(app, ["tenants", "sso", "feeds-refresh"]).exit_code == 0
    bad = {
        "altered": lambda: feed(signer=(key, cert), alter=scope_to_evil),
        "another key": lambda: feed(signer=federation["intruder"]),
        "unsigned": lambda: feed(),
        "expired": lambda: feed(signer=(key, cert), valid_for=timedelta(days=-1)),
    }[case]()
    feed_server["content"] = bad
    result = invoke_cli(app, ["tenants", "sso", "feeds-refresh"])
    assert result.exit_code == 1, result.output
    assert "refused" in result.output and reason in result.output
    row, idps = stored(feed_server["url"])
    assert row.xml.encode() == good  # the last good feed stays
    assert row.last_error
    assert idps[MZK_IDP].scopes == ["mzk.cz"]
    status = invoke_cli(app, ["tenants", "sso", "feeds"])
    assert "last attempt refused" in status.output


def test_the_refresh_is_a_scheduled_task_and_a_job(app, configure, federation, feed_server):
    from invenio_jobs.proxies import current_jobs

    from consortium_tenants.sso.tasks import refresh_federation_feeds

    key, cert = federation["federation"]
    configure(CONSORTIUM_SSO_FEDERATION_FEEDS=[
        {"url": feed_server["url"], "certificate": cert}])
    feed_server["content"] = feed(idps=("svkos",), signer=(key, cert))
    refresh_federation_feeds.delay()  # eager in the tests, as the worker runs it
    assert set(stored(feed_server["url"])[1]) == {SVKOS_IDP}
    assert app.config["CONSORTIUM_JOBS"]["consortium-sso-federation-metadata"] == {
        "minute": "20", "hour": "5"}
    job = current_jobs.registry.get("consortium-sso-federation-metadata")
    assert job.task is refresh_federation_feeds
