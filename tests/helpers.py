"""Settings, request bodies and helpers shared by the tests."""

import os
import secrets
from pathlib import Path

import boto3
from opensearchpy import OpenSearch
from sqlalchemy_utils import database_exists, drop_database

ROOT = Path(__file__).resolve().parents[1]
LOCAL = Path(os.environ.get("LOCAL_DIR", ROOT / ".local"))
# The COUNTER_SUSHI API (OpenAPI with the JSON Schemas of every report; its README: provenance)
SUSHI_API = ROOT / "tests" / "stats" / "schemas" / "counter-r5.1" / "COUNTER_SUSHI_API.json"


def _datacite_double():
    """scripts/datacite_double.py: the DataCite test double lives outside the runtime
    package (production can never point at it); the tests and `make run` load it by path."""
    import importlib.util
    import sys

    spec = importlib.util.spec_from_file_location(
        "datacite_double", ROOT / "scripts" / "datacite_double.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


DataCiteServer = _datacite_double().DataCiteServer
# Same defaults as scripts/env.sh; OpenSearch's HTTP port follows OS_BASE_PORT when only that is set.
os.environ.setdefault("OS_PORT", str(int(os.environ.get("OS_BASE_PORT", 9200)) + 1))
PORT = {
    name: int(os.environ.get(f"{name}_PORT", default))
    for name, default in (("PG", 5433), ("OS", 9201), ("REDIS", 6380), ("S3", 9000),
                          ("DATACITE_TEST", 5203))
}
TEST_DB_URI = f"postgresql+psycopg2://consortium:consortium@127.0.0.1:{PORT['PG']}/consortium_test"
TEST_INDEX_PREFIX = "test-consortium-"
TEST_BUCKET = "consortium-test"
REDIS = f"redis://127.0.0.1:{PORT['REDIS']}"
DATACITE_TEST_URL = f"http://127.0.0.1:{PORT['DATACITE_TEST']}/"
"""The tests' DataCite double (conftest.datacite), for the in-process and the served apps."""
TEST_INSTANCE = LOCAL / "test-instance"

TEST_CONFIG = {
    "TESTING": True,
    "SQLALCHEMY_DATABASE_URI": TEST_DB_URI,
    "SEARCH_INDEX_PREFIX": TEST_INDEX_PREFIX,
    "CONSORTIUM_S3_BUCKET": TEST_BUCKET,
    "CACHE_REDIS_URL": f"{REDIS}/8",
    "ACCOUNTS_SESSION_REDIS_URL": f"{REDIS}/9",
    "CELERY_RESULT_BACKEND": f"{REDIS}/10",
    "RATELIMIT_STORAGE_URI": f"{REDIS}/11",
    "COMMUNITIES_IDENTITIES_CACHE_REDIS_URL": f"{REDIS}/12",
    "BROKER_URL": f"{REDIS}/13",
    "CELERY_BROKER_URL": f"{REDIS}/13",
    "CELERY_TASK_ALWAYS_EAGER": True,
    "CELERY_TASK_EAGER_PROPAGATES": True,
    "RATELIMIT_ENABLED": False,
    "MAIL_SUPPRESS_SEND": True,
    "WTF_CSRF_ENABLED": False,  # the login form is posted directly by tests
    # the machine's key (scripts/env.sh) when set, so in-process and `invenio` processes agree
    "CONSORTIUM_DATACITE_KEYS": os.environ.get("INVENIO_CONSORTIUM_DATACITE_KEYS")
    or "Y29uc29ydGl1bS10ZXN0cy1kYXRhY2l0ZS1rZXktMzI=",
}


def instance_env(**config):
    """Environment of an `invenio` process on the test instance: TEST_CONFIG, then CONFIG."""
    env = {**os.environ, "INVENIO_INSTANCE_PATH": str(TEST_INSTANCE),
           "INVENIO_STATIC_FOLDER": str(LOCAL / "instance" / "static")}
    env.update({f"INVENIO_{key}": repr(value) if not isinstance(value, str) else value
                for key, value in {**TEST_CONFIG, **config}.items()})
    return env


def invenio_command(*args):
    """`invenio ARGS…` of the project's virtualenv, as a process argument list."""
    import sys

    return [str(Path(sys.executable).with_name("invenio")), *args]


def run_cli(*args, timeout=900):
    """Run `invenio ARGS…` in a process of its own on the test instance, as a shell would.

    No request context exists there (pytest-flask pushes one around every test),
    so this is how a command behaves when an operator runs it.
    """
    import subprocess

    return subprocess.run(invenio_command(*args), env=instance_env(), capture_output=True,
                          text=True, timeout=timeout)


def start_server(port, log, **config):
    """The test instance served as `make run` serves it (scripts/app.sh), on 127.0.0.1:PORT.

    A process of its own with the test config, CONFIG on top; its output goes to the
    open file LOG. Returns the process; the caller waits for it to answer and stops it.
    """
    import subprocess

    command = invenio_command("run", "--host", "127.0.0.1", "--port", str(port),
                              "--no-reload", "--with-threads")
    env = {**instance_env(**config), "FLASK_DEBUG": "0"}
    return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def s3_client():
    """boto3 client of the local S3 server (credentials as in scripts/env.sh)."""
    return boto3.client(
        "s3",
        endpoint_url=f"http://127.0.0.1:{PORT['S3']}",
        aws_access_key_id=os.environ.get("S3_ACCESS_KEY", "consortium"),
        aws_secret_access_key=os.environ.get("S3_SECRET_KEY", "consortium-secret"),
        region_name="us-east-1",
    )


def invoke_cli(app, args):
    """Run an `invenio …` command (the real top-level group) inside APP."""
    from invenio_app.cli import cli

    return app.test_cli_runner().invoke(cli, args=args)




def minimal_record(title):
    """Smallest metadata InvenioRDM accepts for publication."""
    return {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": True},
        "metadata": {
            "title": title,
            "publication_date": "2026-11-25",
            "resource_type": {"id": "publication-article"},
            "creators": [
                {
                    "person_or_org": {
                        "type": "personal",
                        "given_name": "Jana",
                        "family_name": "Nováková",
                    }
                }
            ],
            "publisher": "Library Consortium Repository",
        },
    }


def full_record(title, doi=None):
    """Deposit data of a record with every part harvesters read: rights, subjects,
    languages, funding, related identifiers, dates, contributors, the deposit agreement."""
    from consortium_tenants.workflows.rules import AGREEMENT_FIELD

    # files disabled: the tests upload theirs and set "files"; bench clones have none
    data = {
        "access": {"record": "public", "files": "public"},
        "files": {"enabled": False},
        "metadata": {
            "title": title,
            "additional_titles": [{"title": f"{title} (en)", "type": {"id": "translated-title"},
                                   "lang": {"id": "eng"}}],
            "publication_date": "2026-11-25",
            "resource_type": {"id": "publication-article"},
            "creators": [{"person_or_org": {
                "type": "personal", "given_name": "Jana", "family_name": "Nováková",
                "identifiers": [{"scheme": "orcid", "identifier": "0000-0002-1825-0097"}]},
                "affiliations": [{"name": "Moravská zemská knihovna"}]}],
            "contributors": [{"person_or_org": {"type": "organizational", "name": "Knihovna"},
                              "role": {"id": "datacurator"}}],
            "publisher": "Bench",
            "description": "<p>Popis záznamu pro <b>sklizeň</b>.</p>",
            "languages": [{"id": "ces"}, {"id": "eng"}],
            "subjects": [{"subject": "knihovny"}, {"id": "https://w3id.org/oecd/fos/6"}],
            "rights": [{"id": "cc-by-4.0"}],
            "funding": [{"funder": {"name": "Grantová agentura České republiky"},
                         "award": {"title": {"en": "Open libraries"}, "number": "GA24-00001S"}}],
            "related_identifiers": [{"identifier": "10.1234/related.1", "scheme": "doi",
                                     "relation_type": {"id": "iscitedby"},
                                     "resource_type": {"id": "dataset"}}],
            "dates": [{"date": "2026-10", "type": {"id": "collected"}}],
            "version": "1.0",
        },
        # the deposit agreement; the deposited version (COAR's, for OpenAIRE)
        "custom_fields": {AGREEMENT_FIELD: True, "consortium:oa_version": "accepted"},
    }
    if doi:
        data["pids"] = {"doi": {"identifier": doi, "provider": "external"}}
    return data


def tenant_payload(slug, **extra):
    """A valid tenant body."""
    return {
        "slug": slug,
        "names": {"cs": f"Knihovna {slug}", "en": f"Library {slug}"},
        "short_name": slug[:10].upper(),
        "contact_email": f"repo@{slug}.example",
        "email_domains": [f"{slug}.example"],
        "branding": {"primary_color": "#123456", "footer_text": f"Patička {slug}"},
        **extra,
    }


def submit_draft(client, headers, community_id, title="Deposit"):
    """Create a draft and point its review at COMMUNITY_ID; return the draft JSON."""
    draft = client.post("/api/records", headers=headers, json=minimal_record(title)).json
    res = client.put(
        f"/api/records/{draft['id']}/draft/review", headers=headers,
        json={"receiver": {"community": community_id}, "type": "community-submission"},
    )
    assert res.status_code == 200, res.json
    return draft


# --- uploads through the REST deposit API -----------------------------------
def new_draft(client, headers, title="Storage test", **kwargs):
    """Create a draft over REST; return its JSON."""
    res = client.post("/api/records", headers=headers, json=minimal_record(title), **kwargs)
    assert res.status_code == 201, res.json
    return res.json


def init_file(client, headers, draft_id, key, size=None, **kwargs):
    """Declare a file (optionally with its size); return the response."""
    entry = {"key": key, **({"size": size} if size is not None else {})}
    return client.post(f"/api/records/{draft_id}/draft/files", headers=headers,
                       json=[entry], **kwargs)


def put_content(client, headers, draft_id, key, content, **kwargs):
    """Send a file's bytes; return the response."""
    binary = {**headers, "Content-Type": "application/octet-stream"}
    return client.put(f"/api/records/{draft_id}/draft/files/{key}/content",
                      headers=binary, data=content, **kwargs)


def upload(client, headers, draft_id, key, content, declare=True):
    """Init, send and commit one file; return the last response."""
    res = init_file(client, headers, draft_id, key, len(content) if declare else None)
    if res.status_code != 201:
        return res
    res = put_content(client, headers, draft_id, key, content)
    if res.status_code != 200:
        return res
    return client.post(f"/api/records/{draft_id}/draft/files/{key}/commit", headers=headers)


def storage_usage(client, headers, slug):
    """The library's storage usage as its managers see it."""
    res = client.get(f"/api/tenants/{slug}/usage", headers=headers)
    assert res.status_code == 200, res.json
    return res.json["storage"]


def tenant_objects(s3, bucket, slug):
    """Key → size of the S3 objects under the library's prefix."""
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=f"tenants/{slug}/")
    return {
        o["Key"]: o["Size"]
        for page in pages for o in page.get("Contents", [])
        if not o["Key"].endswith("/")  # S3Proxy lists its directories
    }


