// Catalogues of this instance's React parts, one per language (English is the msgids).
import TRANSLATE_CS from "./cs/translations.json";

export const translations = {
  cs: { translation: TRANSLATE_CS },
};
