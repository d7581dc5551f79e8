// The number of results of every search (records, a library's records, people's own
// lists, requests, members). InvenioRDM writes "<b>3</b> results found" with the
// count and the words as separate pieces, so Czech pages said "3 nalezených výsledků"
// for any number, and the number itself in English digits ("1,234"). Overridable
// "Count" (react-searchkit's, for every app): the words in the plural form the count
// takes in the page's language (Czech: 1 / 2–4 / 5+), the number in its digits.
import React from "react";
import PropTypes from "prop-types";
import { i18next } from "../../../translations/consortium/i18next";

export const ResultsCount = ({ loading, totalResults }) => {
  if (loading || !(totalResults > 0)) {
    return null;
  }
  return (
    <span className="results-count">
      <b>{totalResults.toLocaleString(i18next.language || "en")}</b>{" "}
      {i18next.t("result found", { count: totalResults })}
    </span>
  );
};

ResultsCount.propTypes = {
  loading: PropTypes.bool,
  totalResults: PropTypes.number,
};

ResultsCount.defaultProps = {
  loading: false,
  totalResults: 0,
};

export const searchCountOverrides = { Count: ResultsCount };
