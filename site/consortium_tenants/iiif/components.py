"""An image's dimensions, read when its upload is committed (in InvenioRDM's file
metadata task), so that IIIF manifests can give each page its canvas.

InvenioRDM's own extractor needs pyvips or Wand: both load the system's libxml2 into the
process, which then refuses xmlsec (SAML: "lxml & xmlsec libxml2 library version
mismatch", measured with Debian's libvips42). Pillow, already there for the IIIF Image
API, reads only the image's header from the stream."""

from flask import current_app
from invenio_records_resources.services.files.components import FileServiceComponent
from PIL import Image, UnidentifiedImageError


class ImageDimensionsComponent(FileServiceComponent):
    """Sets `metadata.width` and `metadata.height` of an image file."""

    def extract_file_metadata(self, identity, id_, file_key, record, file_record):
        ext = file_key.rsplit(".", 1)[-1].lower() if "." in file_key else ""
        if ext not in current_app.config["RDM_IIIF_MANIFEST_FORMATS"]:
            return
        metadata = file_record.metadata or {}
        if metadata.get("width", 0) > 0 and metadata.get("height", 0) > 0:
            return
        try:
            with file_record.open_stream("rb") as stream, Image.open(stream) as image:
                width, height = image.size
        except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
            current_app.logger.info("%s of %s is not a readable image", file_key, id_)
            return
        file_record.metadata = {**metadata, "width": width, "height": height}
