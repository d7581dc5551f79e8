"""Byte sizes as people write and read them: "50 GB", "500 MiB"."""

import re

SIZE_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([kKMGT]i?B|B)?\s*$")
SIZE_UNITS = {
    None: 1, "B": 1, "kB": 10**3, "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12,
    "KiB": 2**10, "kiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
}
DECIMAL = (("TB", 10**12), ("GB", 10**9), ("MB", 10**6), ("kB", 10**3))


def parse_size(value):
    """Bytes from an int or a text like "10 GB"; ValueError if it is neither."""
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return value
    match = SIZE_RE.match(str(value))
    if not match or match.group(2) not in SIZE_UNITS:
        raise ValueError(value)
    return int(float(match.group(1)) * SIZE_UNITS[match.group(2)])


def format_size(value):
    """Bytes in decimal units with one decimal ("1.5 GB"); "-" for no value."""
    if value is None:
        return "-"
    for unit, factor in DECIMAL:
        if abs(value) >= factor:
            return f"{value / factor:.1f} {unit}"
    return f"{value} B"


def form_size(value):
    """Bytes as a form shows them so that they parse back exactly ("2 GB", "1500")."""
    if not value:
        return ""
    for unit, factor in DECIMAL:
        if value >= factor and value % (factor // 10) == 0:
            return f"{value / factor:g} {unit}"
    return str(value)
