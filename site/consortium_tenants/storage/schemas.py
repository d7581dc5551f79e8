"""What the storage service accepts and returns, as marshmallow schemas: a file's
declaration at `POST …/draft/files` (its size and multipart shape, checked before anything
is reserved: `declarations`) and a library's usage against its limits, with the bytes the
quota counts (stored + reserved) apart from the bytes stored (what bills count)."""

from marshmallow import INCLUDE, Schema, fields, validates_schema

from .declarations import MULTIPART, check_multipart, check_size


class TransferSchema(Schema):
    """How the file's bytes come: `type` ("M": multipart, parts straight to S3), `parts`,
    `part_size` (bytes)."""

    class Meta:
        unknown = INCLUDE

    type = fields.Raw(allow_none=True)
    parts = fields.Raw(allow_none=True)
    part_size = fields.Raw(allow_none=True)


class DeclarationSchema(Schema):
    """One file declared for upload. The size is reserved against the library's quota, so
    it must be one a file can have; a multipart shape one S3 can assemble and no larger.
    A refusal is a storage error (InvalidDeclarationError, 400) naming the file and the
    reason, in the request's language, before anything is reserved."""

    class Meta:
        unknown = INCLUDE

    key = fields.Raw(allow_none=True)
    size = fields.Raw(allow_none=True)
    transfer = fields.Nested(TransferSchema, allow_none=True)

    @validates_schema(pass_original=True)
    def can_be_stored(self, data, original, **kwargs):
        # the original values: a size of 1.5 or True is refused, not converted
        size = original.get("size") if isinstance(original, dict) else None
        check_size(data.get("key"), size)
        transfer = (original.get("transfer") if isinstance(original, dict) else None) or {}
        if isinstance(transfer, dict) and transfer.get("type") == MULTIPART:
            check_multipart(data.get("key"), size, transfer)


class UsageSchema(Schema):
    """A library's usage against its limits (one counter row read): `bytes` and `files`
    are what the quota counts, stored plus reserved (multipart uploads declared, not
    committed yet); `stored` what is stored (bills count it), `reserved` the rest."""

    bytes = fields.Integer()
    files = fields.Integer()
    stored = fields.Integer()
    reserved = fields.Integer()
    quota = fields.Integer(allow_none=True)
    max_file_size = fields.Integer(allow_none=True)
    max_files = fields.Integer(allow_none=True)
    percent = fields.Float(allow_none=True)
    location = fields.String(allow_none=True)
