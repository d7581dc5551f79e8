"""IIIF tiles of published images: pyramidal TIFFs made in the background, served by
IIPImage (iipsrv) through the web app's access check.

InvenioRDM v14 has the pieces (RFC rdm-0075): a record-files processor run at publish
(`RDM_RECORD_FILE_PROCESSORS`), a converter interface (`ImageConverter`), a tiles
directory (`IIIF_TILES_STORAGE_BASE_PATH`, laid out by record id) and a proxy hook of its
IIIF resource (`IIIF_PROXY_CLASS`). Its own converter and storage are fixed to pyvips,
which cannot live in this app (pyvips loads the system libxml2, after which xmlsec
refuses to load: SAML down). So:

- `VipsCommandConverter` is an `ImageConverter` that runs Debian's `vips` command in a
  process of its own;
- `TilesProcessor` (at publish and when an embargo lifts) queues `generate_tiles` for
  each image of a published work, and removes at once the tiles of files no longer in
  it. Tiles of a work whose files are public live under
  `<IIIF_TILES_STORAGE_BASE_PATH>/public/`, those of a work whose files are restricted
  apart, under `…/restricted/`: a work whose files change openness loses its tiles in
  the other folder at once (and gets them made again in its own); a deleted work loses
  them all (`components.TilesCleanupComponent`);
- `TilesProxy` answers a page's `info.json` and image requests from iipsrv when the page
  has tiles in its work's folder, after the same checks as InvenioRDM's file read (a
  restricted work is refused exactly as its files are, and shown to those who may read
  them); without tiles, or when iipsrv fails, the request goes on to InvenioRDM's Pillow
  path (same URL: a manifest stays valid whether or not the tiles are there yet).
- A PDF of a work gets one pyramidal TIFF per page (`vips` renders the page with
  poppler; at most `CONSORTIUM_IIIF_PDF_MAX_PAGES`), then `<file>.pages.json` with the
  pages' sizes, which the manifest reads to give each page a canvas. A page is the Image
  API identifier `record:<id>:<file>.page-<n>`, served by `TilesProxy` after the access
  check of the PDF itself; a page without tiles has no canvas (InvenioRDM's path finds
  no such file: 404, or the PDF's refusal).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from textwrap import wrap
from urllib.parse import quote

import requests
from celery import shared_task
from PIL import Image
from flask import Response, current_app, g, request
from flask_iiif.api import IIIFImageAPIWrapper
from flask_iiif.errors import IIIFValidatorError, MultimediaImageFormatError
from flask_resources import resource_requestctx
from invenio_rdm_records.proxies import current_rdm_records_service
from invenio_rdm_records.records.processors.base import RecordFilesProcessor
from invenio_rdm_records.resources.iiif import IIIFProxy
from invenio_rdm_records.services.errors import RecordDeletedException
from invenio_rdm_records.services.iiif.converter import ImageConverter
from invenio_i18n import gettext as _
from invenio_pidstore.errors import PIDDeletedError, PIDDoesNotExistError, PIDUnregistered
from invenio_records_resources.services.errors import FileKeyNotFoundError
from invenio_records_resources.services.uow import TaskOp

SUFFIX = ".ptif"
SOURCE_SUFFIX = ".source"  # the checksum of the file the tiles were made from
PAGES_SUFFIX = ".pages.json"  # a PDF's pages, written once all its pages have tiles
# Beside each TIFF: the image's size and the tile grid's starts (empty files x0, x256, …,
# y0, y256, … below the width and height). The platform's nginx serves a public tile
# without the app only when its region starts on the grid inside the image: iipsrv spends
# seconds of CPU on a region that starts outside the image (measured: 14 s for one
# request), so such requests go to the app, which refuses them (TilesProxy.check_region).
GRID_SUFFIX = ".grid"
REGION = re.compile(r"(?P<pct>pct:)?(?P<x>\d+(?:\.\d+)?),(?P<y>\d+(?:\.\d+)?),"
                    r"(?P<w>\d+(?:\.\d+)?),(?P<h>\d+(?:\.\d+)?)")
SIZE = re.compile(r"full|max|(?P<fit>!)?(?P<w>\d+)?,(?P<h>\d+)?|pct:(?P<pct>\d+(?:\.\d+)?)")
ROTATIONS = {"0", "90", "180", "270"}
QUALITIES = {"default", "color", "gray", "bitonal"}
PAGE = re.compile(r"^(?P<pdf>.+\.pdf)\.page-(?P<number>[1-9][0-9]*)$", re.IGNORECASE)


PUBLIC, RESTRICTED = "public", "restricted"  # the tiles' folders, by the files' openness
AREAS = (PUBLIC, RESTRICTED)


# --- where tiles live ---------------------------------------------------------
def tiles_root(area=PUBLIC):
    """`IIIF_TILES_STORAGE_BASE_PATH/<area>` (relative: under the instance folder)."""
    base = Path(current_app.config["IIIF_TILES_STORAGE_BASE_PATH"])
    if not base.is_absolute():
        base = Path(current_app.instance_path) / base
    return base / area


def area_of(access):
    """The folder of the tiles of a work with this access (a record's `access` field or
    its dump): public files' tiles apart from restricted ones'."""
    files = access.protection.files if hasattr(access, "protection") else (access or {}).get("files")
    return PUBLIC if files == "public" else RESTRICTED


def record_path(recid):
    """A record's folder below the root, InvenioRDM's layout: `ab/cd/efghi_`."""
    parts = wrap(recid.ljust(4, "_"), 2)
    rest = "".join(parts[2:])
    return f"{parts[0]}/{parts[1]}/{rest}_"


def tiles_file(recid, key, area=PUBLIC):
    """The pyramidal TIFF of a record's file."""
    return tiles_root(area) / record_path(recid) / f"{key}{SUFFIX}"


