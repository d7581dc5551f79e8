// The administration's lists of people (users, moderation, requests, jobs and their
// runs) show each person with react-invenio-forms' UserListItemCompact, which labels
// the administrator's own row "You" and a group "Group" in English on every page. The
// component is not overridable and the lists register their rows themselves (after
// this registry, replacing any override), so each such label gets the page's word
// when it appears: its text node's value is changed (React keeps the node and would
// write the same English again only with new props; then it is changed again).
import { i18next } from "@translations/invenio_app_rdm/i18next";

const HARD_CODED = ["You", "Group"]; // InvenioRDM's catalogue has both words

const translateLabels = () => {
  document.querySelectorAll(".item .header .ui.label").forEach((label) => {
    const text = label.firstChild;
    if (
      label.childNodes.length === 1 &&
      text.nodeType === Node.TEXT_NODE &&
      HARD_CODED.includes(text.nodeValue)
    ) {
      const word = i18next.t(text.nodeValue);
      if (word !== text.nodeValue) {
        text.nodeValue = word;
      }
    }
  });
};

if (
  typeof document !== "undefined" &&
  typeof MutationObserver !== "undefined" &&
  window.location.pathname.startsWith("/administration")
) {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(() => {
        queued = false;
        translateLabels();
      });
    }
  });
  const start = () =>
    observer.observe(document.body, { childList: true, subtree: true, characterData: true });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
