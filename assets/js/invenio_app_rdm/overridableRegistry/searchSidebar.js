// The filters of a search on a phone or tablet slide in as a sidebar whose close
// button react-invenio-forms names "Close filter" in English on every page
// (GridResponsiveSidebarColumn, not overridable itself). The search layouts that
// hold it are overridable: each is rendered as InvenioRDM renders it (with the
// parameters InvenioRDM gives it), its sidebar column replaced by this one, the
// same column with the button named in the page's language. These are the works
// searches, a person's own lists (/me/uploads, /me/requests, /me/communities) and
// the communities' searches (all communities, subcommunities, a community's requests).
import React from "react";
import PropTypes from "prop-types";
import { Button, Container, Grid, Segment, Sidebar } from "semantic-ui-react";
import { GridResponsiveSidebarColumn } from "react-invenio-forms";
import { CommunityRecordsSearchAppLayout } from "@js/invenio_app_rdm/communityRecordsSearch/components";
import { DashboardSearchLayoutHOC } from "@js/invenio_app_rdm/user_dashboard/base";
import { CommunitiesSearchLayout } from "@js/invenio_communities/community/searchComponents";
import { RequestsSearchLayout } from "@js/invenio_requests/search";
import { i18next as rdmI18next } from "@translations/invenio_app_rdm/i18next";
import { i18next } from "../../../translations/consortium/i18next";

export const SearchSidebarColumn = ({
  mobile,
  tablet,
  computer,
  largeScreen,
  widescreen,
  width,
  open,
  onHideClick,
  ariaLabel,
  children,
}) => {
  const closeButton = React.useRef(null);
  return (
    <>
      <Grid.Column as="aside" aria-label={ariaLabel} mobile={mobile} tablet={tablet}
        width={width} only="mobile tablet">
        <Sidebar as={Segment} animation="overlay" visible={open} width="wide"
          onHide={onHideClick} onShow={() => closeButton.current?.focus()}>
          <Button basic icon="close" size="small" floated="right" className="mb-20"
            onClick={onHideClick} aria-label={i18next.t("Close filter")} ref={closeButton} />
          {children}
        </Sidebar>
      </Grid.Column>
      <Grid.Column as="aside" aria-label={ariaLabel} width={width} only="computer"
        computer={computer} largeScreen={largeScreen} widescreen={widescreen}>
        {children}
      </Grid.Column>
    </>
  );
};

SearchSidebarColumn.propTypes = {
  mobile: PropTypes.number,
  tablet: PropTypes.number,
  computer: PropTypes.number,
  largeScreen: PropTypes.number,
  widescreen: PropTypes.number,
  width: PropTypes.number,
  open: PropTypes.bool,
  onHideClick: PropTypes.func,
  ariaLabel: PropTypes.string,
  children: PropTypes.node,
};

SearchSidebarColumn.defaultProps = {
  mobile: undefined,
  tablet: undefined,
  computer: undefined,
  largeScreen: undefined,
  widescreen: undefined,
  width: undefined,
  open: false,
  onHideClick: () => {},
  ariaLabel: undefined,
  children: null,
};

// NODES with each GridResponsiveSidebarColumn, at any depth, made this one.
const withOurSidebar = (nodes) => {
  const update = (node) => {
    if (!React.isValidElement(node)) {
      return node;
    }
    if (node.type === GridResponsiveSidebarColumn) {
      return <SearchSidebarColumn key={node.key} {...node.props} />;
    }
    if (node.props.children === undefined || typeof node.props.children === "function") {
      return node;
    }
    return React.cloneElement(node, {}, withOurSidebar(node.props.children));
  };
  return Array.isArray(nodes) ? React.Children.map(nodes, update) : update(nodes);
};

// Overridable "<app>.SearchApp.layout" of invenio-search-ui's own layout: it gets
// the props of the layout's <Container> (its children included) and the config.
const SearchAppLayout = ({ config, children, ...props }) => ( // eslint-disable-line no-unused-vars
  <Container {...props}>{withOurSidebar(children)}</Container>
);

SearchAppLayout.propTypes = {
  config: PropTypes.object,
  children: PropTypes.node,
};

SearchAppLayout.defaultProps = {
  config: {},
  children: null,
};

// InvenioRDM's LAYOUT (a function component) with PARAMETERS, as its search app
// registers it, rendered here with our sidebar column. Its hooks are this
// component's, called in the same order at every render.
const withOurSidebarColumn = (layout, parameters) => {
  const Layout = (props) => withOurSidebar(layout({ ...props, ...parameters }));
  Layout.displayName = `WithOurSidebar(${layout.displayName || layout.name})`;
  return Layout;
};

// A library's (community's) works.
const DETAILS_SEARCH = "InvenioCommunities.DetailsSearch";
// A person's own lists: InvenioRDM builds each layout with these parameters.
const UPLOADS = "InvenioAppRdm.DashboardUploads";
const MY_COMMUNITIES = "InvenioAppRdm.DashboardCommunities";
const MY_REQUESTS = "InvenioAppRdm.DashboardRequests";
const dashboardLayout = (parameters) =>
  withOurSidebarColumn(DashboardSearchLayoutHOC(parameters), {});

export const searchSidebarOverrides = {
  "InvenioAppRdm.Search.SearchApp.layout": SearchAppLayout,
  [`${DETAILS_SEARCH}.SearchApp.layout`]: withOurSidebarColumn(CommunityRecordsSearchAppLayout,
    { appName: DETAILS_SEARCH }),
  [`${UPLOADS}.SearchApp.layout`]: dashboardLayout({
    searchBarPlaceholder: rdmI18next.t("Search in my uploads..."),
    appName: UPLOADS,
    mineLabel: rdmI18next.t("My uploads"),
    showSharedFilters: true,
  }),
  [`${MY_COMMUNITIES}.SearchApp.layout`]: dashboardLayout({
    searchBarPlaceholder: rdmI18next.t("Search in my communities..."),
    appName: MY_COMMUNITIES,
    mineLabel: rdmI18next.t("My communities"),
  }),
  [`${MY_REQUESTS}.SearchApp.layout`]: withOurSidebarColumn(RequestsSearchLayout, {
    appName: MY_REQUESTS,
    showSharedFilters: true,
  }),
  ...Object.fromEntries(
    ["InvenioCommunities.Search", "InvenioSubCommunities.Search"].map((appName) => [
      `${appName}.SearchApp.layout`,
      withOurSidebarColumn(CommunitiesSearchLayout, { appName }),
    ])
  ),
  "InvenioCommunities.RequestSearch.SearchApp.layout": withOurSidebarColumn(
    RequestsSearchLayout,
    { appName: "InvenioCommunities.RequestSearch" }
  ),
  "InvenioAppRDM.CollectionsSearch.SearchApp.layout": withOurSidebarColumn(
    CommunityRecordsSearchAppLayout,
    { appName: "InvenioAppRDM.CollectionsSearch" }
  ),
};