def tiles_ready(recid, key, area=PUBLIC):
    """Whether the file has its tiles (written completely: they appear by a rename)."""
    return tiles_file(recid, key, area).is_file()


def tileable(key):
    ext = key.rsplit(".", 1)[-1].lower() if "." in key else ""
    return ext in current_app.config["IIIF_TILES_VALID_EXTENSIONS"] or is_pdf(key)


def is_pdf(key):
    return key.lower().endswith(".pdf")


def page_key(pdf_key, number):
    """The Image API key (and tiles name) of a PDF's page (from 1)."""
    return f"{pdf_key}.page-{number}"


def pages_file(recid, pdf_key, area=PUBLIC):
    return tiles_root(area) / record_path(recid) / f"{pdf_key}{PAGES_SUFFIX}"


def pdf_pages(recid, pdf_key, area=PUBLIC):
    """The sizes [(width, height), …] of a PDF's pages that have tiles, or [] before
    they are made."""
    try:
        pages = json.loads(pages_file(recid, pdf_key, area).read_text())["pages"]
        return [(int(width), int(height)) for width, height in pages]
    except (OSError, ValueError, KeyError, TypeError):
        return []


def owner_key(name):
    """The file key a name in the tiles folder belongs to."""
    key = name.removesuffix(GRID_SUFFIX).removesuffix(PAGES_SUFFIX).removesuffix(SOURCE_SUFFIX)
    key = key.removesuffix(SUFFIX)
    page = PAGE.match(key)
    return page["pdf"] if page else key


# --- making them --------------------------------------------------------------
class VipsCommandConverter(ImageConverter):
    """InvenioRDM's converter interface over the `vips` command (libvips-tools): the
    image in, a tiled pyramidal TIFF (JPEG tiles) out, in a process of its own."""

    default_params = {"compression": "jpeg", "Q": 90, "tile_width": 256, "tile_height": 256}

    def command(self, source, target):
        params = {**self.default_params, **self.params}
        return [current_app.config["CONSORTIUM_IIIF_VIPS"], "tiffsave", str(source),
                str(target), "--tile", "--pyramid",
                "--compression", str(params["compression"]), "--Q", str(params["Q"]),
                "--tile-width", str(params["tile_width"]),
                "--tile-height", str(params["tile_height"])]

    def convert(self, in_stream, out_stream):
        with tempfile.TemporaryDirectory(prefix="tiles-") as tmp:
            source, target = Path(tmp) / "source", Path(tmp) / "tiles.tif"
            with source.open("wb") as out:
                shutil.copyfileobj(in_stream, out, 1 << 20)
            try:
                done = subprocess.run(
                    self.command(source, target), capture_output=True, text=True,
                    timeout=current_app.config["CONSORTIUM_IIIF_TILES_TIMEOUT"])
            except (OSError, subprocess.TimeoutExpired) as exc:
                current_app.logger.warning("vips could not convert the image: %s", exc)
                return False
            if done.returncode != 0:
                current_app.logger.warning("vips refused the image: %s", done.stderr.strip())
                return False
            with target.open("rb") as tiles:
                shutil.copyfileobj(tiles, out_stream, 1 << 20)
        return True


