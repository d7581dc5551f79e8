"""Server-side SVG bar charts: a library's months, every library side by side."""

from markupsafe import Markup, escape

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 720, 260, 20, 40, 60
USAGE_SERIES = (("views", "#2185d0"), ("downloads", "#21ba45"), ("unique_visits", "#f2711c"))
LIBRARY_SERIES = (*USAGE_SERIES, ("deposits", "#6435c9"))


def bar_chart(groups, group_label, series, labels, css_class="usage-chart"):
    """SVG of GROUPS (dicts) as grouped bars, one group per dict named by GROUP_LABEL(group);
    SERIES: (key, colour) pairs; LABELS: key → legend text."""
    top = max([g[key] or 0 for g in groups for key, _ in series] + [1])
    plot_height = HEIGHT - TOP - BOTTOM
    slot = (WIDTH - LEFT) / max(len(groups), 1)
    bar = max(slot / (len(series) + 1), 1)
    legend_step = (WIDTH - LEFT) / max(len(series), 1)
    # its name for screen readers (and axe's svg-img-alt): what it shows, over which groups
    title = ", ".join(str(labels[key]) for key, _ in series)
    if groups:
        names = dict.fromkeys((str(group_label(groups[0])), str(group_label(groups[-1]))))
        title += ": " + " – ".join(names)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="{css_class}" role="img" '
        f'aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%">',
        f"<title>{escape(title)}</title>",
        f'<line x1="{LEFT}" y1="{HEIGHT - BOTTOM}" x2="{WIDTH}" y2="{HEIGHT - BOTTOM}" '
        'stroke="#999"/>',
        f'<text x="{LEFT - 6}" y="{TOP + 4}" text-anchor="end" font-size="11">{top}</text>',
        f'<text x="{LEFT - 6}" y="{HEIGHT - BOTTOM}" text-anchor="end" font-size="11">0</text>',
    ]
    for index, group in enumerate(groups):
        x0 = LEFT + index * slot + bar / 2
        name = escape(group_label(group))
        for offset, (key, colour) in enumerate(series):
            value = group[key] or 0
            height = plot_height * value / top
            parts.append(
                f'<rect class="bar-{key}" x="{x0 + offset * bar:.1f}" '
                f'y="{HEIGHT - BOTTOM - height:.1f}" width="{bar:.1f}" height="{height:.1f}" '
                f'fill="{colour}" data-value="{value}"><title>{escape(labels[key])} '
                f'{name}: {value}</title></rect>')
        parts.append(f'<text x="{LEFT + index * slot + slot / 2:.1f}" y="{HEIGHT - BOTTOM + 16}" '
                     f'text-anchor="middle" font-size="11">{name}</text>')
    for index, (key, colour) in enumerate(series):
        x = LEFT + index * legend_step
        parts.append(f'<rect x="{x:.1f}" y="{HEIGHT - 14}" width="10" height="10" '
                     f'fill="{colour}"/><text x="{x + 14:.1f}" y="{HEIGHT - 5}" '
                     f'font-size="12">{escape(labels[key])}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def usage_chart(months, labels, series=USAGE_SERIES, css_class="usage-chart"):
    """SVG of MONTHS (`library_stats` months)."""
    return bar_chart(months, lambda m: m["month"], series, labels, css_class)
