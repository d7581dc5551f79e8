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
// - a file the server refused (413: the library's quota) cannot succeed by trying
//   again: the "Retry" buttons are hidden while such a file is listed, the reason stays
//   shown until the person removes the file.
// - the storage indicator is the library's: what the library uses of its quota
//   (deposit_storage_limits puts the use at page load in the form's quota; this page's
//   uploads since are added), sizes written as the page's language writes numbers.
// - Uppy's Dashboard marks its inline panel aria-modal="false", an attribute its
//   role-less element may not have (axe: aria-allowed-attr); it is removed here.
// Rendered as InvenioRDM's layout ("ReactInvenioDeposit.FileUploader.layout": a grid of
// its rows, given here as className and children), inside an element we watch.
import React, { useEffect, useRef } from "react";
import PropTypes from "prop-types";
import { useDispatch } from "react-redux";
import { Grid, Header, Label, List } from "semantic-ui-react";
import { FILE_DELETED_SUCCESS } from "@js/invenio_rdm_records/src/deposit/state/types";
import { i18next as rdmI18next } from "@translations/invenio_rdm_records/i18next";
import { i18next } from "../../../translations/consortium/i18next";

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
const STAYS_SHOWN_MS = 24 * 3600 * 1000; // while the refused file is listed
const DASHBOARD = "uppy-uploader-dashboard";

// The server refused the file's declaration (413 over the library's quota, 400 a shape
// it does not take): it never got a place (InvenioRDM keeps the server's file id and
// links in the file's meta once it has one). Sending the same declaration again gets
// the same answer; InvenioRDM's plugin keeps only the server's message, not its status.
const refusedAtDeclaration = (uppy, file) => !uppy.getFile(file.id)?.meta?.links;

const useVisibleUploadErrors = (uppy, dispatch) => {
  useEffect(() => {
    if (!uppy) {
      return undefined;
    }
    const refused = new Map(); // file id -> the server's reason
    const offerRetry = () => {
      const hideRetryButton = refused.size > 0;
      [DASHBOARD, `${DASHBOARD}:StatusBar`].forEach((id) =>
        uppy.getPlugin(id)?.setOptions({ hideRetryButton })
      );
    };
    const showReason = (file, error) => {
      const reason = error?.message;
      if (!reason) {
        return;
      }
      if (file && uppy.getFile(file.id) && refusedAtDeclaration(uppy, file)) {
        if (refused.has(file.id)) {
          return;
        }
        refused.set(file.id, reason);
        offerRetry();
        // InvenioRDM also lists it among the work's files, as failed, with a delete
        // button that has nothing to delete: it is listed once, here, with its reason
        dispatch({ type: FILE_DELETED_SUCCESS, payload: { filename: file.name } });
        uppy.info(reason, "error", STAYS_SHOWN_MS);
        return;
      }
      const shown = (uppy.getState().info || []).some((info) => info.message === reason);
      if (!shown) {
        uppy.info(reason, "error", ERROR_SHOWN_MS);
      }
    };
    const forget = (file) => {
      const reason = refused.get(file?.id);
      if (!refused.delete(file?.id)) {
        return;
      }
      offerRetry();
      if (![...refused.values()].includes(reason)) {
        const { info } = uppy.getState();
        uppy.setState({ info: (info || []).filter((shown) => shown.message !== reason) });
      }
    };
    // a refused file has nothing on the server to delete (InvenioRDM would ask to
    // delete it at no address)
    const plugin = uppy.getPlugin(UPLOADER_PLUGIN);
    const { abortUpload } = plugin?.opts || {};
    if (abortUpload) {
      plugin.setOptions({
        abortUpload: (file) => (file.meta?.links ? abortUpload(file) : undefined),
      });
    }
    uppy.on("upload-error", showReason);
    uppy.on("file-removed", forget);
    return () => {
      uppy.off("upload-error", showReason);
      uppy.off("file-removed", forget);
      if (abortUpload) {
        plugin.setOptions({ abortUpload });
      }
    };
  }, [uppy, dispatch]);
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
  useVisibleUploadErrors(uppy, useDispatch());
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

const DECIMAL_UNITS = [
  ["TB", 1e12],
  ["GB", 1e9],
  ["MB", 1e6],
  ["kB", 1e3],
];

/** Bytes as consortium_tenants.units.format_size writes them, in the page's language. */
export const formatSize = (bytes, language = i18next.language) => {
  const [unit, factor] = DECIMAL_UNITS.find(([, f]) => Math.abs(bytes) >= f) || ["B", 1];
  const digits = factor === 1 ? 0 : 1;
  const number = new Intl.NumberFormat(language, {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(bytes / factor);
  return `${number} ${unit}`;
};

/** The uploader's storage column: the work's files out of the library's limit on files,
 * and the library's storage use out of its quota. */
const sizeOf = (files) => files.reduce((total, file) => total + (file.size || 0), 0);

const LibraryStorage = ({ filesList, filesEnabled, quota }) => {
  const filesSize = sizeOf(filesList); // InvenioRDM's sum is NaN while one has no size yet
  const sizeAtLoad = useRef(filesSize);
  if (!filesEnabled) {
    return null;
  }
  const library = quota?.library;
  const files = (
    <List.Item>
      <Label {...(filesList.length === quota.maxFiles ? { color: "blue" } : {})}>
        {rdmI18next.t("{{length}} out of {{maxfiles}} files", {
          length: filesList.length,
          maxfiles: quota.maxFiles,
        })}
      </Label>
    </List.Item>
  );
  const used = library ? library.used + (filesSize - sizeAtLoad.current) : null;
  return (
    <Grid.Column mobile={16} tablet={12} computer={12} className="storage-col">
      <Header size="tiny" className="mr-10">
        {rdmI18next.t("Storage available")}
      </Header>
      <List horizontal floated="right">
        {files}
        <List.Item>
          {library ? (
            <Label {...(used >= quota.maxStorage ? { color: "blue" } : {})}>
              {i18next.t("Library storage: {{used}} of {{quota}} used", {
                used: formatSize(used),
                quota: formatSize(quota.maxStorage),
              })}
            </Label>
          ) : (
            <Label>
              {i18next.t("{{size}} of {{quota}}", {
                size: formatSize(filesSize),
                quota: formatSize(quota.maxStorage),
              })}
            </Label>
          )}
        </List.Item>
      </List>
    </Grid.Column>
  );
};

LibraryStorage.propTypes = {
  filesList: PropTypes.array,
  filesEnabled: PropTypes.bool,
  quota: PropTypes.object,
};

LibraryStorage.defaultProps = {
  filesList: [],
  filesEnabled: false,
  quota: {},
};

export const uploaderOverrides = {
  "ReactInvenioDeposit.FileUploader.layout": UploaderLayout,
  "ReactInvenioDeposit.FileUploaderToolbar.FileList.container": LibraryStorage,
};
