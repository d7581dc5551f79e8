"""Library logos: PNG, JPEG or SVG only, size-limited.

PNG and JPEG logos must decode (Pillow) within CONSORTIUM_LOGO_MAX_DIMENSION
pixels a side. SVG logos keep only what draws: an allowlist of elements
(shapes, text, gradients, clip paths, masks, simple filters) and attributes;
everything else goes, with no scripts, animation, foreign content or reference
outside the document (links only to `#fragment`, `url(#id)` only).
"""

import io
import re

from flask import current_app
from invenio_i18n import gettext as _
from lxml import etree
from marshmallow import ValidationError
from PIL import Image, ImageDraw, ImageFont

from .theme import text_color

PNG = b"\x89PNG\r\n\x1a\n"
JPEG = b"\xff\xd8\xff"
SVG_NS = "http://www.w3.org/2000/svg"
XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
XML_NS = "http://www.w3.org/XML/1998/namespace"

ELEMENTS = frozenset("""
    svg g defs symbol use title desc a style
    path rect circle ellipse line polyline polygon text tspan textPath
    linearGradient radialGradient stop pattern clipPath mask marker
    filter feBlend feColorMatrix feComponentTransfer feFuncR feFuncG feFuncB feFuncA
    feComposite feDropShadow feFlood feGaussianBlur feMerge feMergeNode feMorphology feOffset
""".split())
"""SVG elements a logo may use. Not: script, foreignObject, image, animation
(set, animate, animateMotion, animateTransform, discard), feImage, switch, …"""

PROPERTIES = frozenset("""
    alignment-baseline baseline-shift clip-path clip-rule color color-interpolation
    color-interpolation-filters display dominant-baseline fill fill-opacity fill-rule filter
    flood-color flood-opacity font font-family font-size font-size-adjust font-stretch
    font-style font-variant font-weight letter-spacing lighting-color marker-end marker-mid
    marker-start mask opacity overflow paint-order shape-rendering stop-color stop-opacity
    stroke stroke-dasharray stroke-dashoffset stroke-linecap stroke-linejoin
    stroke-miterlimit stroke-opacity stroke-width text-anchor text-decoration text-rendering
    transform vector-effect visibility word-spacing writing-mode
""".split())
"""Presentation attributes, and the CSS properties allowed in styles."""

ATTRIBUTES = PROPERTIES | frozenset("""
    id class lang style type href viewBox width height x y version preserveAspectRatio
    d points x1 y1 x2 y2 cx cy r rx ry fx fy fr dx dy rotate pathLength textLength
    lengthAdjust startOffset method spacing side offset gradientUnits gradientTransform
    spreadMethod clipPathUnits maskUnits maskContentUnits patternUnits patternContentUnits
    patternTransform markerWidth markerHeight markerUnits refX refY orient filterUnits
    primitiveUnits in in2 result stdDeviation mode values operator k1 k2 k3 k4 radius
    tableValues slope intercept amplitude exponent edgeMode
""".split()) | {XLINK_HREF, f"{{{XML_NS}}}space", f"{{{XML_NS}}}lang"}
"""Attributes kept on allowed elements (no event handlers, no namespaced extras)."""

FUNCTIONS = frozenset("rgb rgba hsl hsla calc matrix translate translatex translatey scale "
                      "scalex scaley rotate skewx skewy".split())
LOCAL_URL = re.compile(r"""url\(\s*(['"]?)#[\w.:-]+\1\s*\)""", re.IGNORECASE)
FUNCTION = re.compile(r"([\w-]+)\s*\(")
PLAIN_VALUE = re.compile(r"""^[\w\s#%.,:()'"+\-/*!]*$""")
FRAGMENT = re.compile(r"^#[\w.:-]+$")
SELECTOR = re.compile(r"^[\w\s.#,>+~*:-]+$")
RULE = re.compile(r"([^{}]*)\{([^{}]*)\}")


def _logo_error(message):
    return ValidationError({"logo": [message]})


def safe_value(value):
    """Whether an attribute or CSS value is plain: known functions, only `url(#id)`."""
    rest = LOCAL_URL.sub("", value)
    return bool(PLAIN_VALUE.match(rest)) and all(
        name.lower() in FUNCTIONS for name in FUNCTION.findall(rest)
    )


def safe_declarations(css):
    """The `property: value` declarations of CSS whose property and value are allowed."""
    kept = []
    for declaration in css.split(";"):
        prop, colon, value = declaration.partition(":")
        prop, value = prop.strip().lower(), value.strip()
        if colon and prop in PROPERTIES and value and safe_value(value):
            kept.append(f"{prop}:{value}")
    return ";".join(kept)


def safe_stylesheet(css):
    """The rules of a <style> with plain selectors, each with its allowed declarations."""
    rules = []
    for selector, body in RULE.findall(css):
        selector, declarations = selector.strip(), safe_declarations(body)
        if SELECTOR.match(selector) and declarations:
            rules.append(f"{selector}{{{declarations}}}")
    return "".join(rules)


