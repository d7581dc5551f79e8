"""The S3 side of storage: a client for the configured endpoint, object listings."""

from urllib.parse import urlparse

import boto3
from flask import current_app


def s3_client():
    """A boto3 client for the configured S3 endpoint."""
    cfg = current_app.config
    return boto3.client(
        "s3",
        endpoint_url=cfg["S3_ENDPOINT_URL"],
        aws_access_key_id=cfg["S3_ACCESS_KEY_ID"],
        aws_secret_access_key=cfg["S3_SECRET_ACCESS_KEY"],
        region_name=cfg.get("S3_REGION_NAME") or "us-east-1",
    )


def split_uri(uri):
    """`s3://bucket/key` → (bucket, key); None for other storages."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3":
        return None
    return parsed.netloc, parsed.path.lstrip("/")


def list_objects(location_uri):
    """Key → size of every S3 object under a location's prefix."""
    bucket, prefix = split_uri(location_uri)
    prefix = prefix.rstrip("/") + "/"
    objects = {}
    paginator = s3_client().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            objects[item["Key"]] = item["Size"]
    return objects
