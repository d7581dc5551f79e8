// Names for inputs of the deposit form that InvenioRDM leaves without one (axe:
// label), through the form's overridable containers.
import React from "react";
import PropTypes from "prop-types";
import { List } from "semantic-ui-react";
import { ArrayField, SelectField } from "react-invenio-forms";
import { ResourceTypeField } from "@js/invenio_rdm_records/src/deposit/fields/ResourceTypeField";
import { i18next } from "@translations/invenio_rdm_records/i18next";
import { i18next as consortiumI18next } from "../../../translations/consortium/i18next";
import { checkboxName, isUnnamedCheckbox, withProps } from "./accessibleNames";

// The resource type's search box: Semantic UI ties the field's <label> to the
// dropdown around it, not to the box, so the box is named after the field.
// Overridable "InvenioAppRdm.Deposit.ResourceTypeField.container" gets the
// props of InvenioRDM's <ResourceTypeField>.
const NamedResourceTypeField = ({ options, fieldPath, required }) => (
  <ResourceTypeField
    options={options}
    fieldPath={fieldPath}
    required={required}
    searchInput={{ "aria-label": i18next.t("Resource type") }}
  />
);

NamedResourceTypeField.propTypes = {
  options: PropTypes.array.isRequired,
  fieldPath: PropTypes.string.isRequired,
  required: PropTypes.bool,
};

NamedResourceTypeField.defaultProps = {
  required: false,
};

// A select field's search box, named after the field; a placeholder given as an
// option (the relation's "Select relation...": role=option outside a listbox)
// becomes plain text, in the page's language (InvenioRDM writes it in English).
const isSelectField = (node) => node.type === SelectField || node.type === ResourceTypeField;
const selectFieldNames = (node) => {
  const { placeholder, label } = node.props;
  const name =
    node.props["aria-label"] ||
    (typeof label === "string" ? label : null) ||
    i18next.t("Resource type"); // ResourceTypeField's own label
  return {
    searchInput: { "aria-label": name },
    ...(placeholder && typeof placeholder === "object"
      ? { placeholder: consortiumI18next.t(placeholder.content) }
      : {}),
  };
};

// Overridable "InvenioRdmRecords.DepositForm.DatesField.TypeField" (it gets the
// props of InvenioRDM's <SelectField>).
const NamedSelectField = (props) => <SelectField {...props} {...selectFieldNames({ props })} />;

// Overridable containers of array fields (identifiers, related works): they get
// the props of InvenioRDM's <ArrayField>, whose child renders a row; the row's
// select fields are named. EXTRA_PROPS name the container's own props that are
// not ArrayField's.
const namedArrayField = (extraProps) => {
  const NamedArrayField = ({ children: renderRow, ...props }) => {
    const arrayProps = Object.fromEntries(
      Object.entries(props).filter(([key]) => !extraProps.includes(key))
    );
    return (
      <ArrayField {...arrayProps}>
        {(row) => withProps(renderRow(row), isSelectField, selectFieldNames)}
      </ArrayField>
    );
  };
  NamedArrayField.propTypes = { children: PropTypes.func.isRequired };
  return NamedArrayField;
};

// "Metadata-only record" (a checkbox whose label is not tied to it), named by its
// label. The override gets the props of InvenioRDM's <List horizontal> (none when
// the toggle is hidden).
const NamedMetadataOnlyToggle = ({ horizontal, children }) =>
  children ? (
    <List horizontal={horizontal}>{withProps(children, isUnnamedCheckbox, checkboxName)}</List>
  ) : null;

NamedMetadataOnlyToggle.propTypes = {
  horizontal: PropTypes.bool,
  children: PropTypes.node,
};

NamedMetadataOnlyToggle.defaultProps = {
  horizontal: false,
  children: null,
};

export const depositFormNameOverrides = {
  "InvenioAppRdm.Deposit.ResourceTypeField.container": NamedResourceTypeField,
  "InvenioRdmRecords.DepositForm.DatesField.TypeField": NamedSelectField,
  "InvenioRdmRecords.DepositForm.IdentifiersField.Container": namedArrayField([
    "options",
    "placeholder",
    "optimized",
  ]),
  "InvenioRdmRecords.DepositForm.RelatedWorksField.Container": namedArrayField(["optimized"]),
  "InvenioRdmRecords.DepositForm.FileUploaderToolbar.MetadataOnlyToggle": NamedMetadataOnlyToggle,
};
