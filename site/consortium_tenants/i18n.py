"""The language of the current request, and data kept in both languages."""

from invenio_i18n import get_locale


def language():
    """"cs" or "en": the language of the current request."""
    locale = get_locale()
    return "cs" if locale is not None and locale.language == "cs" else "en"


def localized(texts):
    """The value of TEXTS ({"cs": …, "en": …}, e.g. a library's names) in the current
    language, else the English one."""
    return texts.get(language()) or texts["en"]
