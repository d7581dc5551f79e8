// Names for the inputs of InvenioRDM's dialogs that Semantic UI React renders
// without one (axe: label): in the deposit form's author dialog the person/
// organisation radios (their <label> is not tied to the input), the person search,
// the identifiers, affiliations and role dropdowns (their field's <label> has no
// `for`). Their components take no id or aria-label from outside, so each unnamed
// input of an open dialog gets its field's label as its name, when the dialog opens
// or changes. Nothing else changes; an input with a name keeps it.
const hasName = (input) =>
  input.getAttribute("aria-label") ||
  input.getAttribute("aria-labelledby") ||
  input.closest("label") ||
  (input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`));

const text = (element) => (element ? element.textContent.replace(/\s+/g, " ").trim() : "");

const labelOf = (input) => {
  const checkbox = input.closest(".ui.checkbox");
  if (checkbox) {
    return text(checkbox.querySelector(":scope > label"));
  }
  const field = input.closest(".field");
  const label = field && field.querySelector("label");
  return (
    text(label) ||
    input.getAttribute("placeholder") ||
    text(input.closest(".ui.dropdown") && input.closest(".ui.dropdown").querySelector(".text"))
  );
};

const nameDialogInputs = () => {
  document
    .querySelectorAll(".ui.modal input:not([type=hidden]), .ui.modal select, .ui.modal textarea")
    .forEach((input) => {
      if (!hasName(input)) {
        const label = labelOf(input);
        if (label) {
          input.setAttribute("aria-label", label);
        }
      }
    });
};

if (typeof document !== "undefined" && typeof MutationObserver !== "undefined") {
  let queued = false;
  const observer = new MutationObserver(() => {
    if (!queued) {
      queued = true;
      window.requestAnimationFrame(() => {
        queued = false;
        nameDialogInputs();
      });
    }
  });
  const start = () => observer.observe(document.body, { childList: true, subtree: true });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}
