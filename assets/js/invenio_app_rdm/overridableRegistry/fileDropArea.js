// The deposit form's file area without a button around buttons. InvenioRDM's
// FileUploaderArea makes the whole drop area a role="button" holding the file
// table's and the upload box's own buttons (axe: nested-interactive). Here the
// area only takes drops and clicks (role="presentation", out of the tab order);
// keyboard users use its "Upload files" button, as before. Otherwise as
// InvenioRDM's (invenio-rdm-records, deposit/fields/FileUploader/FileUploaderArea.js).
import React from "react";
import PropTypes from "prop-types";
import Dropzone from "react-dropzone";
import { Button, Grid, Header, Segment } from "semantic-ui-react";
import { FilesListTable } from "@js/invenio_rdm_records/src/deposit/fields/FileUploader/FileUploaderArea";
import { i18next } from "@translations/invenio_rdm_records/i18next";

const UploadBox = ({ filesList, dragText, hasError, uploadButtonIcon, uploadButtonText, open }) => (
  <Segment
    basic
    padded="very"
    className={filesList.length ? "file-upload-area" : "file-upload-area no-files"}
  >
    <Grid columns={3} textAlign="center">
      <Grid.Row verticalAlign="middle">
        <Grid.Column mobile={16} tablet={7} computer={7}>
          <Header size="small">{dragText}</Header>
        </Grid.Column>
        <Grid.Column className="mt-10 mb-10" mobile={16} tablet={2} computer={2}>
          - {i18next.t("or")} -
        </Grid.Column>
        <Grid.Column mobile={16} tablet={7} computer={7}>
          <Button
            type="button"
            className={hasError ? "error" : "primary"}
            labelPosition="left"
            icon={uploadButtonIcon}
            content={uploadButtonText}
            onClick={() => open()}
          />
        </Grid.Column>
      </Grid.Row>
    </Grid>
  </Segment>
);

UploadBox.propTypes = {
  filesList: PropTypes.array.isRequired,
  dragText: PropTypes.string,
  hasError: PropTypes.bool,
  uploadButtonIcon: PropTypes.node,
  uploadButtonText: PropTypes.string,
  open: PropTypes.func.isRequired,
};

UploadBox.defaultProps = {
  dragText: undefined,
  hasError: false,
  uploadButtonIcon: undefined,
  uploadButtonText: undefined,
};

// Overridable "InvenioRdmRecords.DepositForm.FileUploader.UploadArea": it gets the
// props of InvenioRDM's row (className; none when files are disabled) and of its
// FileUploaderArea.
const FileDropArea = (props) => {
  const { className, filesEnabled, dropzoneParams, filesLocked, filesList } = props;
  if (!filesEnabled || className === undefined) {
    return null;
  }
  return (
    <Grid.Row className={className}>
      <Dropzone {...dropzoneParams} disabled={filesLocked} noKeyboard>
        {({ getRootProps, getInputProps, open }) => (
          <Grid.Column width={16}>
            <div {...getRootProps({ role: "presentation" })}>
              <input {...getInputProps()} />
              {filesList.length !== 0 && (
                <Grid.Column verticalAlign="middle">
                  <FilesListTable {...props} />
                </Grid.Column>
              )}
              {!filesLocked && <UploadBox {...props} open={open} />}
            </div>
          </Grid.Column>
        )}
      </Dropzone>
    </Grid.Row>
  );
};

FileDropArea.propTypes = {
  className: PropTypes.string,
  filesEnabled: PropTypes.bool,
  dropzoneParams: PropTypes.object,
  filesLocked: PropTypes.bool,
  filesList: PropTypes.array,
};

FileDropArea.defaultProps = {
  className: undefined,
  filesEnabled: false,
  dropzoneParams: {},
  filesLocked: false,
  filesList: [],
};

export const fileDropAreaOverrides = {
  "InvenioRdmRecords.DepositForm.FileUploader.UploadArea": FileDropArea,
};
