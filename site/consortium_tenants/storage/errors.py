"""Errors of uploads: each a JSON response naming the library and the numbers.

Their messages are in the request's language: the deposit form shows them as they are."""

import json

from flask_resources import HTTPJSONException
from invenio_i18n import gettext as _

from ..i18n import localized
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
        super().__init__(description=_(
            "The upload of %(requested)s would exceed the storage quota of '%(library)s' "
            "(%(slug)s): %(usage)s of %(quota)s used. Nothing was stored.",
            requested=format_size(requested), library=localized(tenant.names),
            slug=tenant.slug, usage=format_size(usage), quota=format_size(quota)))


class FileTooLargeError(StorageError):
    """413: one file is larger than the library allows."""

    code = 413

    def __init__(self, tenant, key, size, limit):
        self.details = {
            "tenant": tenant.slug, "file": key, "requested": size, "max_file_size": limit,
        }
        super().__init__(description=_(
            "File '%(file)s' (%(size)s) is larger than the %(limit)s '%(library)s' "
            "(%(slug)s) accepts per file.",
            file=key, size=format_size(size), limit=format_size(limit),
            library=localized(tenant.names), slug=tenant.slug))


class TooManyFilesError(StorageError):
    """400: the record would have more files than the library allows."""

    code = 400

    def __init__(self, tenant, count, limit):
        self.details = {"tenant": tenant.slug, "files": count, "max_files": limit}
        super().__init__(description=_(
            "A record of '%(library)s' (%(slug)s) may have at most %(limit)s files; "
            "this upload would make %(count)s.",
            library=localized(tenant.names), slug=tenant.slug, limit=limit, count=count))


class SizeMismatchError(StorageError):
    """400: the bytes sent differ from the size the file was declared (and charged) with."""

    code = 400

    def __init__(self, key, declared, received, discarded=False):
        self.details = {"file": key, "declared": declared, "received": received}
        outcome = (
            _("The upload was discarded and the space reserved for it released; "
              "declare the file again.") if discarded
            else _("Nothing was stored; send exactly the declared number of bytes.")
        )
        super().__init__(description=" ".join((_(
            "File '%(key)s' was declared as %(declared)s B, but %(received)s B were sent.",
            key=key, declared=declared, received=received), outcome)))


class NoStorageError(StorageError):
    """403: the depositor belongs to no library and cannot upload."""

    code = 403
    details = {"tenant": None}

    def __init__(self):
        super().__init__(description=_(
            "Uploads are charged to a member library, and you belong to none. "
            "Deposit through your library's collection or ask its repository "
            "managers to add you."
        ))


class StorageUnavailableError(StorageError):
    """503: the S3 service did not answer; nothing was stored."""

    code = 503
    details = {"retry": True}

    def __init__(self):
        super().__init__(description=_(
            "The storage service is unavailable at the moment. Nothing was stored "
            "and your draft is unchanged; please try the upload again later."
        ))


class InvalidDeclarationError(StorageError):
    """400: a file was declared with a size or a multipart shape that cannot be right.

    Nothing is reserved or created; the body names the file and the reason.
    """

    code = 400

    def __init__(self, key, reason, description, **details):
        self.details = {"file": key, "reason": reason, **details}
        super().__init__(description=description)


class IncompleteUploadError(StorageError):
    """400: S3 cannot assemble a multipart upload (a part missing or too small).

    The file stays pending with its space reserved: the depositor sends the
    missing parts and commits again, or deletes the file, which releases it.
    """

    code = 400

    def __init__(self, reason, description, **details):
        self.details = {"reason": reason, **details}
        super().__init__(description=" ".join((description, _(
            "The file stays pending with its space reserved: upload the missing parts "
            "and commit again, or delete the file to release the space."))))
