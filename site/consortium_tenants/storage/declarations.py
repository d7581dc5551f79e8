"""What a file may be declared as when it is initialised (`POST …/draft/files`).

The declared size is reserved against the library's quota before any byte
arrives, so it has to be a size a file can have: a whole number of bytes,
not negative. A multipart transfer (parts straight to S3 by presigned URLs)
also declares its shape, which must be one S3 can assemble and nothing more:
at least one byte, part sizes within CONSORTIUM_STORAGE_MULTIPART_PART_SIZES
(only the last part, which may be the only one, is smaller), exactly
ceil(size / part_size) parts and no more than S3 takes. Each part URL is then
signed for its part's exact length (`part_lengths`, storage.s3), so S3
itself refuses more bytes than declared. The storage service checks every
declaration with these rules (schemas.DeclarationSchema) before anything is
reserved.
"""

from flask import current_app
from invenio_i18n import gettext as _

from .errors import InvalidDeclarationError

LARGEST_SIZE = 2**63 - 1
"""What the database stores as a file's size."""

MULTIPART = "M"


def _whole(value):
    return isinstance(value, int) and not isinstance(value, bool)


def part_sizes():
    """(smallest, largest) bytes a part of a multipart transfer may have."""
    smallest, largest = current_app.config["CONSORTIUM_STORAGE_MULTIPART_PART_SIZES"]
    return smallest, largest


def most_parts():
    """How many parts one multipart upload may have (S3: 10 000)."""
    return current_app.config.get("S3_MAXIMUM_NUMBER_OF_PARTS") or 10000


def part_lengths(size, parts, part_size):
    """Bytes of each part of a declared multipart transfer (the last one the rest)."""
    size, parts, part_size = int(size), int(parts), int(part_size)
    return [part_size] * (parts - 1) + [size - part_size * (parts - 1)]


def check_size(key, size):
    """Refuse a declared size that no file has (None: not declared)."""
    if size is None:
        return
    if not _whole(size) or size < 0 or size > LARGEST_SIZE:
        raise InvalidDeclarationError(key, "size", _(
            "File '%(file)s': the declared size must be a whole number of bytes, "
            "0 or more (got %(size)s).", file=key, size=size), size=size)


def check_multipart(key, size, transfer):
    """Refuse a multipart shape S3 could not assemble or that invites more bytes."""
    parts, part_size = transfer.get("parts"), transfer.get("part_size")
    if not _whole(size) or size < 1:
        raise InvalidDeclarationError(key, "size", _(
            "File '%(file)s': a multipart transfer needs the file's size, at least "
            "1 byte.", file=key), size=size)
    if not _whole(parts) or not _whole(part_size) or parts < 1 or part_size < 1:
        raise InvalidDeclarationError(key, "shape", _(
            "File '%(file)s': a multipart transfer needs a whole number of parts and "
            "a part size in bytes, both at least 1.", file=key),
            parts=parts, part_size=part_size)
    smallest, largest = part_sizes()
    if part_size > largest or (part_size < smallest and parts > 1):
        raise InvalidDeclarationError(key, "part_size", _(
            "File '%(file)s': parts must have between %(smallest)s and %(largest)s bytes "
            "(only the last part may be smaller); %(part_size)s bytes were declared.",
            file=key, smallest=smallest, largest=largest, part_size=part_size),
            part_size=part_size, min_part_size=smallest, max_part_size=largest)
    expected = -(-size // part_size)
    if parts != expected or parts > most_parts():
        raise InvalidDeclarationError(key, "parts", _(
            "File '%(file)s': %(size)s bytes in parts of %(part_size)s bytes are "
            "%(expected)s parts, not %(parts)s (at most %(most)s parts).",
            file=key, size=size, part_size=part_size, expected=expected, parts=parts,
            most=most_parts()), parts=parts, expected_parts=expected)
