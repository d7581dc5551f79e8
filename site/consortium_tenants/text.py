"""Text of the rich editor's HTML, for formats that carry plain text (oai_dc, IIIF)."""

from lxml import etree

BLOCKS = {"p", "div", "br", "li", "tr", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"}


def plain_text(html):
    """The text of an HTML fragment (the rich editor's), a line per block, spaces collapsed."""
    if not html or ("<" not in html and "&" not in html):
        return html
    root = etree.fromstring(f"<d>{html}</d>", etree.HTMLParser())
    if root is None:
        return ""
    for element in root.iter():
        if element.tag in BLOCKS:
            element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(root.itertext()).splitlines())
    return "\n".join(line for line in lines if line)
