// TinyMCE (the rich editors of the deposit form and the request pages) ships English
// only, and InvenioRDM does not set its language: its toolbar, menus, dialogs and
// their accessible names stayed English on Czech pages. The instance's catalogue
// (translations/consortium/tinymce/cs.json: what its editors show — toolbar as
// react-invenio-forms configures it, the link, image, code and word-count dialogs,
// the editing area's name) becomes the editors' Czech, and Czech their language on
// pages in Czech. Set once every script of the page ran and before TinyMCE creates
// its editors (it waits for the same moment). Loaded with the overridable registry
// on every page. The page's language is the one InvenioRDM's i18next detected for it
// (the same that picks every other catalogue), not a branch of our own.
import { i18next } from "@translations/invenio_app_rdm/i18next";
import CZECH from "../../../translations/consortium/tinymce/cs.json";

const inCzech = () => (i18next.language || "").toLowerCase().startsWith("cs");

const useCzechInEditors = () => {
  const tinymce = window.tinymce;
  if (!tinymce || !inCzech() || tinymce.consortiumCzech) {
    return;
  }
  tinymce.consortiumCzech = true;
  tinymce.addI18n("cs", CZECH);
  tinymce.overrideDefaults({ ...tinymce.defaultOptions, language: "cs" });
};

if (typeof window !== "undefined") {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", useCzechInEditors);
  } else {
    useCzechInEditors();
  }
}