# --- browsing and depositing as a person --------------------------------------
def browser_of(app, user, password="Heslo-123456", base_url=None):
    """A test client logged in (session cookie) as USER, for HTML pages.

    BASE_URL (e.g. `http://<slug>.localhost`): log in on that host; its cookie
    goes only to it, so pass the same base_url to the browser's requests.
    """
    from flask_security.utils import hash_password
    from invenio_accounts.models import User
    from invenio_db import db

    db.session.expire_all()
    account = db.session.get(User, user.id)
    account.password = hash_password(password)
    db.session.commit()
    browser = app.test_client()
    res = browser.post("/login/", data={"email": account.email, "password": password},
                       base_url=base_url)
    assert res.status_code == 302, res.get_data(as_text=True)[:500]
    return browser


def staff_browser(app, roles=("administration", "consortium-admin"), prefix="staff"):
    """A test client logged in as a new user holding ROLES (the administration panel and
    the consortium's administrators by default)."""
    from flask_security.utils import hash_password
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    email = f"{prefix}-{secrets.token_hex(3)}@consortium.example"
    from datetime import datetime, timezone

    user = current_datastore.create_user(email=email, password=hash_password("Heslo-123456"),
                                         active=True, confirmed_at=datetime.now(timezone.utc))
    for role in roles:
        current_datastore.add_role_to_user(user, role)
    db.session.commit()
    browser = app.test_client()
    assert browser.post("/login/", data={"email": email, "password": "Heslo-123456"}
                        ).status_code == 302
    return browser


