"""The S3 side of storage: a client for the configured endpoint, object listings."""

from urllib.parse import urlparse

import boto3
import s3fs
from flask import current_app
from invenio_files_rest.storage import pyfs_storage_factory
from invenio_s3.storage import S3FSFileStorage


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
    """Key → size of every S3 object under a location's prefix.

    Keys ending in "/" are folder markers (S3Proxy's filesystem backend lists
    its directories so), not objects.
    """
    bucket, prefix = split_uri(location_uri)
    prefix = prefix.rstrip("/") + "/"
    objects = {}
    paginator = s3_client().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/"):
                objects[item["Key"]] = item["Size"]
    return objects


class ExplicitAclS3Storage(S3FSFileStorage):
    """invenio-s3 storage that states the object ACL.

    invenio-s3 starts multipart uploads with an empty `x-amz-acl` header,
    which stricter S3 servers (S3Proxy, Ceph RGW) refuse with 400. Sending
    the bucket-default `private` canned ACL is what AWS assumes anyway.
    """

    def _get_fs(self, *args, **kwargs):
        fs, path = super()._get_fs(*args, **kwargs)
        if isinstance(fs, s3fs.S3FileSystem):
            fs.s3_additional_kwargs.setdefault("ACL", current_app.config["CONSORTIUM_S3_ACL"])
        return fs, path


def storage_factory(**kwargs):
    """FILES_REST_STORAGE_FACTORY: invenio-s3 with an explicit ACL."""
    return pyfs_storage_factory(filestorage_class=ExplicitAclS3Storage, **kwargs)
