"""The instance's message catalogue wins over the packages' (Python and Jinja).

invenio-i18n merges the catalogues in the order it finds them, the last one winning:
`I18N_TRANSLATIONS_PATHS` first, then every package's (invenio_i18n/ext.py,
`init_multidir_domain`). The instance's catalogue (translations/, listed in
I18N_TRANSLATIONS_PATHS) therefore lost to every package translating the same msgid:
its corrections of InvenioRDM's Czech ("Stav", not InvenioRDM's "Status", in
administration lists and on request pages) never reached a page. Once every
extension is loaded, its paths are merged once more, last.
"""


from flask_babel import get_babel


def finalize_app(app):
    """Merge I18N_TRANSLATIONS_PATHS after the packages' catalogues
    (invenio_base.finalize_app, invenio_base.api_finalize_app): Flask-Babel's list of
    directories, which invenio-i18n fills from its domain at init."""
    if "babel" not in app.extensions:
        return
    directories = get_babel(app).translation_directories
    for path in app.config.get("I18N_TRANSLATIONS_PATHS", []):
        directories.append(path)
