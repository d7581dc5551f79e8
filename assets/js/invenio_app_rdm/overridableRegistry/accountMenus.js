// InvenioRDM's theme (invenio_app_rdm/theme.js) and the administration's
// (invenio_administration/src/theme.js) give the account menu and the "plus" menu a
// Semantic UI dropdown action that calls `element.attr("href")`, but Semantic UI
// passes the chosen item as a DOM element, not a jQuery object: every choice in
// those menus (e.g. "Administration") threw "n.attr is not a function" and its
// keyboard choice went nowhere. Once every script of the page has run (the
// administration initialises its menu after this module), the menus get an action
// that opens the chosen item's address. Loaded with the overridable registry on
// every page (THEME_JAVASCRIPT_TEMPLATE).
import $ from "jquery";

const openChosenItem = (text, value, element) => {
  const href = element && $(element).attr("href");
  if (href) {
    window.location.assign(href);
  }
};

const mendMenus = () => {
  $("#user-profile-dropdown.ui.dropdown, #quick-create-dropdown.ui.dropdown").each(
    function () {
      if ($(this).data("module-dropdown")) {
        $(this).dropdown("setting", "action", openChosenItem);
      }
    }
  );
};

if (typeof document !== "undefined") {
  $(mendMenus);
}
