// The filters of a search on a phone or tablet slide in as a sidebar whose close
// button react-invenio-forms names "Close filter" in English on every page
// (GridResponsiveSidebarColumn, not overridable itself). The search layouts that
// hold it are overridable: each is rendered as InvenioRDM renders it, its sidebar
// column replaced by this one, the same column with the button named in the
// page's language.
import React from "react";
import PropTypes from "prop-types";
import { Button, Container, Grid, Segment, Sidebar } from "semantic-ui-react";
import { GridResponsiveSidebarColumn } from "react-invenio-forms";
import { CommunityRecordsSearchAppLayout } from "@js/invenio_app_rdm/communityRecordsSearch/components";
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

// A library's (community's) works: InvenioRDM's layout for them, rendered here.
const DETAILS_SEARCH = "InvenioCommunities.DetailsSearch";
const CommunityRecordsLayout = (props) =>
  withOurSidebar(CommunityRecordsSearchAppLayout({ ...props, appName: DETAILS_SEARCH }));

export const searchSidebarOverrides = {
  "InvenioAppRdm.Search.SearchApp.layout": SearchAppLayout,
  [`${DETAILS_SEARCH}.SearchApp.layout`]: CommunityRecordsLayout,
};