def _clean_attributes(element):
    for name, value in list(element.attrib.items()):
        if name == "style":
            value = safe_declarations(value)
            keep = bool(value)
        elif name in ("href", XLINK_HREF):
            keep = bool(FRAGMENT.match(value.strip()))
        else:
            keep = name in ATTRIBUTES and safe_value(value)
        if keep:
            element.set(name, value)
        else:
            del element.attrib[name]


def _drop(element):
    """Remove ELEMENT and its content, keeping the text that follows it."""
    parent, previous = element.getparent(), element.getprevious()
    if element.tail and previous is not None:
        previous.tail = (previous.tail or "") + element.tail
    elif element.tail:
        parent.text = (parent.text or "") + element.tail
    parent.remove(element)


def _clean(element):
    """Drop what ELEMENT may not hold, recursively."""
    for child in list(element):
        allowed = isinstance(child.tag, str) and child.tag.startswith(f"{{{SVG_NS}}}")
        if not allowed or etree.QName(child).localname not in ELEMENTS:
            _drop(child)  # comments, processing instructions, entities, the unknown
            continue
        _clean_attributes(child)
        if etree.QName(child).localname == "style":
            css = safe_stylesheet(child.text or "")
            if not css:
                _drop(child)
                continue
            child[:] = []
            child.text = css
        _clean(child)


def sanitise_svg(data):
    """The SVG rebuilt from allowed elements and attributes only."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise _logo_error(_("Not a well-formed SVG: %(error)s.", error=e))
    if root.tag != f"{{{SVG_NS}}}svg":
        raise _logo_error(_("The SVG's root element must be <svg> in the namespace %(namespace)s.",
                            namespace=SVG_NS))
    _clean_attributes(root)
    _clean(root)
    etree.cleanup_namespaces(root)
    return etree.tostring(root, encoding="utf-8", xml_declaration=True)


def check_raster(data, image_format):
    """Refuse a PNG or JPEG that does not decode or is too large in pixels."""
    limit = current_app.config["CONSORTIUM_LOGO_MAX_DIMENSION"]
    try:
        with Image.open(io.BytesIO(data), formats=[image_format]) as image:
            width, height = image.size
            if width <= limit and height <= limit:
                image.load()
    except Exception:  # Pillow reports broken images with assorted exceptions
        raise _logo_error(_("The logo is not a readable %(format)s image.", format=image_format))
    if width > limit or height > limit:
        raise _logo_error(_("The logo is %(width)s×%(height)s pixels; at most %(limit)s×%(limit)s "
                            "are allowed.", width=width, height=height, limit=limit))


def validate_logo(data):
    """The logo's bytes (SVG sanitised) if acceptable; ValidationError otherwise."""
    limit = current_app.config["CONSORTIUM_LOGO_MAX_SIZE"]
    if not data:
        raise _logo_error(_("The logo is empty."))
    if len(data) > limit:
        raise _logo_error(_("The logo has %(size)s bytes; at most %(limit)s are allowed.",
                            size=len(data), limit=limit))
    for magic, image_format in ((PNG, "PNG"), (JPEG, "JPEG")):
        if data.startswith(magic):
            check_raster(data, image_format)
            return data
    if b"<svg" in data[:2048]:
        return sanitise_svg(data)
    raise _logo_error(_("Only PNG, JPEG or SVG logos are accepted."))


GENERATED_SIZE = 256
"""Width and height of a generated logo, in pixels."""


def generated_logo(text, background):
    """A PNG logo: TEXT (a library's short name) centred on BACKGROUND (#rrggbb), in
    white or near-black, whichever reads better; long names go on up to three lines.

    Every library gets one when it is created (and `invenio platform init` gives one
    to those without), so no page asks for a logo that answers 404."""
    size, margin = GENERATED_SIZE, GENERATED_SIZE // 10
    image = Image.new("RGB", (size, size), background)
    draw = ImageDraw.Draw(image)
    words = text.split() or ["?"]
    best = None
    for count in range(1, min(3, len(words)) + 1):
        lines = _split(words, count)
        font_size = size // 2
        while font_size > 12:
            font = _font(font_size)
            boxes = [draw.textbbox((0, 0), line, font=font) for line in lines]
            width = max(b[2] - b[0] for b in boxes)
            height = sum(b[3] - b[1] for b in boxes) + (len(lines) - 1) * font_size // 4
            if width <= size - 2 * margin and height <= size - 2 * margin:
                break
            font_size -= 2
        if best is None or font_size > best[0]:
            best = (font_size, lines)
    font_size, lines = best
    font = _font(font_size)
    draw.multiline_text((size / 2, size / 2), "\n".join(lines), font=font, anchor="mm",
                        align="center", fill=text_color(background),
                        spacing=font_size // 4)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _split(words, count):
    """WORDS as COUNT lines of about equal length."""
    lines, per_line = [], -(-len(words) // count)
    for start in range(0, len(words), per_line):
        lines.append(" ".join(words[start:start + per_line]))
    return lines


def _font(size):
    """CONSORTIUM_LOGO_FONT at SIZE (it has Czech letters); Pillow's own font without it."""
    try:
        return ImageFont.truetype(current_app.config["CONSORTIUM_LOGO_FONT"], size)
    except OSError:
        return ImageFont.load_default(size=size)
