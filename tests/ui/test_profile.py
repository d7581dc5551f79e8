"""The profile page (was a 500 for everyone) and saving the language preference."""

from helpers import browser_of


def _user_preferences(user_id):
    from invenio_accounts.models import User
    from invenio_db import db

    db.session.expire_all()
    return dict(db.session.get(User, user_id).preferences)


def test_a_logged_in_user_sees_the_profile_page_with_the_language_choice(app, make_user):
    user, _ = make_user()
    res = browser_of(app, user).get("/account/settings/profile")
    assert res.status_code == 200
    html = res.get_data(as_text=True)
    assert 'name="preferences-locale"' in html
    assert '<option selected value="en">' in html and 'value="cs"' in html


def test_saving_czech_as_the_language_preference_keeps_it(app, make_user):
    user, _ = make_user()
    browser = browser_of(app, user)
    res = browser.post("/account/settings/preferences", data={
        "preferences-visibility": "public",
        "preferences-email_visibility": "restricted",
        "preferences-locale": "cs",
    })
    assert res.status_code == 303
    assert res.headers["Location"].endswith("/account/settings/profile")
    preferences = _user_preferences(user.id)
    assert (preferences["locale"], preferences["visibility"],
            preferences["email_visibility"]) == ("cs", "public", "restricted")
    html = browser.get("/account/settings/profile").get_data(as_text=True)
    assert '<option selected value="cs">' in html


def test_an_unknown_language_is_refused_and_nothing_changes(app, make_user):
    user, _ = make_user()
    before = _user_preferences(user.id)
    res = browser_of(app, user).post("/account/settings/preferences", data={
        "preferences-visibility": "public",
        "preferences-email_visibility": "public",
        "preferences-locale": "xx",
    })
    assert res.status_code == 400
    assert "Not a valid choice" in res.get_data(as_text=True)
    assert _user_preferences(user.id) == before
