"""An image's dimensions, read when its upload is committed, so that IIIF manifests can
give each page its canvas. In the commit itself, not in InvenioRDM's file metadata task:
a work published seconds after its upload (a depositor, the demo, an import) would be
published before the task ran, and its pages would have no dimensions.

InvenioRDM's own extractor needs pyvips or Wand: both load the system's libxml2 into the
process, which then refuses xmlsec (SAML: "lxml & xmlsec libxml2 library version
mismatch", measured with Debian's libvips42). Pillow, already there for the IIIF Image
API, reads only the image's header from the stream."""

from flask import current_app
from invenio_records_resources.services.files.components import FileServiceComponent
from PIL import Image, UnidentifiedImageError


class ImageDimensionsComponent(FileServiceComponent):
    """Sets `metadata.width` and `metadata.height` of an image file."""

    def commit_file(self, identity, id_, file_key, record):
        file_record = record.files.get(file_key)
        if file_record is None or file_record.file is None:
            return
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
        file_record.commit()
