"""Byte sizes as people write them: parsing, display, and the form's round trip."""

import pytest

from consortium_tenants.units import form_size, format_size, parse_size


@pytest.mark.parametrize("text, size", [
    (1234, 1234), ("1234", 1234), ("10 GB", 10 * 10**9), ("1.5 kB", 1500),
    ("1.5 KB", 1500), ("500 MiB", 500 * 2**20), ("2GiB", 2 * 2**30), ("  7 B ", 7),
    ("1 TB", 10**12), ("1 TiB", 2**40),
])
def test_sizes_in_decimal_and_binary_units_are_parsed(text, size):
    assert parse_size(text) == size


@pytest.mark.parametrize("text", ["", "GB", "ten GB", "10 XB", "10 gb", "-5 GB", True, None])
def test_what_is_not_a_size_is_refused(text):
    with pytest.raises(ValueError):
        parse_size(text)


@pytest.mark.parametrize("size, shown", [
    (None, "-"), (0, "0 B"), (999, "999 B"), (1500, "1.5 kB"), (50 * 10**9, "50.0 GB"),
    (1536 * 10**9, "1.5 TB"),
])
def test_sizes_are_shown_in_decimal_units(size, shown):
    assert format_size(size) == shown


@pytest.mark.parametrize("size", [1, 999, 1500, 2 * 10**9, 1234567, 50 * 10**9, 5 * 2**20])
def test_a_size_in_the_form_parses_back_exactly(size):
    assert parse_size(form_size(size)) == size


def test_no_size_is_an_empty_form_field():
    assert form_size(None) == "" and form_size(0) == ""
