"""A library's rules judged on a draft, without the records service around it."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest

from consortium_tenants.workflows.rules import DEFAULT_RULES, problems, type_allowed


def draft(metadata=None, files=("paper.pdf",), files_enabled=True, record="public",
          file_access="public", embargo_until=None, agreement=None):
    """A draft as the rules read it: its JSON plus `files` and `access`."""
    data = SimpleNamespace  # attribute access like RDM's system fields
    item = type("Draft", (dict,), {})(
        metadata=metadata or {},
        custom_fields={} if agreement is None else {"consortium:deposit_agreement": agreement},
    )
    item.files = data(entries={key: {} for key in files}, enabled=files_enabled)
    item.access = data(
        protection=data(record=record, files=file_access),
        embargo=data(active=embargo_until is not None, until=embargo_until),
    )
    return item


def judged(item, **rules):
    return {error["field"]: error["messages"] for error in problems(
        item, {**DEFAULT_RULES, **rules}, "Library X")}


@pytest.fixture(autouse=True)
def in_english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.mark.parametrize("type_id, allowed, ok", [
    ("publication-article", [], True),
    ("publication-article", ["publication"], True),
    ("publication", ["publication"], True),
    ("dataset", ["publication"], False),
    ("publicationx", ["publication"], False),
    ("publication", ["publication-article"], False),
])
def test_a_type_is_allowed_when_it_or_its_parent_type_is_listed(type_id, allowed, ok):
    assert type_allowed(type_id, allowed) is ok


def test_a_draft_meeting_the_default_rules_has_no_problems():
    assert judged(draft()) == {}


def test_required_fields_are_named_when_missing_or_blank():
    found = judged(draft(metadata={"description": "  "}, files=()),
                   required_fields=["description", "subjects", "files"])
    assert found == {
        "metadata.description": ["Library X requires this field: Description."],
        "metadata.subjects": ["Library X requires this field: Keywords."],
        "files.entries": ["Library X requires this field: Files."],
    }


def test_required_files_refuse_a_metadata_only_record():
    found = judged(draft(files=(), files_enabled=False), required_fields=["files"])
    assert found == {"files.enabled": ["Library X does not accept metadata-only records."]}


def test_resource_types_and_licences_outside_the_rules_are_named():
    item = draft(metadata={"resource_type": {"id": "dataset"}, "rights": [{"id": "cc0-1.0"}]})
    found = judged(item, resource_types=["publication"], licenses=["cc-by-4.0"])
    assert found == {
        "metadata.resource_type": ["Library X accepts only these resource types: publication."],
        "metadata.rights": ["Library X requires one of these licences: cc-by-4.0."],
    }


def test_restricted_access_needs_an_embargo_where_the_library_publishes_openly():
    assert list(judged(draft(file_access="restricted"), allow_restricted=False)) == [
        "access.files"]
    later = date.today() + timedelta(days=30)
    assert judged(draft(file_access="restricted", embargo_until=later),
                  allow_restricted=False) == {}


@pytest.mark.parametrize("months, days, field", [
    (0, 10, "access.embargo"), (6, 400, "access.embargo.until"), (6, 100, None),
    (None, 4000, None),
])
def test_embargoes_longer_than_the_library_allows_are_refused(months, days, field):
    found = judged(draft(embargo_until=date.today() + timedelta(days=days)),
                   max_embargo_months=months)
    assert list(found) == ([field] if field else [])


def test_the_agreement_must_be_accepted_where_the_library_has_one():
    agreement = {"cs": "Souhlasím.", "en": "I agree."}
    field = "custom_fields.consortium:deposit_agreement"
    assert list(judged(draft(), agreement=agreement)) == [field]
    assert list(judged(draft(agreement=False), agreement=agreement)) == [field]
    assert judged(draft(agreement=True), agreement=agreement) == {}
