// The library's deposit agreement: its text and one checkbox to accept it
// (custom field consortium:deposit_agreement, see consortium_tenants.workflows.form).
import React from "react";
import PropTypes from "prop-types";
import { useField } from "formik";
import { Checkbox, Form, Label, Segment } from "semantic-ui-react";

const AgreementCheckbox = ({ fieldPath, label, description, agreement }) => {
  const [field, meta, helpers] = useField(fieldPath);
  const error = meta.error || (!meta.touched && meta.initialError);
  // an error may come as text or as invenio-checks' {message, severity, description}
  const message = error && typeof error === "object" ? error.message : error;
  const helpId = `${fieldPath}-help`;
  return (
    <Form.Field required error={Boolean(message)} className="deposit-agreement-field">
      <Segment secondary className="deposit-agreement-text">
        {agreement.split(/\n\s*\n/).map((paragraph) => (
          <p key={paragraph}>{paragraph}</p>
        ))}
      </Segment>
      <Checkbox
        id={fieldPath}
        name={fieldPath}
        label={label}
        checked={field.value === true}
        onChange={(event, { checked }) => {
          helpers.setTouched(true, false);
          helpers.setValue(checked);
        }}
        aria-describedby={helpId}
      />
      {message && (
        <Label pointing="above" prompt role="alert">
          {message}
        </Label>
      )}
      <label className="helptext" id={helpId}>
        {description}
      </label>
    </Form.Field>
  );
};

AgreementCheckbox.propTypes = {
  fieldPath: PropTypes.string.isRequired,
  label: PropTypes.string.isRequired,
  description: PropTypes.string.isRequired,
  agreement: PropTypes.string.isRequired,
};

export default AgreementCheckbox;
