// invenio-requests' catalogues, with this instance's corrections
// (assets/translations/consortium/corrections.json): overlays the packaged file.
import { translations as packaged } from "./_generatedTranslations";
import { withCorrections } from "../../consortium/corrections";

export const translations = withCorrections("invenio_requests", packaged);
