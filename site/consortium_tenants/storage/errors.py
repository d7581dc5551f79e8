"""Errors of uploads: each a JSON response naming the library and the numbers."""

import json

from flask_resources import HTTPJSONException

from ..units import format_size


class StorageError(HTTPJSONException):
    """An upload refused; the body carries machine-readable details.

    An HTTPJSONException, so REST resources pass it through unchanged.
    """

    details = {}

    def get_body(self, environ=None, scope=None):
        body = {"status": self.code, "message": self.description, **self.details}
        return json.dumps(body)


class QuotaExceededError(StorageError):
    """413: the upload would take the library over its storage quota."""

    code = 413

    def __init__(self, tenant, usage, quota, requested):
        self.details = {
            "tenant": tenant.slug, "usage": usage, "quota": quota, "requested": requested,
        }
        super().__init__(description=(
            f"The upload of {format_size(requested)} would exceed the storage quota of "
            f"'{tenant.names['en']}' ({tenant.slug}): {format_size(usage)} of "
            f"{format_size(quota)} used. Nothing was stored."
        ))


class FileTooLargeError(StorageError):
    """413: one file is larger than the library allows."""

    code = 413

    def __init__(self, tenant, key, size, limit):
        self.details = {
            "tenant": tenant.slug, "file": key, "requested": size, "max_file_size": limit,
        }
        super().__init__(description=(
            f"File '{key}' ({format_size(size)}) is larger than the {format_size(limit)} "
            f"'{tenant.names['en']}' ({tenant.slug}) accepts per file."
        ))


class TooManyFilesError(StorageError):
    """400: the record would have more files than the library allows."""

    code = 400

    def __init__(self, tenant, count, limit):
        self.details = {"tenant": tenant.slug, "files": count, "max_files": limit}
        super().__init__(description=(
            f"A record of '{tenant.names['en']}' ({tenant.slug}) may have at most "
            f"{limit} files; this upload would make {count}."
        ))


class SizeMismatchError(StorageError):
    """400: the bytes sent differ from the size the file was declared (and charged) with."""

    code = 400

    def __init__(self, key, declared, received, discarded=False):
        self.details = {"file": key, "declared": declared, "received": received}
        outcome = (
            "The upload was discarded and the space reserved for it released; "
            "declare the file again." if discarded
            else "Nothing was stored; send exactly the declared number of bytes."
        )
        super().__init__(description=(
            f"File '{key}' was declared as {declared} B, but {received} B were sent. {outcome}"
        ))


class NoStorageError(StorageError):
    """403: the depositor belongs to no library and cannot upload."""

    code = 403
    details = {"tenant": None}

    def __init__(self):
        super().__init__(description=(
            "Uploads are charged to a member library, and you belong to none. "
            "Deposit through your library's collection or ask its repository "
            "managers to add you."
        ))


class StorageUnavailableError(StorageError):
    """503: the S3 service did not answer; nothing was stored."""

    code = 503
    details = {"retry": True}

    def __init__(self):
        super().__init__(description=(
            "The storage service is unavailable at the moment. Nothing was stored "
            "and your draft is unchanged; please try the upload again later."
        ))
