// Catalogues of this instance's React parts, one per language (English is the msgids;
// its catalogue holds only the plural forms a msgid cannot be).
import TRANSLATE_CS from "./cs/translations.json";
import TRANSLATE_EN from "./en/translations.json";

export const translations = {
  cs: { translation: TRANSLATE_CS },
  en: { translation: TRANSLATE_EN },
};
