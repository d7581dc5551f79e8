// The page links under every search's results. react-searchkit draws them with
// Semantic UI's Pagination, whose buttons are named in English ("Previous item",
// "Next item", …) whatever the page's language. Overridable "Pagination.element"
// gets the props react-searchkit gives that Pagination (a hidden button is null)
// and its own (the raw onPageChange(page)): the same Pagination, its names in the
// page's language.
import React from "react";
import PropTypes from "prop-types";
import { Pagination } from "semantic-ui-react";
import { i18next } from "../../../translations/consortium/i18next";
import { CONTROL_APPS } from "./searchControls";

const named = (item, content, name) =>
  item === null ? null : { content, "aria-label": i18next.t(name) };

export const NamedPagination = ({
  onPageChange,
  currentPage,
  currentSize, // eslint-disable-line no-unused-vars
  totalResults, // eslint-disable-line no-unused-vars
  options, // eslint-disable-line no-unused-vars
  firstItem,
  prevItem,
  nextItem,
  lastItem,
  ...props
}) => (
  <Pagination
    {...props}
    activePage={currentPage}
    aria-label={i18next.t("Pagination")}
    firstItem={named(firstItem, "«", "First page")}
    prevItem={named(prevItem, "⟨", "Previous page")}
    nextItem={named(nextItem, "⟩", "Next page")}
    lastItem={named(lastItem, "»", "Last page")}
    onPageChange={(_, { activePage }) => onPageChange(activePage)}
  />
);

NamedPagination.propTypes = {
  onPageChange: PropTypes.func.isRequired,
  currentPage: PropTypes.number.isRequired,
  currentSize: PropTypes.number,
  totalResults: PropTypes.number,
  options: PropTypes.object,
  firstItem: PropTypes.any,
  prevItem: PropTypes.any,
  nextItem: PropTypes.any,
  lastItem: PropTypes.any,
};

NamedPagination.defaultProps = {
  currentSize: null,
  totalResults: null,
  options: {},
  firstItem: undefined,
  prevItem: undefined,
  nextItem: undefined,
  lastItem: undefined,
};

// Every search app (its name prefixes the id) and searches without a name.
export const searchPaginationOverrides = Object.fromEntries(
  ["", ...CONTROL_APPS.map((app) => `${app}.`)].map((prefix) => [
    `${prefix}Pagination.element`,
    NamedPagination,
  ])
);
