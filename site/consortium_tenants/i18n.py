"""Czech/English texts chosen by the current locale (no message catalogue needed)."""

from flask_babel import LazyString
from invenio_i18n import get_locale


def language():
    """"cs" or "en": the language of the current request."""
    locale = get_locale()
    return "cs" if locale is not None and locale.language == "cs" else "en"


def text(cs, en):
    """The Czech or the English text, as the current request reads."""
    return cs if language() == "cs" else en


def lazy_text(cs, en):
    """Like `text`, chosen when rendered (for configuration values)."""
    return LazyString(text, cs, en)
