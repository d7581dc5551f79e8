// Each result of the consortium search, of a library's collection search and of the
// consortium front page's recent uploads names the work's library: its name in the
// page's language, a link to its site (which shows its collection). The pages carry
// the member libraries by community id (consortium_tenants/libraries_data.html; the
// front page only those of its recent uploads); a work's library is the first of its
// communities that is one. Its title and "others" links lead to the work's page on its
// library's host (where its DOI points, the canonical address), not on the host
// serving the search. Its "Part of …" line names the library in the page's language too
// (a library's community has one title, its Czech name).
import React from "react";
import PropTypes from "prop-types";
import { Item } from "semantic-ui-react";
import { DisplayPartOfCommunities } from "@js/invenio_app_rdm/components/DisplayPartOfCommunities";
import { i18next } from "../../../translations/consortium/i18next";

let libraries = null;
const memberLibraries = () => {
  if (libraries === null) {
    const data = document.getElementById("consortium-libraries");
    libraries = data ? JSON.parse(data.textContent) : {};
  }
  return libraries;
};

const libraryOf = (result) =>
  (result.parent?.communities?.ids || [])
    .map((id) => memberLibraries()[id])
    .find((library) => library !== undefined);

export const WorkLibrary = ({ result }) => {
  const library = libraryOf(result);
  if (!library) {
    return null;
  }
  return (
    <p className="work-library">
      {i18next.t("Library")}: <a href={library.url}>{library.name}</a>
    </p>
  );
};

WorkLibrary.propTypes = {
  result: PropTypes.object.isRequired,
};

// Overridable "RecordsResultsListItem.description": the library, then the description
// as InvenioRDM shows it.
const DescriptionWithLibrary = ({ result, descriptionStripped }) => (
  <>
    <WorkLibrary result={result} />
    <Item.Description className="truncate-lines-2">{descriptionStripped}</Item.Description>
  </>
);

DescriptionWithLibrary.propTypes = {
  result: PropTypes.object.isRequired,
  descriptionStripped: PropTypes.string,
};

DescriptionWithLibrary.defaultProps = {
  descriptionStripped: "",
};

/** The work's page on its library's host, or null when its library is unknown. */
const workHome = (result) => {
  const library = libraryOf(result);
  return library ? new URL(`/records/${result.id}`, library.url).href : null;
};

/** NODE (an element, or an array of them) with every prop equal to FROM (a link)
 * set to TO, through its whole tree. A single element stays single (components
 * such as Overridable take exactly one child). */
const relinked = (node, from, to) => {
  if (Array.isArray(node)) {
    return node.map((child) => relinked(child, from, to));
  }
  if (!React.isValidElement(node)) {
    return node;
  }
  const changes = Object.fromEntries(
    Object.entries(node.props)
      .filter(([, value]) => value === from)
      .map(([key]) => [key, to])
  );
  if (node.props.children !== undefined) {
    changes.children = relinked(node.props.children, from, to);
  }
  return React.cloneElement(node, changes);
};

/** COMMUNITIES (a work's `parent.communities`) with each member library's community
 * titled with the library's name in the page's language. */
const withLibraryNames = (communities) =>
  communities && {
    ...communities,
    entries: (communities.entries || []).map((community) => {
      const library = memberLibraries()[community.id];
      return library
        ? { ...community, metadata: { ...community.metadata, title: library.name } }
        : community;
    }),
  };

/** NODE with its "Part of" line (InvenioRDM's DisplayPartOfCommunities, at any depth)
 * naming the libraries in the page's language. */
const partOfInPageLanguage = (node) => {
  if (Array.isArray(node)) {
    return node.map(partOfInPageLanguage);
  }
  if (!React.isValidElement(node)) {
    return node;
  }
  if (node.type === DisplayPartOfCommunities) {
    return React.cloneElement(node, { communities: withLibraryNames(node.props.communities) });
  }
  if (node.props.children === undefined || typeof node.props.children === "function") {
    return node;
  }
  return React.cloneElement(node, {}, partOfInPageLanguage(node.props.children));
};

// Overridable "RecordsResultsListItem.layout": InvenioRDM's result item (its children)
// with the links to `/records/<id>` on the serving host led to the work's home, and its
// libraries named in the page's language.
const ItemLinkingItsHome = ({ result, children }) => {
  const home = workHome(result);
  const named = partOfInPageLanguage(children);
  return <Item>{home ? relinked(named, `/records/${result.id}`, home) : named}</Item>;
};

ItemLinkingItsHome.propTypes = {
  result: PropTypes.object.isRequired,
  children: PropTypes.node,
};

ItemLinkingItsHome.defaultProps = {
  children: null,
};

// The consortium search, a library's collection search and the consortium front
// page's recent uploads.
const RESULT_APPS = [
  "InvenioAppRdm.Search",
  "InvenioCommunities.DetailsSearch",
  "InvenioAppRDM.RecordsList",
];

export const searchResultOverrides = Object.fromEntries(
  RESULT_APPS.flatMap((app) => [
    [`${app}.RecordsResultsListItem.description`, DescriptionWithLibrary],
    [`${app}.RecordsResultsListItem.layout`, ItemLinkingItsHome],
  ])
);
