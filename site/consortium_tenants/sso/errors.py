"""Why a SAML login is refused: a page in the person's language, never a 500."""

from invenio_i18n import lazy_gettext as _

REASONS = {
    "malformed": (400, _("This is not a login answer from an institution this site "
                         "understands. Start the login again.")),
    "no_sso": (404, _("This library's site has no login through institutions.")),
    "unknown_idp": (403, _("Your institution is not allowed on this library's site. Log "
                           "in with your e-mail and password, or ask the library.")),
    "idp_not_allowed": (403, _("Your institution is not allowed on this library's site. "
                               "Log in with your e-mail and password, or ask the library.")),
    "signature": (400, _("The answer of your institution could not be verified (its "
                         "signature does not match). Start the login again.")),
    "audience": (400, _("The answer of your institution was meant for another site. "
                        "Start the login again on this library's site.")),
    "expired": (400, _("The answer of your institution has expired. Start the login "
                       "again.")),
    "replayed": (400, _("This login answer has been used already. Start the login "
                        "again.")),
    "unsolicited": (400, _("This login was not started on this site, or it took too "
                           "long. Start the login again.")),
    "no_identifier": (400, _("Your institution released no usable identifier "
                             "(eduPersonUniqueId). Ask your institution's identity "
                             "provider to release it to this site.")),
    "out_of_scope": (403, _("Your institution asserted a value outside its own domain: "
                            "%(value)s. The login is refused.")),
    "no_email": (400, _("Your institution released no e-mail address. Ask your "
                        "institution's identity provider to release it to this site.")),
    "email_taken": (409, _("An account with the e-mail address %(value)s exists already "
                           "and is not linked to your institution's login. If it is yours, "
                           "log in with your e-mail and password and choose \"Link my "
                           "institution account\" in your account settings: from then on "
                           "you can log in through your institution.")),
    "identity_taken": (409, _("This institution account is linked to another account on "
                              "this platform already. Log in through your institution to "
                              "use that account.")),
    "already_linked": (409, _("Your account is linked to an institution account already.")),
    "link_expired": (400, _("The linking was not finished in time, or it was started in "
                            "another browser or by another person. Log in and start it again "
                            "from your account settings.")),
    "invalid": (400, _("The answer of your institution was refused: %(value)s. Start the "
                       "login again.")),
}


class SsoRefusal(Exception):
    """A login refused for REASON (a key of REASONS)."""

    def __init__(self, reason, value=""):
        super().__init__(reason)
        self.reason = reason
        self.value = value

    @property
    def status(self):
        return REASONS[self.reason][0]

    @property
    def message(self):
        return str(REASONS[self.reason][1]) % {"value": self.value}