def deposit(client, headers, community_id, title="Deposit", changes=None, content=b"PDF"):
    """A draft with one file, its review pointed at COMMUNITY_ID; returns its JSON.

    CHANGES are merged into the minimal record's top-level sections.
    """
    body = minimal_record(title)
    for section, values in (changes or {}).items():
        body[section] = {**body.get(section, {}), **values}
    res = client.post("/api/records", headers=headers, json=body)
    assert res.status_code == 201, res.json
    draft = res.json
    if content is not None:
        assert upload(client, headers, draft["id"], "work.pdf", content).status_code == 200
    res = client.put(
        f"/api/records/{draft['id']}/draft/review", headers=headers,
        json={"receiver": {"community": community_id}, "type": "community-submission"},
    )
    assert res.status_code == 200, res.json
    return draft


def submit_review(client, headers, draft_id, comment="Prosím o zveřejnění."):
    """Submit the draft to its library; returns the response."""
    return client.post(f"/api/records/{draft_id}/draft/actions/submit-review", headers=headers,
                       json={"payload": {"content": comment, "format": "html"}})


def request_action(client, headers, request_id, action, comment=None):
    """Run ACTION (accept, decline, request_changes, cancel) on a request."""
    body = {"payload": {"content": comment, "format": "html"}} if comment else {}
    return client.post(f"/api/requests/{request_id}/actions/{action}", headers=headers, json=body)


