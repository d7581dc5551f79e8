"""Library logos: PNG, JPEG or SVG only, size-limited; SVG stripped of active content."""

from flask import current_app
from lxml import etree
from marshmallow import ValidationError

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
SVG_NS = "http://www.w3.org/2000/svg"
DANGEROUS_TAGS = {"script", "foreignObject", "iframe", "embed", "object", "handler"}
LINK_ATTRS = {"href", "{http://www.w3.org/1999/xlink}href"}


def _logo_error(message):
    return ValidationError({"logo": [message]})


def sanitise_svg(data):
    """The SVG without scripts, event handlers, foreign content or external links."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise _logo_error(f"Not a well-formed SVG: {e}.")
    if etree.QName(root).localname != "svg":
        raise _logo_error("The SVG's root element must be <svg>.")
    for element in list(root.iter()):
        if not isinstance(element.tag, str):  # comments, processing instructions
            element.getparent().remove(element)
            continue
        if etree.QName(element).localname in DANGEROUS_TAGS:
            element.getparent().remove(element)
            continue
        for attr in list(element.attrib):
            value = element.attrib[attr].strip().lower()
            name = etree.QName(attr).localname.lower()
            if name.startswith("on") or (attr in LINK_ATTRS and not value.startswith("#")):
                del element.attrib[attr]
            elif "javascript:" in value or "url(" in value and "url(#" not in value:
                del element.attrib[attr]
    return etree.tostring(root)


def validate_logo(data):
    """The logo's bytes (SVG sanitised) if acceptable; ValidationError otherwise."""
    limit = current_app.config["CONSORTIUM_LOGO_MAX_SIZE"]
    if not data:
        raise _logo_error("The logo is empty.")
    if len(data) > limit:
        raise _logo_error(f"The logo has {len(data)} bytes; at most {limit} are allowed.")
    if data.startswith((PNG, JPEG)):
        return data
    if b"<svg" in data[:2048]:
        return sanitise_svg(data)
    raise _logo_error("Only PNG, JPEG or SVG logos are accepted.")
