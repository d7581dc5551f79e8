"""Settings, request bodies and helpers shared by the tests."""

import os
from pathlib import Path

import boto3

ROOT = Path(__file__).resolve().parents[1]
LOCAL = Path(os.environ.get("LOCAL_DIR", ROOT / ".local"))
PORT = {
    name: int(os.environ.get(f"{name}_PORT", default))
    for name, default in (("PG", 5433), ("OS", 9201), ("REDIS", 6380), ("S3", 9000))
}
TEST_DB_URI = f"postgresql+psycopg2://consortium:consortium@127.0.0.1:{PORT['PG']}/consortium_test"
TEST_INDEX_PREFIX = "test-consortium-"
TEST_BUCKET = "consortium-test"
REDIS = f"redis://127.0.0.1:{PORT['REDIS']}"


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
