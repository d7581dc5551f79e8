"""axe-core in the states people meet, not only pages at rest (issue 26): dialogs open,
the curators' request page, the depositor's requests, statistics, login, library search
and the library's settings, in Czech and English. No critical and no serious violation."""

import re

import pytest
from playwright.sync_api import expect

from browsing import axe, library_with_a_submission, log_in

WORDS = {
    "cs": {"add_author": "Přidat autora", "accept": re.compile(r"^Schválit")},
    "en": {"add_author": "Add author", "accept": re.compile(r"^Accept and publish")},
}


@pytest.fixture(scope="module")
def collection(app, make_library):
    return library_with_a_submission(app, make_library, "a11ys", "Mapy Slezska",
                                     "Plány Brna čekají")


def _report(violations):
    return "\n".join(f"{v['impact']}: {v['id']} ×{v['nodes']} ({v['help']}) e.g. {v['targets']}"
                     for v in violations)


def _author_dialog(page, words):
    page.get_by_role("button", name=words["add_author"]).click()
    expect(page.locator(".ui.modal")).to_be_visible()


def _accept_dialog(page, words):
    page.get_by_role("button", name=words["accept"]).first.click()
    expect(page.locator(".ui.modal")).to_be_visible()


STATES = {
    # name: (host, path, who is logged in, what they do before axe runs)
    "deposit form with the author dialog": ("/uploads/new", "depositor", _author_dialog),
    "request page": ("/me/requests/{request_id}", "curator", None),
    "request page with the accept dialog": ("/me/requests/{request_id}", "curator",
                                            _accept_dialog),
    "my requests": ("/me/requests", "depositor", None),
    "statistics": ("/libraries/{slug}/stats", "manager", None),
    "record page": ("/records/{record_id}", None, None),
    "login": ("/login/", None, None),
    "library search": ("/search?q=mapy", None, None),
    "library settings": ("/communities/{slug}/settings", "manager", None),
}


@pytest.mark.parametrize("language", ["cs", "en"])
@pytest.mark.parametrize("name", STATES)
def test_no_critical_or_serious_violation_in_the_states_people_meet(
        site, open_page, collection, name, language):
    path, who, action = STATES[name]
    base = site.library(collection.slug)
    page = open_page(language, re.sub(r"\W+", "-", name))
    if who:
        log_in(page, base, collection.people[who])
    page.goto(base + path.format(slug=collection.slug, record_id=collection.record_id,
                                 request_id=collection.request_id))
    page.wait_for_load_state("networkidle")
    if action:
        action(page, WORDS[language])
    violations = axe(page)
    assert violations == [], _report(violations)
