"""The S3 side of storage: a client for the configured endpoint, object listings."""

import asyncio
import json
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from urllib.parse import urlparse

import boto3
import s3fs
from aiobotocore.httpsession import AIOHTTPSession
from aiobotocore.session import AioSession
from botocore.config import Config
from botocore.exceptions import ClientError
from botocore.exceptions import ConnectionError as S3ConnectionError
from botocore.exceptions import HTTPClientError as S3HTTPClientError
from botocore.exceptions import ReadTimeoutError
from botocore.handlers import add_expect_header
from flask import current_app
from fsspec.asyn import sync
from invenio_files_rest.errors import StorageError
from invenio_i18n import gettext as _
from invenio_files_rest.storage import pyfs_storage_factory
from invenio_s3.helpers import redirect_stream
from invenio_s3.storage import S3FSFileStorage

from .declarations import part_lengths
from .errors import IncompleteUploadError, StorageUnavailableError


@lru_cache(maxsize=4)
def _client(endpoint_url, access_key, secret_key, region, config_json):
    return boto3.client(
        "s3", endpoint_url=endpoint_url, aws_access_key_id=access_key,
        aws_secret_access_key=secret_key, region_name=region,
        config=Config(**json.loads(config_json)),
    )


def s3_client():
    """A boto3 client for the configured S3 endpoint (shared: clients are thread-safe).

    It has the timeouts and retries of S3_CONFIG_EXTRA, as invenio-s3's file system has.
    """
    cfg = current_app.config
    return _client(cfg["S3_ENDPOINT_URL"], cfg["S3_ACCESS_KEY_ID"],
                   cfg["S3_SECRET_ACCESS_KEY"], cfg.get("S3_REGION_NAME") or "us-east-1",
                   json.dumps(cfg.get("S3_CONFIG_EXTRA") or {}, sort_keys=True))


def split_uri(uri):
    """`s3://bucket/key` → (bucket, key); None for other storages."""
    parsed = urlparse(uri)
    if parsed.scheme != "s3":
        return None
    return parsed.netloc, parsed.path.lstrip("/")


def _listing(location_uri):
    """The bucket and the key prefix ("…/") of a location."""
    bucket, prefix = split_uri(location_uri)
    return bucket, prefix.rstrip("/") + "/"


def list_objects(location_uri):
    """Key → {size, modified} of every S3 object under a location's prefix.

    Keys ending in "/" are folder markers (S3Proxy's filesystem backend lists
    its directories so), not objects.
    """
    bucket, prefix = _listing(location_uri)
    return bucket_objects(bucket, prefix)


def bucket_objects(bucket, prefix=""):
    """Key → {size, modified} of every S3 object of BUCKET under PREFIX (no folder markers)."""
    objects = {}
    paginator = s3_client().get_paginator("list_objects_v2")
    for page in paginator.paginate(Bucket=bucket, Prefix=prefix):
        for item in page.get("Contents", []):
            if not item["Key"].endswith("/"):
                objects[item["Key"]] = {"size": item["Size"], "modified": item["LastModified"]}
    return objects


def list_uploads(location_uri):
    """Unfinished multipart uploads under a location's prefix, with their parts' bytes.

    Their parts take space in S3 but are no objects (listings do not show them).
    """
    bucket, prefix = _listing(location_uri)
    client = s3_client()
    uploads = []
    for page in client.get_paginator("list_multipart_uploads").paginate(
        Bucket=bucket, Prefix=prefix
    ):
        for item in page.get("Uploads", []):
            parts = client.get_paginator("list_parts").paginate(
                Bucket=bucket, Key=item["Key"], UploadId=item["UploadId"])
            uploads.append({
                "key": item["Key"], "upload_id": item["UploadId"],
                "modified": item["Initiated"],
                "size": sum(p["Size"] for page in parts for p in page.get("Parts", [])),
            })
    return uploads


def object_size(uri):
    """Bytes of the object at URI (an S3 HEAD request)."""
    bucket, key = split_uri(uri)
    return s3_client().head_object(Bucket=bucket, Key=key)["ContentLength"]


def abort_upload(bucket, key, upload_id):
    """Abort one unfinished multipart upload (its parts are deleted)."""
    try:
        s3_client().abort_multipart_upload(Bucket=bucket, Key=key, UploadId=upload_id)
    except ClientError as error:
        if error.response["Error"]["Code"] != "NoSuchUpload":
            raise


