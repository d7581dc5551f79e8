"""An image's dimensions, read when its upload is committed, so that IIIF manifests can
give each page its canvas. In the commit itself, not in InvenioRDM's file metadata task:
a work published seconds after its upload (a depositor, the demo, an import) would be
published before the task ran, and its pages would have no dimensions.

InvenioRDM's own extractor needs pyvips or Wand: both load the system's libxml2 into the
process, which then refuses xmlsec (SAML: "lxml & xmlsec libxml2 library version
mismatch", measured with Debian's libvips42). Pillow, already there for the IIIF Image
API, reads only the image's header from the stream."""

from flask import current_app
from invenio_drafts_resources.services.records.components import ServiceComponent
from invenio_records_resources.services.files.components import FileServiceComponent
from invenio_records_resources.services.uow import Operation, TaskOp
from PIL import Image, UnidentifiedImageError

from .tiles import generate_tiles, remove_tiles, tileable


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


class RemoveTilesOp(Operation):
    """A record's tiles removed here, as soon as the change is committed: not by a task,
    whose worker may be late or down, because the platform's nginx serves public tiles
    without asking the app (docker/nginx/consortium/app.conf)."""

    def __init__(self, recid):
        self.recid = recid

    def on_commit(self, uow):
        remove_tiles(self.recid)


class TilesCleanupComponent(ServiceComponent):
    """A record service component: a deleted work's tiles go as soon as the deletion is
    committed, as the work's files do from its page; a restored one gets them again."""

    def delete_record(self, identity, data=None, record=None, **kwargs):
        self.uow.register(RemoveTilesOp(record.pid.pid_value))

    def restore_record(self, identity, record=None, **kwargs):
        if not (current_app.config.get("IIIF_TILES_GENERATION_ENABLED") and record.files.enabled):
            return
        for key in [k for k in record.files.entries if tileable(k)]:
            self.uow.register(TaskOp(generate_tiles, record_id=record.pid.pid_value,
                                     file_key=key))
