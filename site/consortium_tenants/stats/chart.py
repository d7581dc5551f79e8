"""A server-side SVG bar chart of monthly views, downloads and unique visits."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 720, 260, 20, 40, 50
SERIES = (("views", "#2185d0"), ("downloads", "#21ba45"), ("unique_visits", "#f2711c"))


def usage_chart(months, labels):
    """SVG of MONTHS (`library_stats` months) as grouped bars; LABELS: series → legend text."""
    top = max([m[key] for m in months for key, _ in SERIES] + [1])
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(months), 1)
    bar = max(slot / (len(SERIES) + 1), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="usage-chart" role="img" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" width="100%">',
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#999"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end" font-size="11">0</text>',
    ]
    for index, month in enumerate(months):
        x0 = LEFT + index * slot + bar / 2
        for offset, (key, colour) in enumerate(SERIES):
            height = plot_height * month[key] / top
            parts.append(
                f'<rect class="bar-{key}" x="{x0 + offset * bar:.1f}" '
                f'y="{HEIGHT - BOTTOM - height:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{colour}" data-value="{month[key]}"><title>{escape(labels[key])} '
                f'{escape(month["month"])}: {month[key]}</title></rect>')
        parts.append(f'<text x="{LEFT + index * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                     f'text-anchor="middle" font-size="11">{escape(month["month"])}</text>')
    for index, (key, colour) in enumerate(SERIES):
        x = LEFT + index * 180
        parts.append(f'<rect x="{x}" y="{HEIGHT - 14}" width="10" height="10" fill="{colour}"/>'
                     f'<text x="{x + 14}" y="{HEIGHT - 5}" font-size="12">'
                     f'{escape(labels[key])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