def grid_folder(target):
    return target.with_name(target.name + GRID_SUFFIX)


def write_grid(target, width, height):
    """The size and grid starts of the TIFF TARGET (see GRID_SUFFIX), replaced whole."""
    step = int(VipsCommandConverter.default_params["tile_width"])
    folder = grid_folder(target)
    partial = folder.with_name(f".{folder.name}.{os.getpid()}.part")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    (partial / "size").write_text(f"{width} {height}")
    for axis, length in (("x", width), ("y", height)):
        for start in range(0, length, step):
            (partial / f"{axis}{start}").touch()
    shutil.rmtree(folder, ignore_errors=True)
    os.replace(partial, folder)


def grid_size(target):
    """(width, height) of the TIFF TARGET from its grid folder, or None."""
    try:
        width, height = (grid_folder(target) / "size").read_text().split()
        return int(width), int(height)
    except (OSError, ValueError):
        return None


def grid_from_header(tiff, target):
    """The grid of TARGET from the size `vipsheader` reads in TIFF (TARGET itself, or the
    file about to become it); without a size, none (the app serves its tiles)."""
    header = current_app.config["CONSORTIUM_IIIF_VIPSHEADER"]
    size = [vips_run([header, "-f", field, str(tiff)], f"the tiles {target.name}")
            for field in ("width", "height")]
    try:
        write_grid(target, int(size[0]), int(size[1]))
    except (TypeError, ValueError):
        shutil.rmtree(grid_folder(target), ignore_errors=True)


def ensure_grid(target):
    """The grid of a TIFF made before grids were."""
    if grid_size(target) is None:
        grid_from_header(target, target)


def vips_run(args, what):
    """Run `vips` (or `vipsheader`) ARGS; its standard output, or None (logged)."""
    try:
        done = subprocess.run(args, capture_output=True, text=True,
                              timeout=current_app.config["CONSORTIUM_IIIF_TILES_TIMEOUT"])
    except (OSError, subprocess.TimeoutExpired) as exc:
        current_app.logger.warning("vips could not read %s: %s", what, exc)
        return None
    if done.returncode != 0:
        current_app.logger.warning("vips refused %s: %s", what, done.stderr.strip())
        return None
    return done.stdout


def make_pdf_pages(record_id, file_key, file_record, checksum, area):
    """One pyramidal TIFF per page of a PDF (at most CONSORTIUM_IIIF_PDF_MAX_PAGES), then
    the pages file that makes them visible; skipped when made from this content."""
    done = pages_file(record_id, file_key, area)
    try:
        if json.loads(done.read_text()).get("source") == checksum:
            return
    except (OSError, ValueError, AttributeError):
        pass
    done.unlink(missing_ok=True)  # no canvases from another content while pages are made
    folder = done.parent
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pages-") as tmp:
        source = Path(tmp) / "source.pdf"
        with file_record.open_stream("rb") as stream, source.open("wb") as out:
            shutil.copyfileobj(stream, out, 1 << 20)
        count = vips_run([current_app.config["CONSORTIUM_IIIF_VIPSHEADER"], "-f", "n-pages",
                          str(source)], f"the PDF {file_key} of {record_id}")
        try:
            count = int((count or "").strip())
        except ValueError:
            return
        count = min(count, current_app.config["CONSORTIUM_IIIF_PDF_MAX_PAGES"])
        sizes = []
        for number in range(1, count + 1):
            target = tiles_file(record_id, page_key(file_key, number), area)
            partial = Path(tmp) / f"page-{number}.tif"
            dpi = current_app.config["CONSORTIUM_IIIF_PDF_DPI"]
            page = f"{source}[page={number - 1},dpi={dpi}]"
            if vips_run(VipsCommandConverter().command(page, partial),
                        f"page {number} of {file_key} of {record_id}") is None:
                break
            try:
                with Image.open(partial) as image:  # its header only
                    sizes.append(list(image.size))
            except (OSError, Image.DecompressionBombError) as exc:
                current_app.logger.warning("page %s of %s of %s unreadable: %s", number,
                                           file_key, record_id, exc)
                break
            moving = target.with_name(f".{target.name}.{os.getpid()}.part")
            shutil.move(partial, moving)  # the temporary folder may be another filesystem
            write_grid(target, *sizes[-1])
            os.replace(moving, target)
    # pages that went from the PDF (a new version with fewer pages)
    for path in folder.glob(f"{glob_escape(file_key)}.page-*{SUFFIX}*"):
        page = PAGE.match(path.name.removesuffix(GRID_SUFFIX).removesuffix(SUFFIX))
        if page and int(page["number"]) > len(sizes):
            remove_path(path)
    if sizes:
        partial = done.with_name(f".{done.name}.{os.getpid()}.part")
        partial.write_text(json.dumps({"source": checksum, "pages": sizes}))
        os.replace(partial, done)
    else:
        done.unlink(missing_ok=True)


