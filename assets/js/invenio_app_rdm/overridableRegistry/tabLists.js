// InvenioRDM's request pages (invenio_requests/<type>/index.html, Jinja) give their
// tabs (Conversation, Record, Checks) role="tab" but not the menu holding them
// role="tablist", so assistive technologies cannot tell they are tabs (axe:
// aria-required-parent). The menu gets its role once the page is parsed; this
// module is loaded with the overridable registry on every React page.
const nameTabLists = () => {
  document.querySelectorAll(".rdm-tab-menu, .ui.menu").forEach((menu) => {
    if (!menu.getAttribute("role") && menu.querySelector(':scope > [role="tab"]')) {
      menu.setAttribute("role", "tablist");
    }
  });
};

if (typeof document !== "undefined") {
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", nameTabLists);
  } else {
    nameTabLists();
  }
}
