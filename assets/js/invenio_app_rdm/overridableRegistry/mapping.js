// React components of InvenioRDM overridden by this instance.
//
// The submission request of a member library has a state InvenioRDM does not
// know: a curator asked for changes (consortium_tenants.workflows.requests).
// These show it on the request page, in request lists and in the timeline.
import React from "react";
import { Icon, Label } from "semantic-ui-react";
import TimelineActionEvent from "@js/invenio_requests/components/TimelineActionEvent";
import { searchFacetOverrides } from "./searchFacets";
import { searchControlOverrides } from "./searchControls";
import { searchCountOverrides } from "./searchCount";
import { searchPaginationOverrides } from "./searchPagination";
import { searchSidebarOverrides } from "./searchSidebar";
import { searchResultOverrides } from "./searchResults";
import { depositFormOverrides } from "./depositForm";
import { depositFormNameOverrides } from "./depositFormNames";
import { fileDropAreaOverrides } from "./fileDropArea";
import { uploaderOverrides } from "./uploader";
import { requestActionOverrides } from "./requestActions";
import { communitySettingsOverrides } from "./communitySettings";
import "./tabLists";
import "./fieldNames";
import "./userLabels";
import "./accountMenus";
import "./editorWindows";
import "./editorCzech";
import { i18next } from "../../../translations/consortium/i18next";

const changesRequested = () => i18next.t("Changes requested");

const ChangesRequestedStatus = () => (
  <div>
    <Icon name="edit outline" />
    <span>{changesRequested()}</span>
  </div>
);

const ChangesRequestedLabel = () => (
  <Label horizontal className="warning" size="small">
    <Icon name="edit outline" />
    {changesRequested()}
  </Label>
);

const ChangesRequestedEvent = ({ event }) => (
  <TimelineActionEvent
    iconName="edit outline"
    iconColor="warning"
    event={event}
    eventContent={i18next.t("asked for changes")}
  />
);

const ResubmittedEvent = ({ event }) => (
  <TimelineActionEvent
    iconName="paper plane outline"
    iconColor="grey"
    event={event}
    eventContent={i18next.t("submitted this for review")}
  />
);

export const overriddenComponents = {
  ...searchFacetOverrides, // the date range's help text, translated
  ...searchControlOverrides, // sort and results per page as native selects
  ...searchCountOverrides, // "3 nalezené výsledky": the count's plural form, its digits
  ...searchPaginationOverrides, // page links named in the page's language
  ...searchSidebarOverrides, // the filters' "Close filter" in the page's language
  ...searchResultOverrides, // each result names the work's library
  ...depositFormOverrides, // the library's agreement first; description editors
  ...depositFormNameOverrides, // names for the deposit form's unnamed inputs
  ...fileDropAreaOverrides, // the file drop area is no button around buttons
  ...uploaderOverrides, // multipart threshold from the page; no aria-modal inline
  ...requestActionOverrides, // curators ask for changes, with a comment
  ...communitySettingsOverrides, // the library's picture: its size in the page's language
  "RequestStatus.layout.changes_requested": ChangesRequestedStatus,
  "RequestStatusLabel.layout.changes_requested": ChangesRequestedLabel,
  "TimelineEvent.layout.changes_requested": ChangesRequestedEvent,
  "TimelineEvent.layout.submitted": ResubmittedEvent,
};
