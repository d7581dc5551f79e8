// The custom date range of the search facets, with its help text in the page's
// language. react-searchkit writes "e.g. 2025 or 2025-03-15" in English (its
// RangeFacet passes no help text on), so the range's element is rendered as
// react-searchkit renders it, that one text translated through invenio-search-ui's
// catalogue (and this instance's corrections of it). The date range's slider and
// preset ranges are react-searchkit's too, their inputs given names.
import React from "react";
import { List } from "semantic-ui-react";
import { i18next } from "@translations/invenio_search_ui/i18next";
import { i18next as consortiumI18next } from "../../../translations/consortium/i18next";
import { checkboxName, isUnnamedCheckbox, withProps } from "./accessibleNames";

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

// The date range's slider: react-searchkit's two range inputs (one, disabled, when
// all works have the same year) have no name (axe: label).
const SLIDER_NAMES = {
  "thumb searchkit-daterange-thumb-left": () => consortiumI18next.t("From year"),
  "thumb searchkit-daterange-thumb-right": () => consortiumI18next.t("To year"),
};
const isRangeInput = (node) => node.type === "input" && node.props.type === "range";
const sliderName = (node) => ({
  "aria-label": (SLIDER_NAMES[node.props.className] || (() => consortiumI18next.t("Year")))(),
});

// Overridable "RangeFacet.Slider.element" (it gets the props of react-searchkit's
// slider container): that container, its inputs named.
const NamedRangeSlider = ({ className, children }) => (
  <div className={className}>{withProps(children, isRangeInput, sliderName)}</div>
);

// The date range's preset ranges ("Last 6 months", …): radio buttons named by
// their labels. Overridable "RangeFacet.DefaultFilters.element" (it gets the
// fragment's children).
const NamedDefaultRanges = ({ children }) => (
  <>{withProps(children, isUnnamedCheckbox, checkboxName)}</>
);

// The search apps with a publication date facet (their appName prefixes the id).
export const SEARCH_APPS = [
  "InvenioAppRdm.Search",
  "InvenioCommunities.DetailsSearch",
  "InvenioAppRDM.CollectionsSearch",
  "InvenioAppRdm.DashboardUploads",
];

export const searchFacetOverrides = Object.fromEntries(
  SEARCH_APPS.flatMap((app) => [
    [`${app}.RangeFacet.CustomFilter.element`, CustomDateRange],
    [`${app}.RangeFacet.Slider.element`, NamedRangeSlider],
    [`${app}.RangeFacet.DefaultFilters.element`, NamedDefaultRanges],
  ])
);