def remove_object(uri):
    """Delete the object at URI and abort unfinished uploads to its key."""
    bucket, key = split_uri(uri)
    client = s3_client()
    client.delete_object(Bucket=bucket, Key=key)
    for item in client.list_multipart_uploads(Bucket=bucket, Prefix=key).get("Uploads", []):
        if item["Key"] == key:
            abort_upload(bucket, key, item["UploadId"])


class DeadlineHTTPSession(AIOHTTPSession):
    """aiobotocore's HTTP session where every request ends within `deadline` seconds.

    aiohttp's read timeout starts only once the whole body is written: an S3
    that accepts connections and never reads would hold the request forever.
    """

    deadline = None

    async def send(self, request):
        """Send REQUEST; a ReadTimeoutError (retried, then raised) past the deadline."""
        try:
            async with asyncio.timeout(self.deadline):
                return await super().send(request)
        except TimeoutError as error:
            raise ReadTimeoutError(endpoint_url=request.url, error=error) from error


@lru_cache(maxsize=8)
def deadline_session_class(deadline):
    """A DeadlineHTTPSession class with DEADLINE (an AioConfig takes a class)."""
    return type("DeadlineHTTPSession", (DeadlineHTTPSession,), {"deadline": deadline})


def aio_session_without_expect():
    """An aiobotocore session whose uploads do not send `Expect: 100-continue`.

    aiohttp waits for the `100 Continue` with no timer at all, so a hung S3
    held an upload for minutes; without the header the read timeout applies.
    """
    session = AioSession()
    session.unregister("before-call.s3", add_expect_header)
    return session