def publish_in_library(client, people, community_id, draft_id):
    """Submit a depositor's draft to the library; its curator accepts. The record JSON."""
    dep = people["depositors"]
    res = client.put(
        f"/api/records/{draft_id}/draft/review", headers=dep,
        json={"receiver": {"community": community_id}, "type": "community-submission"},
    )
    assert res.status_code == 200, res.json
    res = submit_review(client, dep, draft_id)
    assert res.status_code == 202, res.json
    res = request_action(client, people["curators"], res.json["id"], "accept")
    assert res.status_code == 200, res.json
    return client.get(f"/api/records/{draft_id}", headers=dep).json


def prefer_language(app, user, locale):
    """USER chooses LOCALE ("cs", "en") as their language on the preferences form."""
    res = browser_of(app, user).post("/account/settings/preferences", data={
        "preferences-visibility": "restricted",
        "preferences-email_visibility": "restricted",
        "preferences-locale": locale,
    })
    assert res.status_code == 303, res.get_data(as_text=True)[:500]


def wipe_test_state():
    """Drop what an earlier session left: test database, indices, S3 objects."""
    s3 = s3_client()
    for bucket in s3.list_buckets()["Buckets"]:
        if bucket["Name"] == TEST_BUCKET:
            for page in s3.get_paginator("list_objects_v2").paginate(Bucket=TEST_BUCKET):
                keys = [{"Key": item["Key"]} for item in page.get("Contents", [])
                        if not item["Key"].endswith("/")]  # S3Proxy's directories
                if keys:
                    s3.delete_objects(Bucket=TEST_BUCKET, Delete={"Objects": keys})
    if database_exists(TEST_DB_URI):
        drop_database(TEST_DB_URI)
    search = OpenSearch([{"host": "127.0.0.1", "port": PORT["OS"]}])
    pattern = f"{TEST_INDEX_PREFIX}*"
    search.indices.delete_data_stream(name=pattern, ignore=[404])
    search.indices.delete(index=pattern, ignore=[404], expand_wildcards="all")
    search.indices.delete_index_template(name=pattern, ignore=[404])
    search.cluster.delete_component_template(name=pattern, ignore=[404])
    search.indices.delete_template(name=pattern, ignore=[404])


def scheduled_job(job_type):
    """(job JSON as administrators see it at /api/jobs, Celery task) of the invenio-jobs
    job that `platform init` scheduled for JOB_TYPE (a CONSORTIUM_JOBS key)."""
    from invenio_access.permissions import system_identity
    from invenio_jobs.proxies import current_jobs, current_jobs_service

    jobs = current_jobs_service.search(system_identity, {"size": 100}).to_dict()["hits"]["hits"]
    [job] = [j for j in jobs if j["task"] == job_type]
    return job, current_jobs.registry.get(job_type).task


def run_job(client, headers, job_type, **body):
    """Start a run of JOB_TYPE's job over invenio-jobs' REST API (eager here: it runs at
    once) and return the run as GET …/runs/<id> shows it afterwards."""
    job, _ = scheduled_job(job_type)
    res = client.post(f"/api/jobs/{job['id']}/runs", headers=headers,
                      json={"title": "Manual run", **body})
    assert res.status_code == 201, res.json
    res = client.get(f"/api/jobs/{job['id']}/runs/{res.json['id']}", headers=headers)
    assert res.status_code == 200, res.json
    return res.json


def run_log(client, headers, run_id):
    """The log lines of run RUN_ID (invenio-jobs' /api/logs/jobs, as the panel reads them)."""
    from invenio_search import current_search_client
    from invenio_search.utils import prefix_index

    current_search_client.indices.refresh(index=prefix_index("job-logs*"))
    res = client.get("/api/logs/jobs", headers=headers, query_string={"q": run_id})
    assert res.status_code == 200, res.json
    return [hit["message"] for hit in res.json["hits"]["hits"]]
