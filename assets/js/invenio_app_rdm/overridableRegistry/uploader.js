// The deposit form's uploader (InvenioRDM's Uppy uploader, invenio-rdm-records
// deposit/fields/UppyUploader), configured by the instance:
// - multipart threshold: files larger than the page's consortium-multipart-threshold
//   (CONSORTIUM_STORAGE_MULTIPART_THRESHOLD, rendered by our deposit template) go
//   straight to S3 in parts, smaller ones through the app in one request. InvenioRDM
//   decides by its part size (5 MiB); its plugin takes Uppy's `shouldUseMultipart`
//   option, set here through Uppy's plugin API (setOptions). The parts stay InvenioRDM's.
// - a refused upload says why: Uppy shows "Failed to upload <file>" and keeps the
//   server's reason (e.g. the library's quota, 413 at initialisation) behind a tooltip;
//   here the reason is shown too, as InvenioRDM already does on its one-request path.
// - files upload as soon as they are added (Uppy's autoProceed; InvenioRDM waits for a
//   second "Upload" button in the uploader, which people who drop a file and press
//   Save never find: the draft was saved without the file and Submit stayed disabled).
// - Uppy's Dashboard marks its inline panel aria-modal="false", an attribute its
//   role-less element may not have (axe: aria-allowed-attr); it is removed here.
// Rendered as InvenioRDM's layout ("ReactInvenioDeposit.FileUploader.layout": a grid of
// its rows, given here as className and children), inside an element we watch.
import React, { useEffect, useRef } from "react";
import PropTypes from "prop-types";
import { Grid } from "semantic-ui-react";

const UPLOADER_PLUGIN = "RDMUppyUploaderPlugin";

/** The page's multipart threshold in bytes, or null when the page has none. */
export const multipartThreshold = () => {
  const input = document.querySelector("input[name='consortium-multipart-threshold']");
  const value = input ? JSON.parse(input.value) : null;
  return Number.isInteger(value) && value >= 0 ? value : null;
};

const useMultipartThreshold = (uppy) => {
  useEffect(() => {
    const threshold = multipartThreshold();
    const plugin = uppy?.getPlugin(UPLOADER_PLUGIN);
    if (threshold === null || !plugin) {
      return;
    }
    const { isTransferSupported, transferType } = plugin.opts;
    plugin.setOptions({
      shouldUseMultipart: (file) =>
        file.size > threshold && isTransferSupported(transferType.MULTIPART),
    });
  }, [uppy]);
};

const useUploadOnAdd = (uppy) => {
  useEffect(() => {
    uppy?.setOptions({ autoProceed: true });
  }, [uppy]);
};

const ERROR_SHOWN_MS = 15000;

const useVisibleUploadErrors = (uppy) => {
  useEffect(() => {
    if (!uppy) {
      return undefined;
    }
    const showReason = (file, error) => {
      const reason = error?.message;
      const shown = (uppy.getState().info || []).some((info) => info.message === reason);
      if (reason && !shown) {
        uppy.info(reason, "error", ERROR_SHOWN_MS);
      }
    };
    uppy.on("upload-error", showReason);
    return () => uppy.off("upload-error", showReason);
  }, [uppy]);
};

const removeInlineAriaModal = (root) =>
  root
    .querySelectorAll(".uppy-Dashboard-inner[aria-modal='false']")
    .forEach((panel) => panel.removeAttribute("aria-modal"));

const useNoInlineAriaModal = (ref) => {
  useEffect(() => {
    const root = ref.current;
    if (!root) {
      return undefined;
    }
    removeInlineAriaModal(root);
    // the Dashboard mounts later when files get enabled, and again after a remount
    const observer = new MutationObserver(() => removeInlineAriaModal(root));
    observer.observe(root, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["aria-modal"],
    });
    return () => observer.disconnect();
  }, [ref]);
};

const UploaderLayout = ({ uppy, className, children }) => {
  const ref = useRef(null);
  useMultipartThreshold(uppy);
  useUploadOnAdd(uppy);
  useVisibleUploadErrors(uppy);
  useNoInlineAriaModal(ref);
  return (
    <div ref={ref}>
      <Grid className={className}>{children}</Grid>
    </div>
  );
};

UploaderLayout.propTypes = {
  uppy: PropTypes.object,
  className: PropTypes.string,
  children: PropTypes.node,
};

UploaderLayout.defaultProps = {
  uppy: undefined,
  className: "file-uploader",
  children: null,
};

export const uploaderOverrides = {
  "ReactInvenioDeposit.FileUploader.layout": UploaderLayout,
};
