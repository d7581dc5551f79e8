// The sort and "results per page" choosers of the record searches, as native
// <select> elements. react-searchkit draws them as Semantic UI dropdowns: a
// role="listbox" holding a role="alert" text, which assistive technologies
// cannot read as a list of options (axe: aria-required-children). A <select>
// says what it is, keeps its name (aria-label) and works with the keyboard.
import React from "react";
import PropTypes from "prop-types";
import { i18next } from "@translations/invenio_search_ui/i18next";
import { SEARCH_APPS } from "./searchFacets";

const sortValue = (sortBy, sortOrder) => (sortOrder ? `${sortBy}-${sortOrder}` : sortBy);

// Overridable "Sort.element": OPTIONS carry their `value` (react-searchkit's Sort sets it).
const SortSelect = ({ options, currentSortBy, currentSortOrder, onValueChange, ariaLabel }) => (
  <select
    className="ui selection dropdown search-control-select"
    aria-label={i18next.t(ariaLabel || "Sort")}
    value={sortValue(currentSortBy, currentSortOrder)}
    onChange={(event) => onValueChange(event.target.value)}
  >
    {options.map((option) => (
      <option key={option.value} value={option.value}>
        {option.text}
      </option>
    ))}
  </select>
);

SortSelect.propTypes = {
  options: PropTypes.array.isRequired,
  currentSortBy: PropTypes.string,
  currentSortOrder: PropTypes.string,
  onValueChange: PropTypes.func.isRequired,
  ariaLabel: PropTypes.string,
};

SortSelect.defaultProps = {
  currentSortBy: null,
  currentSortOrder: null,
  ariaLabel: null,
};

// Overridable "ResultsPerPage.element": the sizes are numbers.
const ResultsPerPageSelect = ({ options, currentSize, onValueChange }) => (
  <select
    className="ui compact selection dropdown search-control-select results-per-page"
    aria-label={i18next.t("results per page")}
    value={currentSize}
    onChange={(event) => onValueChange(Number(event.target.value))}
  >
    {options.map((option) => (
      <option key={option.value} value={option.value}>
        {option.text}
      </option>
    ))}
  </select>
);

ResultsPerPageSelect.propTypes = {
  options: PropTypes.array.isRequired,
  currentSize: PropTypes.number.isRequired,
  onValueChange: PropTypes.func.isRequired,
};

// Every search of InvenioRDM's pages has these two choosers: the record searches
// and the people's own lists (my requests, uploads, communities), the
// communities' requests, members and invitations.
export const CONTROL_APPS = [
  ...SEARCH_APPS,
  "InvenioAppRdm.DashboardRequests",
  "InvenioAppRdm.DashboardCommunities",
  "InvenioAppRdm.RecordCommunitiesSearch",
  "InvenioAppRdm.PendingCommunitiesSearch",
  "InvenioCommunities.Search",
  "InvenioCommunities.PublicSearch",
  "InvenioCommunities.RequestSearch",
  "InvenioCommunities.MemberSearch",
  "InvenioCommunities.ManagerSearch",
  "InvenioCommunities.InvitationsSearch",
  "InvenioCommunities.MembershipRequestsSearch",
  "InvenioSubCommunities.Search",
];

export const searchControlOverrides = Object.fromEntries(
  CONTROL_APPS.flatMap((app) => [
    [`${app}.Sort.element`, SortSelect],
    [`${app}.ResultsPerPage.element`, ResultsPerPageSelect],
  ])
);
