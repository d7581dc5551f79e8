"""Byte sizes as people write them: parsing, display, and the form's round trip."""

import pytest

from consortium_tenants.units import form_size, format_number, format_size, parse_size


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


@pytest.mark.parametrize("size, shown", [
    (0, "0 B"), (1500, "1,5 kB"), (64 * 10**6, "64,0 MB"), (1234 * 10**12, "1\xa0234,0 TB"),
])
def test_sizes_are_shown_as_czech_writes_numbers(size, shown):
    assert format_size(size, "cs") == shown


@pytest.mark.parametrize("language, size, number", [("cs", "1,5 kB", "1\xa0234,5"),
                                                    ("en", "1.5 kB", "1,234.5")])
def test_sizes_and_numbers_follow_the_language_of_the_request(app, language, size, number):
    from flask_babel import refresh

    with app.test_request_context(headers={"Accept-Language": language}):
        refresh()  # the locale is kept per app context, which the tests share
        assert format_size(1500) == size and format_number(1234.5) == number


@pytest.mark.parametrize("size", [1, 999, 1500, 2 * 10**9, 1234567, 50 * 10**9, 5 * 2**20])
def test_a_size_in_the_form_parses_back_exactly(size):
    assert parse_size(form_size(size)) == size


def test_no_size_is_an_empty_form_field():
    assert form_size(None) == "" and form_size(0) == ""
