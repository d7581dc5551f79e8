"""Library logos: PNG and JPEG decoded and size-capped, SVG reduced to drawing elements."""

import io
import urllib.request

import pytest
from PIL import Image

SVG_OPEN = (b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
            b' width="10" height="10">')
SHAPE = b'<rect width="5" height="5" fill="#123456"/>'


def svg(body, prolog=b""):
    """An SVG logo around BODY, with a harmless shape that must survive."""
    return prolog + SVG_OPEN + body + SHAPE + b"</svg>"


def image_bytes(fmt, size=(40, 20)):
    """A real image in FMT (PNG, JPEG, GIF)."""
    buffer = io.BytesIO()
    Image.new("RGB", size, (139, 30, 63)).save(buffer, fmt)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def logo(app, make_tenant):
    """(upload, stored): send a logo as the library's manager; read the served logo back."""
    tenant, people = make_tenant("logo")
    url = f"/api/tenants/{tenant['slug']}/logo"

    def upload(data, as_people="managers"):
        return app.test_client().put(
            url, data=data,
            headers={**people[as_people], "Content-Type": "application/octet-stream"},
        )

    def stored():
        res = app.test_client().get(f"/api/communities/{tenant['community_id']}/logo")
        if res.status_code == 302:  # served by the S3 server through a presigned URL
            with urllib.request.urlopen(res.headers["Location"]) as s3_response:
                return s3_response.read()
        assert res.status_code == 200
        return res.get_data()

    return upload, stored


ATTACKS = {
    "style element importing a stylesheet": (
        svg(b"<style>@import url(http://evil.example/x.css); rect{fill:red}</style>"),
        [b"evil.example", b"@import", b"url("]),
    "set changing a link to a data URL": (
        svg(b'<a href="#x"><set attributeName="href" to="data:text/html,&lt;script&gt;alert(1)'
            b'&lt;/script&gt;"/><rect width="1" height="1"/></a>'),
        [b"<set", b"data:", b"script"]),
    "animate changing a link to a data URL": (
        svg(b'<a><animate attributeName="href" values="data:text/html,x;javascript:alert(1)"/>'
            b'<circle r="1"/></a>'),
        [b"animate", b"data:", b"javascript:"]),
    "other animation elements": (
        svg(b'<animateMotion path="M0,0"/><animateTransform attributeName="transform"/>'
            b'<discard begin="0"/>'),
        [b"animate", b"discard"]),
    "external reference of use": (
        svg(b'<use href="http://evil.example/sprite.svg#x"/>'), [b"evil.example"]),
    "data URL of image": (
        svg(b'<image xlink:href="data:image/svg+xml;base64,PHN2Zz48c2NyaXB0Lz48L3N2Zz4="/>'),
        [b"<image", b"data:"]),
    "external url() in a style attribute": (
        svg(b'<rect style="fill:url(http://evil.example/p.svg#g);stroke:#000"/>'),
        [b"evil.example"]),
    "css escape hiding url()": (
        svg(b'<rect style="fill:u\\72l(http://evil.example/)"/>'), [b"evil.example"]),
    "external url() in a presentation attribute": (
        svg(b'<rect fill="url(http://evil.example/p.svg#g)" filter="url(//evil.example/f)"/>'),
        [b"evil.example"]),
    "stylesheet processing instruction": (
        svg(b"", prolog=b'<?xml-stylesheet href="http://evil.example/x.css" type="text/css"?>'),
        [b"evil.example", b"xml-stylesheet"]),
    "entity carrying markup": (
        svg(b"<text>&e;</text>", prolog=b'<!DOCTYPE svg [<!ENTITY e "&#60;script&#62;alert(1)'
                                       b'&#60;/script&#62;">]>'),
        [b"script", b"ENTITY"]),
    "unknown elements": (
        svg(b'<marquee>x</marquee><evil:thing xmlns:evil="urn:evil">y</evil:thing>'),
        [b"marquee", b"thing", b"urn:evil"]),
    "unknown attributes": (
        svg(b'<rect width="1" formaction="javascript:alert(1)" onclick="alert(2)"/>'),
        [b"formaction", b"javascript", b"onclick"]),
    "scripts, handlers and foreign content": (
        svg(b'<script>alert(2)</script><a href="javascript:alert(3)"><path d="M0 0"/></a>'
            b"<foreignObject><div>x</div></foreignObject>").replace(b"<svg ", b'<svg onload="x" '),
        [b"script", b"onload", b"javascript:", b"foreignObject"]),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_svg_logo_loses_active_and_external_content(logo, attack):
    upload, stored = logo
    data, forbidden = ATTACKS[attack]
    res = upload(data)
    assert res.status_code == 200, res.json
    served = stored()
    assert SHAPE[:-2] in served
    for bad in forbidden:
        assert bad not in served, (bad, served)


def test_svg_logo_keeps_shapes_text_gradients_clip_paths_and_plain_styles(logo):
    upload, stored = logo
    body = (b'<defs><linearGradient id="g" x1="0" x2="1"><stop offset="0" stop-color="#8b1e3f"/>'
            b'<stop offset="1" stop-color="#f4d35e"/></linearGradient>'
            b'<clipPath id="c"><circle cx="5" cy="5" r="5"/></clipPath></defs>'
            b"<style>.brand{fill:#123456;font-family:'Open Sans'}</style>"
            b'<g clip-path="url(#c)"><rect id="r" width="10" height="10" fill="url(#g)"/></g>'
            b'<use xlink:href="#r" transform="scale(0.5)"/>'
            b'<text x="1" y="9" class="brand" style="font-size:3px">MZK <tspan>2026</tspan></text>')
    assert upload(svg(body)).status_code == 200
    served = stored()
    for kept in (b"<linearGradient", b'stop-color="#f4d35e"', b"<clipPath", b'clip-path="url(#c)"',
                 b'fill="url(#g)"', b'href="#r"', b"<text", b"<tspan>2026</tspan>",
                 b".brand{fill:#123456;font-family:'Open Sans'}", b'style="font-size:3px"'):
        assert kept in served, kept


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_png_and_jpeg_logos_are_accepted_and_served_unchanged(logo, fmt):
    upload, stored = logo
    data = image_bytes(fmt)
    assert upload(data).status_code == 200
    assert stored() == data


@pytest.mark.parametrize("data, message", [
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "not a readable"),
    (b"\xff\xd8\xff\xe0" + b"garbage" * 10, "not a readable"),
    (image_bytes("PNG")[:60], "not a readable"),
    (image_bytes("PNG", (5000, 1)), "4096"),
    (image_bytes("JPEG", (16, 4100)), "4096"),
    (image_bytes("GIF"), "Only PNG, JPEG or SVG"),
    (b"GIF89a....", "Only PNG, JPEG or SVG"),
    (b"\x89PNG\r\n\x1a\n" + b"0" * (600 * 1024), "at most"),
], ids=["png-magic-garbage", "jpeg-magic-garbage", "truncated-png", "too-wide",
        "too-tall", "gif", "gif-magic", "too-many-bytes"])
def test_bad_logos_are_400_on_the_logo_field(logo, data, message):
    upload, _ = logo
    res = upload(data)
    assert res.status_code == 400, res.json
    assert res.json["errors"][0]["field"] == "logo"
    assert message in res.json["errors"][0]["messages"][0]


def test_only_managers_set_the_logo(logo):
    upload, _ = logo
    assert upload(image_bytes("PNG"), as_people="depositors").status_code == 403