class ConsortiumS3Storage(S3FSFileStorage):
    """invenio-s3 storage that states the object ACL and keeps S3 answers out of caches.

    - invenio-s3 starts multipart uploads with an empty `x-amz-acl` header,
      which stricter S3 servers (S3Proxy, Ceph RGW) refuse with 400. Sending
      the bucket-default `private` canned ACL is what AWS assumes anyway.
    - Downloads redirect to a presigned URL, and the redirect of a public file
      is cached for `S3_URL_EXPIRATION`: an <img> load would leave S3's answer
      (without CORS headers, no Origin was sent) in the browser cache, where an
      XHR for the same URL (the deposit form's logo) finds it and fails. The
      presigned URL asks S3 for `Cache-Control: no-store`.
    - A hung S3 fails a request within the timeouts instead of holding the
      worker: no `Expect: 100-continue`, and a deadline per request
      (CONSORTIUM_S3_REQUEST_DEADLINE), set before s3fs makes its client.
      A timeout is a 503 with the draft unchanged, as an outage is (botocore's
      timeouts are OSErrors, which RDM answers with 200 and a dropped file).
    - An SVG (a library's logo, sanitised when stored) is sent by the app as
      `image/svg+xml` in a CSP sandbox: invenio-files-rest's list of types it lets
      through has no SVG, so the redirect would name it application/octet-stream,
      which browsers refuse to draw (ORB).
    """

    def _get_fs(self, *args, **kwargs):
        fs, path = super()._get_fs(*args, **kwargs)
        if isinstance(fs, s3fs.S3FileSystem):
            config = current_app.config
            fs.s3_additional_kwargs.setdefault("ACL", config["CONSORTIUM_S3_ACL"])
            fs.retries = config["CONSORTIUM_S3_FS_RETRIES"]
            if fs.session is None:  # a new (not a cached) file system
                deadline = config["CONSORTIUM_S3_REQUEST_DEADLINE"]
                fs.session = aio_session_without_expect()
                fs.config_kwargs = {**fs.config_kwargs,
                                    "http_session_cls": deadline_session_class(deadline)}
        return fs, path

    def multipart_links(self, **multipart_metadata):
        """Part URLs, each signed for its part's exact length (Content-Length).

        S3 refuses a PUT of any other length, so no part URL takes more bytes
        than were declared and reserved. Uploads declared without a part size
        (before declarations were checked) keep invenio-s3's unsigned lengths.
        """
        size, part_size = multipart_metadata.get("size"), multipart_metadata.get("part_size")
        if not size or not part_size:
            return super().multipart_links(**multipart_metadata)
        upload = self.multipart_file(multipart_metadata["uploadId"])
        lengths = part_lengths(size, multipart_metadata["parts"], part_size)
        expires_in = current_app.config["S3_UPLOAD_URL_EXPIRATION"]
        expiration = (datetime.now(timezone.utc) + timedelta(seconds=expires_in)) \
            .strftime("%Y-%m-%dT%H:%M:%SZ")

        def signed(number, length):
            return sync(upload.fs.loop, upload.s3_client.generate_presigned_url,
                        "upload_part", ExpiresIn=expires_in, Params={
                            "Bucket": upload.bucket, "Key": upload.key,
                            "UploadId": upload.upload_id, "PartNumber": number,
                            "ContentLength": length})

        return {"parts": [{"part": number, "url": signed(number, length),
                           "expiration": expiration, "size": length}
                          for number, length in enumerate(lengths, start=1)]}

    def multipart_commit_upload(self, **multipart_metadata):
        """Assemble the parts; a part missing or refused by S3 is IncompleteUploadError (400).

        invenio-s3 raises ValueError or botocore's ClientError (EntityTooSmall,
        InvalidPart…), which RDM answers with 500.
        """
        upload = self.multipart_file(multipart_metadata["uploadId"])
        expected = int(multipart_metadata["parts"])
        parts = upload.get_parts(max_parts=expected)
        numbers = {part["PartNumber"] for part in parts}
        missing = [n for n in range(1, expected + 1) if n not in numbers]
        if missing:
            raise IncompleteUploadError("missing_parts", _(
                "The upload cannot be completed: %(received)s of its %(parts)s parts "
                "arrived (missing: %(missing)s).", received=expected - len(missing),
                parts=expected, missing=", ".join(map(str, missing[:20]))),
                parts=expected, missing=missing)
        try:
            completed = upload.complete_multipart_upload(parts)
        except ClientError as error:
            code = error.response.get("Error", {}).get("Code", "")
            if code not in ("EntityTooSmall", "InvalidPart", "InvalidPartOrder"):
                raise
            raise IncompleteUploadError(code, _(
                "The upload cannot be completed: S3 refused its parts (%(code)s); every "
                "part but the last must have at least 5 MiB.", code=code),
                parts=expected) from error
        return (completed.get("ETag") or "").strip('"') or None

    def save(self, *args, **kwargs):
        """Write an upload; S3 down or not answering in time is StorageUnavailableError."""
        try:
            return super().save(*args, **kwargs)
        except (S3ConnectionError, S3HTTPClientError) as error:
            current_app.logger.error("S3 storage unavailable: %s", error)
            raise StorageUnavailableError() from error

    def send_file(self, filename, mimetype=None, restricted=True, checksum=None,
                  trusted=False, chunk_size=None, as_attachment=False):
        """Redirect to a presigned URL whose answer browsers do not store; an SVG
        is sent as itself (see the class)."""
        try:
            fs, path = self._get_fs()
            if mimetype == SVG and not as_attachment:
                return _svg_response(fs, path, restricted)

            def presigned_url(**params):
                return fs.url(path, expires=current_app.config["S3_URL_EXPIRATION"],
                              ResponseCacheControl="no-store", **params)

            return redirect_stream(presigned_url, filename, mimetype=mimetype,
                                   restricted=restricted, trusted=trusted,
                                   as_attachment=as_attachment)
        except Exception as error:
            raise StorageError(f"Could not send file: {error}") from error


SVG = "image/svg+xml"
SVG_HEADERS = {
    # Drawn, never run: no script, no request of its own, no plugin, a unique origin.
    # (The web app's own policy replaces this one on its views: the logo's view gets
    # the same through tenants.resource.logo_policy.)
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
    "X-Content-Type-Options": "nosniff",
    "Content-Disposition": "inline",
}


def _svg_response(fs, path, restricted):
    """The SVG at PATH as `image/svg+xml` with SVG_HEADERS."""
    with fs.open(path, "rb") as stream:
        body = stream.read()
    response = current_app.response_class(body, mimetype=SVG, headers=SVG_HEADERS)
    response.cache_control.no_store = True
    if restricted:
        response.cache_control.private = True
    return response


def storage_factory(**kwargs):
    """FILES_REST_STORAGE_FACTORY: invenio-s3 as ConsortiumS3Storage adapts it."""
    return pyfs_storage_factory(filestorage_class=ConsortiumS3Storage, **kwargs)
