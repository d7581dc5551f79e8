// The i18next instance of this instance's own React parts (imported by relative
// path: no webpack bundle defines a @translations/consortium alias), as every Invenio
// package ships one: English msgids, catalogues in ./messages/<lang>/
// translations.json, the language from the page's <html lang>.
import i18n from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { translations } from "./messages";

const i18next = i18n.createInstance();
i18next
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    fallbackLng: "en",
    returnEmptyString: false,
    resources: translations,
    keySeparator: false,
    nsSeparator: false,
    detection: { order: ["htmlTag"], caches: [] },
    react: { transKeepBasicHtmlNodesFor: [] },
  });

export { i18next };
