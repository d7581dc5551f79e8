// This instance's corrections of InvenioRDM's React message catalogues.
//
// The packaged catalogues are compiled into the bundles; each corrected package
// gets an overlay of its `messages/index.js` that passes its catalogues through
// `withCorrections`. As the instance's catalogue does for Python and Jinja
// (invenio-i18n merges it last), a correction wins over the packaged string.
import corrections from "./corrections.json";

export function withCorrections(packageName, translations) {
  const ours = corrections[packageName] || {};
  const merged = { ...translations };
  for (const [language, messages] of Object.entries(ours)) {
    const packaged = (translations[language] || {}).translation || {};
    merged[language] = { translation: { ...packaged, ...messages } };
  }
  return merged;
}
