// Actions on the request page. A library's curators may ask the depositor for
// changes (action `request_changes`, consortium_tenants.workflows.requests):
// its button, modal title and confirmation are labelled, and the modal asks
// for the comment, which the action requires. Every action's comment editor
// holds its text as a string: upstream's gives TinyMCE a function as value,
// which throws "e.replace is not a function" while one types (./richEditor).
// A depositor's `submit` of a submission sent back is labelled as such.
import React, { Component } from "react";
import PropTypes from "prop-types";
import { Button, Dropdown, Form, Message, Modal } from "semantic-ui-react";
import { RichEditor } from "react-invenio-forms";
import { AppMedia } from "@js/invenio_theme/Media";
import { RequestSubmitButton } from "@js/invenio_requests/components/Buttons";
import { RequestSubmitModalTrigger } from "@js/invenio_requests/components/ModalTriggers";
import { RequestActionContext } from "@js/invenio_requests/request/actions/context";
import { i18next } from "@translations/invenio_requests/i18next";
import { i18next as consortiumI18next } from "../../../translations/consortium/i18next";

const REQUEST_CHANGES = "request_changes";
const label = () => consortiumI18next.t("Ask for changes");
const { MediaContextProvider, Media } = AppMedia;

// parsed in an inert document: nothing in the comment loads or runs
const hasText = (html) =>
  new DOMParser().parseFromString(html, "text/html").body.textContent.trim() !== "";

/**
 * An action's modal trigger (a button; a menu item on mobiles) and its button in
 * the modal, as invenio-requests lays them out: ICON, LABEL (a function, read
 * when rendered) and Semantic UI colour props for each (e.g. `{ positive: true }`).
 */
const labelledAction = ({ icon, label: text, triggerColor = {}, buttonColor = {} }) => {
  const propTypes = {
    onClick: PropTypes.func.isRequired,
    loading: PropTypes.bool,
    ariaAttributes: PropTypes.object,
    size: PropTypes.string,
  };
  const defaultProps = { loading: false, ariaAttributes: {}, size: "mini" };
  const Trigger = ({ onClick, loading, ariaAttributes, size }) => (
    <MediaContextProvider>
      <Media greaterThanOrEqual="tablet">
        <Button
          icon={icon}
          labelPosition="left"
          content={text()}
          onClick={onClick}
          loading={loading}
          disabled={loading}
          size={size}
          className="ml-5"
          {...triggerColor}
          {...ariaAttributes}
        />
      </Media>
      <Media at="mobile">
        <Dropdown.Item icon={icon} onClick={onClick} content={text()} />
      </Media>
    </MediaContextProvider>
  );
  const ActionButton = ({ onClick, loading, size }) => (
    <Button
      icon={icon}
      labelPosition="left"
      content={text()}
      onClick={onClick}
      loading={loading}
      disabled={loading}
      size={size}
      {...buttonColor}
    />
  );
  Trigger.propTypes = propTypes;
  Trigger.defaultProps = defaultProps;
  ActionButton.propTypes = propTypes;
  ActionButton.defaultProps = defaultProps;
  return { Trigger, ActionButton };
};

const RequestChanges = labelledAction({
  icon: "edit outline", label, buttonColor: { primary: true },
});

// A depositor sends a submission back after changes with `submit`, which
// invenio-requests labels "Request access" (its label for access requests).
const SUBMISSION = "community-submission";
const Resubmit = labelledAction({
  icon: "paper plane outline",
  label: () => consortiumI18next.t("Submit for review again"),
  triggerColor: { positive: true },
  buttonColor: { positive: true },
});

const ResubmitTrigger = (props) =>
  props.requestType === SUBMISSION ? (
    <Resubmit.Trigger {...props} />
  ) : (
    <RequestSubmitModalTrigger {...props} />
  );

const ResubmitButton = (props) =>
  props.requestType === SUBMISSION ? (
    <Resubmit.ActionButton {...props} />
  ) : (
    <RequestSubmitButton {...props} />
  );

ResubmitTrigger.propTypes = { requestType: PropTypes.string };
ResubmitTrigger.defaultProps = { requestType: undefined };
ResubmitButton.propTypes = { requestType: PropTypes.string };
ResubmitButton.defaultProps = { requestType: undefined };

/**
 * An action's trigger and modal as invenio-requests lays them out (CHILDREN),
 * the modal holding a comment editor of ours: required to ask for changes.
 */
class RequestActionWithComment extends Component {
  static contextType = RequestActionContext;

  constructor(props) {
    super(props);
    this.state = { comment: "", missing: false };
  }

  perform = () => {
    const { action } = this.props;
    const { performAction } = this.context;
    const { comment } = this.state;
    if (action === REQUEST_CHANGES && !hasText(comment)) {
      this.setState({ missing: true });
      return;
    }
    performAction(action, comment);
  };

  render() {
    const { action, children } = this.props;
    const { error } = this.context;
    const { comment, missing } = this.state;
    const [trigger, modal] = React.Children.toArray(children);
    const required = action === REQUEST_CHANGES;
    const editorId = `request-action-comment-${action}`;
    let commentLabel = i18next.t("Add comment (optional)");
    if (required) {
      commentLabel = consortiumI18next.t("Tell the depositor what to change (required)");
    }
    return (
      <>
        {trigger}
        {React.cloneElement(
          modal,
          { handleActionClick: this.perform },
          <Modal.Content>
            {error && (
              <Message negative>
                <p>{error}</p>
              </Message>
            )}
            <div className="ui form">
              <Form.Field required={required} error={missing}>
                <label htmlFor={editorId}>{commentLabel}</label>
                <RichEditor
                  id={editorId}
                  inputValue={comment}
                  onEditorChange={(content) => this.setState({ comment: content, missing: false })}
                />
                {missing && (
                  <Message negative size="small" role="alert">
                    {consortiumI18next.t("Say what needs changing.")}
                  </Message>
                )}
              </Form.Field>
            </div>
          </Modal.Content>
        )}
      </>
    );
  }
}

RequestActionWithComment.propTypes = {
  action: PropTypes.string.isRequired,
  children: PropTypes.node.isRequired,
};

export const requestActionOverrides = {
  "InvenioRequests.RequestAction.layout": RequestActionWithComment,
  [`RequestActionModalTrigger.${REQUEST_CHANGES}`]: RequestChanges.Trigger,
  [`RequestActionButton.${REQUEST_CHANGES}`]: RequestChanges.ActionButton,
  "RequestActionModalTrigger.submit": ResubmitTrigger,
  "RequestActionButton.submit": ResubmitButton,
  [`RequestActionModal.title.${REQUEST_CHANGES}`]: () =>
    consortiumI18next.t("Ask the depositor for changes"),
};
