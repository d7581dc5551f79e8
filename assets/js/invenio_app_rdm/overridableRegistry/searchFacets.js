// The custom date range of the search facets, with its help text in the page's
// language. react-searchkit writes "e.g. 2025 or 2025-03-15" in English (its
// RangeFacet passes no help text on), so the range's element is rendered as
// react-searchkit renders it, that one text translated through invenio-search-ui's
// catalogue (and this instance's corrections of it).
import React from "react";
import { List } from "semantic-ui-react";
import { i18next } from "@translations/invenio_search_ui/i18next";

const HELP_TEXT = "e.g. 2025 or 2025-03-15";

const translated = (node) => {
  if (!React.isValidElement(node) || node.props.children === undefined) {
    return node;
  }
  if (node.props.className === "helptext" && node.props.children === HELP_TEXT) {
    return React.cloneElement(node, {}, i18next.t(HELP_TEXT));
  }
  return React.cloneElement(node, {}, React.Children.map(node.props.children, translated));
};

// Overridable "RangeFacet.CustomFilter.element" gets the List.Item's own props.
const CustomDateRange = ({ className, children }) => (
  <List.Item className={className}>{React.Children.map(children, translated)}</List.Item>
);

// The search apps with a publication date facet (their appName prefixes the id).
const SEARCH_APPS = [
  "InvenioAppRdm.Search",
  "InvenioCommunities.DetailsSearch",
  "InvenioAppRDM.CollectionsSearch",
  "InvenioAppRdm.DashboardUploads",
];

export const searchFacetOverrides = Object.fromEntries(
  SEARCH_APPS.map((app) => [`${app}.RangeFacet.CustomFilter.element`, CustomDateRange])
);
