// The library's settings page (InvenioCommunities' community profile form,
// /communities/<slug>/settings).
//
// Its picture uploader ("InvenioCommunities.CommunityProfileForm.LogoUploader.
// ProfilePicture": the override gets the props of InvenioRDM's <LogoUploader>) wrote
// the largest size "1.00 MB" on every page (react-invenio-forms formats it in English
// before the sentence is translated), refused a larger file only in the console (the
// form said nothing) and let through up to 5 MB. Here the size is written as the page's
// language writes numbers ("500,0 kB"), the limit is the page's (the instance's:
// CONSORTIUM_LOGO_MAX_SIZE), and a refused file says why; uploads, deletion and their
// errors go as InvenioRDM's do. Its type field gets a name (below).
import React, { useState } from "react";
import PropTypes from "prop-types";
import { useDropzone } from "react-dropzone";
import { Image, SelectField } from "react-invenio-forms";
import { Button, Divider, Header, Icon, Message } from "semantic-ui-react";
import { CommunityApi } from "@js/invenio_communities/api";
import { DeleteButton } from "@js/invenio_communities/settings/profile/DeleteButton";
import { i18next as communitiesI18next } from "@translations/invenio_communities/i18next";
import { i18next } from "../../../translations/consortium/i18next";
import { formatSize } from "./uploader";

const PICTURE_TYPES = ".jpeg,.jpg,.png,.svg"; // what the instance takes as a logo

/** The logo's address with a new query, so the browser fetches it again. */
const freshUrl = (url) => {
  const fresh = new URL(url, window.location.href);
  fresh.searchParams.set("no-cache", Date.now().toString());
  return fresh.toString();
};

export const LibraryPictureUploader = ({
  community,
  hasLogo,
  defaultLogo,
  onError,
  logoMaxSize,
}) => {
  const [logoUrl, setLogoUrl] = useState(community.links.logo);
  const [changed, setChanged] = useState(false);
  const [exists, setExists] = useState(hasLogo);
  const [refusal, setRefusal] = useState("");
  const maxSize = formatSize(logoMaxSize);

  const shown = (present) => {
    setLogoUrl(freshUrl(logoUrl));
    setChanged(true);
    setExists(present);
  };

  const upload = async ([file]) => {
    setRefusal("");
    try {
      await new CommunityApi().updateLogo(community.id, file);
      shown(true);
      onError({ response: { data: { message: "", errors: null, status: null } } });
    } catch (error) {
      onError(error);
    }
  };

  const refuse = ([rejected]) => {
    const tooLarge = (rejected?.errors || []).some(({ code }) => code === "file-too-large");
    setRefusal(
      tooLarge
        ? i18next.t("The picture is larger than {{size}}.", { size: maxSize })
        : i18next.t("The picture must be a PNG, JPEG or SVG file.")
    );
  };

  const remove = async () => {
    await new CommunityApi().deleteLogo(community.id);
    shown(false);
  };

  const { getRootProps, getInputProps, open } = useDropzone({
    onDropAccepted: upload,
    onDropRejected: refuse,
    preventDropOnDocument: true,
    multiple: false,
    maxFiles: 1,
    maxSize: logoMaxSize,
    accept: PICTURE_TYPES,
    noClick: true,
    noDrag: true,
    noKeyboard: true,
  });

  return (
    <>
      <div {...getRootProps()}>
        <input {...getInputProps()} />
        <Header as="h2" size="small" className="mt-0">
          {communitiesI18next.t("Profile picture")}
        </Header>
        <Image
          key={logoUrl}
          src={logoUrl}
          alt=""
          fallbackSrc={defaultLogo}
          loadFallbackFirst
          fluid
          wrapped
          rounded
          className="community-logo settings"
        />
        <Divider hidden />
      </div>
      <Button
        fluid
        icon
        labelPosition="left"
        type="button"
        onClick={open}
        className="rel-mt-1 rel-mb-1"
        aria-describedby="library-picture-size"
      >
        <Icon name="upload" />
        {communitiesI18next.t("Upload new picture")}
      </Button>
      <p className="helptext" id="library-picture-size">
        {communitiesI18next.t("File must be smaller than {{fileSize}}", { fileSize: maxSize })}
      </p>
      {refusal && <Message negative size="small" role="alert" content={refusal} />}
      {exists && (
        <DeleteButton
          id="delete-picture-button"
          label={communitiesI18next.t("Delete picture")}
          confirmationMessage={
            <Header as="h2" size="medium">
              {communitiesI18next.t("Are you sure you want to delete this picture?")}
            </Header>
          }
          onDelete={remove}
          onError={onError}
        />
      )}
      {changed && (
        <Message
          info
          icon="warning circle"
          size="small"
          content={communitiesI18next.t(
            "It may take a few moments for changes to be visible everywhere"
          )}
        />
      )}
    </>
  );
};

LibraryPictureUploader.propTypes = {
  community: PropTypes.object.isRequired,
  hasLogo: PropTypes.bool.isRequired,
  defaultLogo: PropTypes.string.isRequired,
  onError: PropTypes.func.isRequired,
  logoMaxSize: PropTypes.number.isRequired,
};

// The community's type: its <label for="metadata.type.id"> named no element, the
// dropdown's search box has no id (axe: label); the box gets that id, as the form's
// organisations box gets its field's. The override gets InvenioRDM's <SelectField> props
// and the community (not the field's).
// eslint-disable-next-line no-unused-vars, react/prop-types
const TypeField = ({ community, ...props }) => (
  <SelectField {...props} searchInput={{ id: props.fieldPath }} />
);

TypeField.propTypes = {
  fieldPath: PropTypes.string.isRequired,
};

export const communitySettingsOverrides = {
  "InvenioCommunities.CommunityProfileForm.LogoUploader.ProfilePicture": LibraryPictureUploader,
  "InvenioCommunities.CommunityProfileForm.SelectField.MetadataType": TypeField,
};
