"""A library's branding as an InvenioRDM community theme.

invenio-communities serves a themed community's style sheet
(`/communities/<id>/community-theme-<revision>.css`) from a template that
reads every key of `theme.style`, `font.family`/`weight`/`size` included; a
missing `font` is a 500 on every page of the community. So the theme always
carries all of them: the library's colours (the consortium's where it has
none), text colours readable on them, and the site's fonts.
"""

from invenio_access.permissions import system_identity
from invenio_communities.proxies import current_communities

from .models import TenantModel

CONSORTIUM_COLORS = {"primary_color": "#1d4e89", "secondary_color": "#f2a900"}
DARK_TEXT, LIGHT_TEXT = "#1b1c1d", "#ffffff"
TERTIARY = "#e8ebef"
FONT = {"family": "inherit", "weight": "inherit", "size": "inherit"}
"""The page's own fonts: a library brands with colours, not typefaces."""


def _rgb(color):
    value = color.lstrip("#")
    if len(value) == 3:
        value = "".join(c * 2 for c in value)
    return [int(value[i:i + 2], 16) for i in (0, 2, 4)]


def _luminance(color):
    """WCAG relative luminance of a #rrggbb (or #rgb) colour."""
    def linear(channel):
        c = channel / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = map(linear, _rgb(color))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b):
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_color(background):
    """White or near-black, whichever reads better on BACKGROUND."""
    return max((LIGHT_TEXT, DARK_TEXT), key=lambda text: _contrast(text, background))


def tint(color, amount=0.92):
    """COLOR mixed with white (AMOUNT of white): a light background in its hue."""
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in _rgb(color))


def community_theme(tenant):
    """The community theme of TENANT: complete, whatever its branding sets."""
    branding = {**CONSORTIUM_COLORS, **{k: v for k, v in (tenant.branding or {}).items() if v}}
    primary, secondary = branding["primary_color"], branding["secondary_color"]
    return {
        "brand": tenant.slug,
        "enabled": True,
        "style": {
            "primaryColor": primary,
            "primaryTextColor": text_color(primary),
            "secondaryColor": secondary,
            "secondaryTextColor": text_color(secondary),
            "tertiaryColor": TERTIARY,
            "tertiaryTextColor": text_color(TERTIARY),
            "mainHeaderBackgroundColor": tint(primary),
            "font": dict(FONT),
        },
    }


def libraries_with_outdated_theme():
    """Libraries whose community theme is not the one their branding gives
    (themes stored before fonts and text colours were added break the CSS)."""
    return [
        tenant for tenant in TenantModel.query.order_by(TenantModel.slug)
        if tenant.community_id is not None
        and current_communities.service.read(system_identity, tenant.community_id)
        .data.get("theme") != community_theme(tenant)
    ]


def refresh(tenant):
    """Store TENANT's community theme as its branding gives it."""
    service = current_communities.service
    data = {**service.read(system_identity, tenant.community_id).data,
            "theme": community_theme(tenant)}
    service.update(system_identity, tenant.community_id, data)
