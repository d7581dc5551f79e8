"""A library's site is one origin: every absolute URL made on its host uses that host.

REST links, pages (deposit form, record page, queue, header), and e-mails about
the library; the consortium's hosts keep SITE_UI_URL. The host comes from the
Host header the router validated, never from X-Forwarded-Host.
"""

import re
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from helpers import (
    browser_of,
    init_file,
    minimal_record,
    put_content,
    request_action,
)

URL = re.compile(r"https?://[^\s\"'<>\\]+")


def on(slug):
    """Request arguments that address the library's own host."""
    return {"base_url": f"http://{slug}.localhost"}


def link_urls(data):
    """Every URL under a `links` key anywhere in DATA."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "links":
                yield from _strings(value)
            else:
                yield from link_urls(value)
    elif isinstance(data, list):
        for item in data:
            yield from link_urls(item)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def foreign_urls(app, text, slug):
    """URLs in TEXT to the platform's sites other than library SLUG's host.

    The consortium's front page is no such URL: the library's footer links to it
    as the consortium the library belongs to (a visit elsewhere, not a call).
    """
    consortium = app.config["SITE_UI_URL"].rstrip("/") + "/"
    return {url for url in URL.findall(text)
            if ("localhost" in url or "127.0.0.1" in url)
            and not url.startswith(f"http://{slug}.localhost/") and url != consortium}


def primary_origin(app, host):
    """HOST with the scheme and port of SITE_UI_URL (what e-mails link to)."""
    site = urlsplit(app.config["SITE_UI_URL"])
    return f"{site.scheme}://{host}" + (f":{site.port}" if site.port else "")


@pytest.fixture(scope="module")
def library(make_tenant):
    return make_tenant("origin")


@pytest.fixture(scope="module")
def other_library(make_tenant):
    return make_tenant("origin-b")


def _deposit_journey(client, people, community_id, **where):
    """Draft, file, review request, acceptance, record, search: every JSON answer."""
    dep, cur = people["depositors"], people["curators"]
    answers = []

    def keep(res, status):
        assert res.status_code == status, (res.status_code, res.json)
        answers.append(res.json)
        return res.json

    draft = keep(client.post("/api/records", headers=dep, json=minimal_record("Jeden původ"),
                             **where), 201)
    draft_id = draft["id"]
    keep(init_file(client, dep, draft_id, "work.pdf", 3, **where), 201)
    keep(put_content(client, dep, draft_id, "work.pdf", b"PDF", **where), 200)
    keep(client.post(f"/api/records/{draft_id}/draft/files/work.pdf/commit", headers=dep,
                     **where), 200)
    keep(client.get(f"/api/records/{draft_id}/draft/files", headers=dep, **where), 200)
    keep(client.put(f"/api/records/{draft_id}/draft/review", headers=dep,
                    json={"receiver": {"community": community_id},
                          "type": "community-submission"}, **where), 200)
    request = keep(client.post(f"/api/records/{draft_id}/draft/actions/submit-review",
                               headers=dep, json={}, **where), 202)
    keep(client.get(f"/api/requests/{request['id']}", headers=cur, **where), 200)
    keep(client.post(f"/api/requests/{request['id']}/actions/accept", headers=cur, json={},
                     **where), 200)
    keep(client.get(f"/api/records/{draft_id}", headers=dep, **where), 200)
    keep(client.get(f"/api/records/{draft_id}/files", headers=dep, **where), 200)
    keep(client.get("/api/records", query_string={"q": f"id:{draft_id}"}, **where), 200)
    return answers


def test_rest_links_on_a_library_host_use_that_host(client, library):
    tenant, people = library
    slug = tenant["slug"]
    answers = _deposit_journey(client, people, tenant["community_id"], **on(slug))
    urls = [url for answer in answers for url in link_urls(answer)]
    assert len(urls) > 50
    assert [u for u in urls if not u.startswith(f"http://{slug}.localhost/")] == []
    assert any(u.startswith(f"http://{slug}.localhost/api/records/") for u in urls)
    assert any("/files/work.pdf/content" in u for u in urls)  # the upload itself
    assert any("/api/requests/" in u and "/actions/" in u for u in urls)  # the review


def test_rest_links_on_the_consortium_host_use_site_ui_url(app, client, library):
    tenant, people = library
    answers = _deposit_journey(client, people, tenant["community_id"])
    urls = [url for answer in answers for url in link_urls(answer)]
    site = app.config["SITE_UI_URL"]
    assert len(urls) > 50
    assert [u for u in urls if not u.startswith(f"{site}/")] == []


def test_forwarded_host_headers_are_not_believed(app, client, library, other_library):
    slug, other = library[0]["slug"], other_library[0]["slug"]
    forged = {"X-Forwarded-Host": f"{other}.localhost", "X-Forwarded-Proto": "https"}
    res = client.get(f"/api/tenants/{slug}", headers=forged, **on(slug))
    assert res.json["links"]["self"] == f"http://{slug}.localhost/api/tenants/{slug}"
    res = client.get(f"/api/tenants/{slug}", headers=forged)
    assert res.json["links"]["self"] == f"{app.config['SITE_API_URL']}/tenants/{slug}"


def test_hosts_in_a_row_each_get_their_own_links(app, client, library, other_library):
    a, b = library[0]["slug"], other_library[0]["slug"]
    consortium = app.config["SITE_API_URL"]
    expected = [(on(a), f"http://{a}.localhost/api"), (on(b), f"http://{b}.localhost/api"),
                ({}, consortium), (on(a), f"http://{a}.localhost/api")]
    for where, api in expected:
        for path in (f"/api/tenants/{a}", "/api/records?size=1"):
            links = client.get(path, **where).json["links"]
            assert links["self"].startswith(api + "/"), (where, path, links)


def test_concurrent_requests_to_different_hosts_do_not_share_links(app, http_server, library,
                                                                   other_library):
    """One threaded server answers many hosts at once; each answer names its own host."""
    port = urlsplit(http_server).port
    slug = library[0]["slug"]
    api_of = {host: f"http://{host}/api/" for host in (
        f"{slug}.localhost:{port}", f"{other_library[0]['slug']}.localhost:{port}")}
    api_of[f"127.0.0.1:{port}"] = app.config["SITE_API_URL"] + "/"
    hosts = sorted(api_of)

    def fetch(index):
        host = hosts[index % len(hosts)]
        res = requests.get(f"{http_server}/api/tenants/{slug}", headers={"Host": host},
                           timeout=60)
        return host, res.json()["links"]["self"]

    with ThreadPoolExecutor(max_workers=6) as pool:
        answers = list(pool.map(fetch, range(36)))
    assert [(host, link) for host, link in answers if not link.startswith(api_of[host])] == []


def test_deposit_form_on_a_library_host_names_no_other_site(app, client, library):
    tenant, people = library
    slug = tenant["slug"]
    browser = browser_of(app, people["depositors_user"], base_url=on(slug)["base_url"])
    page = browser.get(f"/uploads/new?community={slug}", **on(slug))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'href="http://{slug}.localhost/"' in html  # the header's logo
    assert foreign_urls(app, html, slug) == set()

    # The form of an existing draft carries the draft's links (files, review, publish).
    draft = client.post("/api/records", headers=people["depositors"],
                        json=minimal_record("Formulář"), **on(slug)).json
    page = browser.get(f"/uploads/{draft['id']}", **on(slug))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f"http://{slug}.localhost/api/records/{draft['id']}/draft" in html
    assert foreign_urls(app, html, slug) == set()


def test_record_page_on_a_library_host_calls_that_host(app, client, library):
    tenant, people = library
    slug = tenant["slug"]
    answers = _deposit_journey(client, people, tenant["community_id"], **on(slug))
    record_id = answers[0]["id"]  # the draft's id is the record's
    page = client.get(f"/records/{record_id}", **on(slug))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    # versions, citation and communities are fetched from the record's links
    assert f"http://{slug}.localhost/api/records/{record_id}" in html
    assert foreign_urls(app, html, slug) == set()


def test_queue_review_and_logo_links_on_a_library_host_stay_on_it(app, client, library):
    tenant, people = library
    slug = tenant["slug"]
    dep = people["depositors"]
    draft = client.post("/api/records", headers=dep, json=minimal_record("Do fronty")).json
    client.put(f"/api/records/{draft['id']}/draft/review", headers=dep,
               json={"receiver": {"community": tenant["community_id"]},
                     "type": "community-submission"})
    request_id = client.post(f"/api/records/{draft['id']}/draft/actions/submit-review",
                             headers=dep, json={}).json["id"]
    from invenio_requests.proxies import current_requests_service

    current_requests_service.indexer.refresh()
    browser = browser_of(app, people["curators_user"], base_url=on(slug)["base_url"])
    page = browser.get(f"/libraries/{slug}/submissions", **on(slug))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    review = f"http://{slug}.localhost/communities/{slug}/requests/{request_id}"
    assert f'href="{review}"' in html
    assert f'href="http://{slug}.localhost/"' in html  # the header's logo
    assert foreign_urls(app, html, slug) == set()


def test_e_mails_to_library_members_link_to_its_primary_host(app, client, outbox,
                                                             admin_headers, make_tenant):
    """Sent from the consortium host (as a Celery worker has no host at all)."""
    from invenio_communities.proxies import current_communities
    from invenio_users_resources.proxies import current_users_service

    tenant, people = make_tenant("origin-mail")
    slug = tenant["slug"]
    dep, cur = people["depositors"], people["curators"]
    current_communities.service.members.indexer.refresh()  # curators hear of submissions
    current_users_service.indexer.refresh()

    def mails_to(group):
        return [m for m in outbox if people[f"{group}_user"].email in m.recipients]

    origin = primary_origin(app, f"{slug}.localhost")
    draft = client.post("/api/records", headers=dep, json=minimal_record("Pošta")).json
    client.put(f"/api/records/{draft['id']}/draft/review", headers=dep,
               json={"receiver": {"community": tenant["community_id"]},
                     "type": "community-submission"})
    request_id = client.post(f"/api/records/{draft['id']}/draft/actions/submit-review",
                             headers=dep, json={}).json["id"]
    submitted = mails_to("curators")
    assert len(submitted) == 1, [m.subject for m in outbox]
    assert f'href="{origin}/me/requests/{request_id}"' in submitted[0].html
    assert f'href="{origin}/account/settings/notifications/"' in submitted[0].html

    assert request_action(client, cur, request_id, "request_changes",
                          "Doplňte abstrakt.").status_code == 200
    changes = [m for m in mails_to("depositors") if m.subject.startswith("Changes requested")]
    assert len(changes) == 1, [m.subject for m in outbox]
    assert f"{origin}/me/requests/{request_id}" in changes[0].body

    # A library with host names of its own: the first one.
    res = client.put(f"/api/tenants/{slug}", headers=admin_headers,
                     json={"hosts": [f"z-{slug}.example", f"a-{slug}.example"],
                           "storage": {"quota": 1000}})
    assert res.status_code == 200, res.json
    origin = primary_origin(app, f"a-{slug}.example")
    draft = client.post("/api/records", headers=dep, json=minimal_record("Kvóta")).json
    assert init_file(client, dep, draft["id"], "big.bin", 850).status_code == 201
    assert put_content(client, dep, draft["id"], "big.bin", b"b" * 850).status_code == 200
    warned = [m for m in mails_to("managers") if m.subject.startswith("Storage of")]
    assert len(warned) == 1, [m.subject for m in outbox]
    assert f"{origin}/communities/{slug}" in warned[0].body

    # every e-mail, comment notifications too (their links are made when broadcast)
    for mail in mails_to("curators") + mails_to("depositors") + mails_to("managers"):
        assert "127.0.0.1" not in mail.body + mail.html, mail.subject
