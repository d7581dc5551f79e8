// The deposit form of a member library:
// - the library's deposit agreement (custom field consortium:deposit_agreement)
//   is its first section, shown only where the library has an agreement;
//   other custom fields stay where InvenioRDM puts them, at the end;
// - the description editors do not throw "e.replace is not a function".
import React from "react";
import PropTypes from "prop-types";
import { CustomFields } from "react-invenio-forms";
import { DescriptionsField } from "@js/invenio_rdm_records/src/deposit/fields/DescriptionsField";
import { severityChecksConfig } from "@js/invenio_app_rdm/deposit/config";
import { guardedEditorConfig } from "./richEditor";

const AGREEMENT_FIELD = "consortium:deposit_agreement";

// as InvenioRDM's deposit form loads custom field widgets
const templateLoaders = [
  (widget) => import(`@templates/custom_fields/${widget}.js`),
  () => import("@js/invenio_rdm_records/src/deposit/customFields"),
  () => import("react-invenio-forms"),
];

const isAgreementSection = (section) =>
  section.fields.some((field) => field.field === AGREEMENT_FIELD);

const CustomFieldSections = ({ sections, record }) =>
  sections.length > 0 && (
    <CustomFields
      config={sections}
      record={record}
      templateLoaders={templateLoaders}
      fieldPathPrefix="custom_fields"
      severityChecks={severityChecksConfig}
    />
  );

CustomFieldSections.propTypes = {
  sections: PropTypes.array.isRequired,
  record: PropTypes.object.isRequired,
};

/** Before the files: the agreement, when the library has one. */
const AgreementFirst = ({ customFieldsUI, record }) => {
  const sections = (customFieldsUI || []).filter(
    (section) =>
      isAgreementSection(section) &&
      section.fields.some((field) => field.props?.agreement)
  );
  return <CustomFieldSections sections={sections} record={record} />;
};

AgreementFirst.propTypes = {
  customFieldsUI: PropTypes.array,
  record: PropTypes.object.isRequired,
};

AgreementFirst.defaultProps = { customFieldsUI: [] };

/** At the end: the other custom fields. */
const OtherCustomFields = ({ customFieldsUI, record }) => (
  <CustomFieldSections
    sections={customFieldsUI.filter((section) => !isAgreementSection(section))}
    record={record}
  />
);

OtherCustomFields.propTypes = {
  customFieldsUI: PropTypes.array.isRequired,
  record: PropTypes.object.isRequired,
};

const GuardedDescriptionsField = ({ fieldPath, options, recordUI }) => (
  <DescriptionsField
    fieldPath={fieldPath}
    options={options}
    recordUI={recordUI}
    editorConfig={guardedEditorConfig()}
  />
);

GuardedDescriptionsField.propTypes = {
  fieldPath: PropTypes.string.isRequired,
  options: PropTypes.object.isRequired,
  recordUI: PropTypes.object,
};

GuardedDescriptionsField.defaultProps = { recordUI: null };

export const depositFormOverrides = {
  "InvenioAppRdm.Deposit.Files.before.container": AgreementFirst,
  "InvenioAppRdm.Deposit.CustomFields.container": OtherCustomFields,
  "InvenioAppRdm.Deposit.DescriptionsField.container": GuardedDescriptionsField,
};