def glob_escape(text):
    return re.sub(r"([*?[])", r"[\1]", text)


@shared_task(ignore_result=True, acks_late=True)
def generate_tiles(record_id, file_key):
    """Make the tiles of one published file (skipped when they exist for its content):
    an image's, or each page's of a PDF, in the folder of the work's files' openness."""
    record = current_rdm_records_service.record_cls.pid.resolve(record_id)
    file_record = record.files.get(file_key) if record.files.enabled else None
    if file_record is None or record.deletion_status.is_deleted:
        return
    area = area_of(record.access)
    checksum = file_record.file.file_model.checksum or ""
    if is_pdf(file_key):
        make_pdf_pages(record_id, file_key, file_record, checksum, area)
        return
    target = tiles_file(record_id, file_key, area)
    marker = target.with_name(target.name + SOURCE_SUFFIX)
    if target.is_file() and marker.is_file() and marker.read_text() == checksum:
        ensure_grid(target)
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.part")
    try:
        with file_record.open_stream("rb") as source, partial.open("wb") as out:
            converted = VipsCommandConverter().convert(source, out)
        if converted:
            marker.write_text(checksum)
            grid_from_header(partial, target)
            os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def remove_tiles(recid, keep=(), areas=AREAS):
    """Delete a record's tiles (in AREAS) except those of the files in KEEP."""
    for area in areas:
        folder = tiles_root(area) / record_path(recid)
        if not folder.is_dir():
            continue
        for path in folder.iterdir():
            key = owner_key(path.name)
            if key not in keep or path.name.startswith("."):
                remove_path(path)


def remove_path(path):
    """A file of the tiles folder, or a grid folder."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


class TilesProcessor(RecordFilesProcessor):
    """At publish (and when an embargo lifts): tiles for the images and PDFs of a work,
    queued after the commit, in the folder of its files' openness."""

    def _can_process(self, draft, record):
        return bool(current_app.config.get("IIIF_TILES_GENERATION_ENABLED"))

    def _process(self, draft, record, uow=None):
        for key in tiles_wanted(record):
            uow.register(TaskOp(generate_tiles, record_id=record.pid.pid_value, file_key=key))


def tiles_wanted(record):
    """The keys of a published record's files that should have tiles (its images and
    PDFs); the tiles of any other file of it are removed now, and all those in the
    other folder (a work whose files were public and are restricted now, or the
    reverse: never a public tile of a restricted file)."""
    keys = [key for key in (record.files.entries if record.files.enabled else {})
            if tileable(key)]
    area = area_of(record.access)
    remove_tiles(record.pid.pid_value, keep=set(keys), areas=[area])
    remove_tiles(record.pid.pid_value, areas=[a for a in AREAS if a != area])
    return keys


