"""A user's preferences (visibility, language) on the profile page.

invenio-userprofiles 6.1's preferences form offers the languages as babel
`Locale` objects, which WTForms 3.3 can neither render nor validate (an
AttributeError, so /account/settings/profile is a 500 for everyone). The
profile page (USERPROFILES_PROFILE_TEMPLATE = consortium_tenants/profile.html)
shows this form instead, and it is saved here; the preferences schema
(ACCOUNTS_USER_PREFERENCES_SCHEMA) still validates what is stored.
"""

from flask import current_app, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from invenio_db import db
from invenio_i18n import gettext as _
from invenio_i18n import lazy_gettext as _l
from invenio_userprofiles.forms import VerificationForm
from invenio_userprofiles.views import profile_form_factory
from wtforms import RadioField, SelectField

VISIBILITY = [("public", _l("Public")), ("restricted", _l("Hidden"))]


class PreferencesForm(FlaskForm):
    """Profile and e-mail visibility, and the language of the user's pages."""

    visibility = RadioField(
        _l("Profile visibility"), choices=VISIBILITY,
        description=_l("Public profiles can be found by other users via searches on "
                       "username, full name and affiliation. Hidden profiles cannot be"
                       " found by other users."),
    )
    email_visibility = RadioField(
        _l("Email visibility"), choices=VISIBILITY,
        description=_l("Public email visibility enables your profile to be found by "
                       "your email address."),
    )
    locale = SelectField(_l("Preferences locale"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="preferences", **kwargs)
        self.locale.choices = [
            (locale.language, locale.get_display_name(locale.language).capitalize())
            for locale in current_app.extensions["invenio-i18n"].get_locales()
        ]


def preferences_form():
    """The form, filled with the current user's preferences."""
    return PreferencesForm(formdata=None, data=dict(current_user.preferences))


def render_profile(preferences, status):
    """The profile page showing PREFERENCES (a posted form, with its errors)."""
    page = render_template(
        current_app.config["USERPROFILES_PROFILE_TEMPLATE"],
        verification_form=VerificationForm(formdata=None, prefix="verification"),
        profile_form=profile_form_factory(),
        consortium_preferences=preferences,
    )
    return page, status


@login_required
def save_preferences():
    """Store the posted preferences; the page again, with the errors, when invalid (400)."""
    form = PreferencesForm()
    if not form.validate_on_submit():
        return render_profile(form, 400)
    values = {key: form[key].data for key in ("visibility", "email_visibility", "locale")}
    current_user.preferences = {**current_user.preferences, **values}
    db.session.add(current_user)
    current_app.extensions["security"].datastore.commit()
    flash(_("Preferences were updated."), category="success")
    return redirect(url_for("invenio_userprofiles.profile"), code=303)


def register(blueprint):
    """`POST /account/settings/preferences`, and the form for the profile page."""
    blueprint.add_url_rule("/account/settings/preferences", "preferences", save_preferences,
                           methods=["POST"])

    @blueprint.app_context_processor
    def profile_preferences():
        return {"consortium_preferences_form": preferences_form}
