"""A user's language preference is theirs, not the whole site's."""

import pytest


def _set_preferences(user_id, **values):
    from invenio_accounts.models import User
    from invenio_db import db

    db.session.expire_all()
    user = db.session.get(User, user_id)
    user.preferences = {**(user.preferences or {}), **values}
    db.session.commit()


def test_a_users_language_and_timezone_do_not_change_the_sites(app, api_app, client, make_user):
    site_timezone = app.config["BABEL_DEFAULT_TIMEZONE"]
    assert site_timezone == api_app.config["BABEL_DEFAULT_TIMEZONE"] != "America/New_York"
    user, _ = make_user()
    _set_preferences(user.id, locale="cs", timezone="America/New_York")
    assert app.config["BABEL_DEFAULT_LOCALE"] == "en"
    assert app.config["BABEL_DEFAULT_TIMEZONE"] == site_timezone
    assert api_app.config["BABEL_DEFAULT_TIMEZONE"] == site_timezone
    newcomer, _ = make_user()
    assert newcomer.preferences["locale"] == "en"
    assert newcomer.preferences.get("timezone") != "America/New_York"
    html = client.get("/").get_data(as_text=True)
    assert '<html lang="en"' in html
    assert '<html lang="cs"' in client.get("/", headers={"Accept-Language": "cs"}).get_data(
        as_text=True)


@pytest.mark.parametrize("values", [{"locale": "xx"}, {"timezone": "Mars/Olympus"},
                                    {"visibility": "secret"}])
def test_preferences_are_still_validated(app, make_user, values):
    from invenio_db import db

    user, _ = make_user()
    with pytest.raises(ValueError):  # marshmallow's ValidationError is a ValueError
        _set_preferences(user.id, **values)
    db.session.rollback()


def test_logged_in_people_see_each_others_name_and_avatar_anonymous_visitors_do_not(
        client, make_user):
    """The request page shows the depositor's and the curators' avatars to each other."""
    depositor, _ = make_user()
    _, curator_headers = make_user()
    avatar = f"/api/users/{depositor.id}/avatar.svg"
    res = client.get(avatar, headers=curator_headers)
    assert res.status_code == 200
    assert res.mimetype == "image/svg+xml"
    profile = client.get(f"/api/users/{depositor.id}", headers=curator_headers)
    assert profile.status_code == 200
    assert "email" not in profile.json  # e-mail addresses stay hidden
    assert client.get(avatar).status_code == 404  # as for a user that does not exist