def regenerate(recids=None, now=False):
    """`invenio tenants tiles`: the tiles of these published records (None: all), queued
    for the worker or (NOW) made here; yields (record id, number of images)."""
    record_cls = current_rdm_records_service.record_cls
    if recids is None:
        model = record_cls.model_cls
        recids = [m.json["id"] for m in model.query.filter(model.json.isnot(None)).yield_per(500)]
    for recid in recids:
        try:
            record = record_cls.pid.resolve(recid)
        except (PIDDoesNotExistError, PIDDeletedError, PIDUnregistered):
            remove_tiles(recid)
            yield recid, None
            continue
        if record.deletion_status.is_deleted:
            remove_tiles(recid)
            yield recid, 0
            continue
        keys = tiles_wanted(record)
        for key in keys:
            if now:
                generate_tiles(recid, key)
            else:
                generate_tiles.delay(recid, key)
        yield recid, len(keys)


# --- serving them -------------------------------------------------------------
_local = threading.local()


def _session():
    if not hasattr(_local, "session"):
        _local.session = requests.Session()
    return _local.session


class TilesProxy(IIIFProxy):
    """`IIIF_PROXY_CLASS`: a page with tiles is answered by iipsrv (`RDM_IIIF_SERVER_URL`)."""

    @staticmethod
    def readable_record(recid, key):
        """The decision of InvenioRDM's file read (`get_file_content`, which the on-the-fly
        path calls): the record by its id, the file by its key (404), the files service's
        `get_content_files` permission for the caller (403), a deleted record only for
        those who may read deleted files (410). The same checks, without loading every file
        row of the record as that read does (300 rows per tile of a 300-page book)."""
        files = current_rdm_records_service.files
        record = files.record_cls.pid.resolve(recid, registered_only=False)
        file_cls = record.files.file_cls  # one row (FileRecord.get_by_key finds none)
        row = file_cls.model_cls.query.filter(
            file_cls.model_cls.record_id == record.id, file_cls.model_cls.key == key,
            file_cls.model_cls.is_deleted != True).first()  # noqa: E712
        if row is None:
            raise FileKeyNotFoundError(recid, key)
        # the policy's transfer-type condition reads it from file_metadata when given
        # (else from every file of the record)
        transfer = file_cls(row.data, model=row).transfer.transfer_type
        files.require_permission(g.identity, "get_content_files", record=record, file_key=key,
                                 file_metadata={"transfer": {"type": transfer}})
        if record.deletion_status.is_deleted and not files.check_permission(
                g.identity, "read_deleted_files", record=record):
            raise RecordDeletedException(record)
        return record

    @staticmethod
    def validate_page_request(uuid):
        """A PDF page's image request, checked as InvenioRDM checks an image's (its path,
        which explains a bad request in the request's language, has no file for a page)."""
        args = resource_requestctx.view_args
        if "image_format" not in args:
            return  # info.json
        IIIFImageAPIWrapper.validate_api(
            uuid=uuid, region=args["region"], size=args["size"], rotation=args["rotation"],
            quality=args["quality"], image_format=args["image_format"])
        formats = current_app.config["IIIF_FORMATS"]
        if args["image_format"] not in formats:
            raise MultimediaImageFormatError(
                requested_format=args["image_format"], supported_formats=list(formats))

    @staticmethod
    def check_request(target):
        """An image request for a page with tiles, checked before iipsrv is asked, with the
        reasons in the reader's language (flask-iiif's own are English only): the region,
        the size, the rotation and the quality as the Image API writes them; a region that
        starts outside the image (iipsrv spends seconds of CPU on one) and a size larger than
        the region (pages are not enlarged: a 5000-pixel render for nothing) are refused.
        The image's size is the grid's (GRID_SUFFIX); without one only the syntax is checked.
        A refusal is a 400 (flask-iiif's IIIFValidatorError, as InvenioRDM answers it)."""
        args = resource_requestctx.view_args
        if "image_format" not in args:
            return  # info.json

        def refuse(parameter, message, **values):
            raise IIIFValidatorError(message=_(message, **values), parameter=parameter,
                                     value=args[parameter])

        region, size, rotation = args["region"], args["size"], args["rotation"]
        found = REGION.fullmatch(region)
        if region not in ("full", "square") and not found:
            refuse("region", "The region %(value)s is not one of the Image API's: full, square, "
                   "x,y,w,h or pct:x,y,w,h.", value=region)
        found_size = SIZE.fullmatch(size)
        if not found_size or ("," in size and not (found_size["w"] or found_size["h"])) or (
                found_size["fit"] and not (found_size["w"] and found_size["h"])):
            refuse("size", "The size %(value)s is not one of the Image API's: full, max, w,, ,h, "
                   "w,h, !w,h or pct:n.", value=size)
        if rotation.lstrip("!") not in ROTATIONS:
            refuse("rotation", "The rotation %(value)s is not supported: 0, 90, 180 or 270 "
                   "degrees.", value=rotation)
        if args["quality"] not in QUALITIES:
            refuse("quality", "The quality %(value)s is not supported: default, color, gray or "
                   "bitonal.", value=args["quality"])
        image = grid_size(target)
        if image is None:
            return
        width, height = image
        if found:
            x, y, w, h = (float(found[n]) for n in ("x", "y", "w", "h"))
            if found["pct"]:
                x, y, w, h = x * width / 100, y * height / 100, w * width / 100, h * height / 100
            if x >= width or y >= height or w <= 0 or h <= 0:
                refuse("region", "The region %(region)s lies outside the image (%(width)s × "
                       "%(height)s pixels).", region=region, width=width, height=height)
            w, h = min(w, width - x), min(h, height - y)
        elif region == "square":
            w = h = min(width, height)
        else:
            w, h = width, height
        if size in ("full", "max"):
            return
        if found_size["pct"]:
            wanted = [float(found_size["pct"]) * w / 100, float(found_size["pct"]) * h / 100]
        else:
            wanted = [float(n) if n else None for n in (found_size["w"], found_size["h"])]
        larger = [n is not None and n > limit + 0.5 for n, limit in zip(wanted, (w, h))]
        # "!w,h" fits the region into the box: larger only when the box is in both directions
        if any(n is not None and n <= 0 for n in wanted) or (
                all(larger) if found_size["fit"] else any(larger)):
            refuse("size", "The size %(size)s is larger than the region asked for (%(width)s × "
                   "%(height)s pixels), or empty: pages are not enlarged.", size=size,
                   width=round(w), height=round(h))

    def proxy_request(self):
        uuid = resource_requestctx.view_args["uuid"]
        parts = uuid.split(":", 2)
        if len(parts) != 3 or parts[0] != "record":
            return None  # drafts have no tiles
        _, recid, key = parts
        if not any(tiles_ready(recid, key, area) for area in AREAS):
            return None  # InvenioRDM's path: its own access check, then Pillow
        page = PAGE.match(key)
        # a PDF's page: the PDF's own access check
        record = self.readable_record(recid, page["pdf"] if page else key)
        area = area_of(record.access)
        if not tiles_ready(recid, key, area):
            return None  # only the tiles of the work's openness (never ones left from before)
        self.check_request(tiles_file(recid, key, area))
        if page:
            self.validate_page_request(uuid)
        rest = request.path.split(uuid, 1)[1]
        url = (current_app.config["RDM_IIIF_SERVER_URL"].rstrip("/") + "/iiif/"
               + quote(f"{area}/{record_path(recid)}/{key}{SUFFIX}{rest}"))
        try:
            answer = _session().get(url, timeout=current_app.config["CONSORTIUM_IIIF_SERVER_TIMEOUT"])
        except requests.RequestException as exc:
            current_app.logger.warning("IIPImage server unavailable: %s", exc)
            return None
        if answer.status_code != 200:
            return None  # InvenioRDM's path answers the request (and explains a bad one)
        # As InvenioRDM's own images: revalidated on every use (a work restricted later
        # leaves no copy that browsers or proxies would go on showing)
        headers = {"Cache-Control": "no-cache"}
        if rest == "/info.json":
            info = answer.json()
            info["@id"] = request.base_url.rsplit("/info.json", 1)[0]
            return Response(json.dumps(info), status=200, headers=headers,
                            content_type="application/ld+json")
        if "Last-Modified" in answer.headers:
            headers["Last-Modified"] = answer.headers["Last-Modified"]
        return Response(answer.content, status=200, headers=headers,
                        content_type=answer.headers.get("Content-Type", "image/jpeg"))
