"""Pages and links of the module's services: argument checks, link templates."""

from invenio_records_resources.services.base.links import ExternalLink
from marshmallow import ValidationError


class SiteLink(ExternalLink):
    """A link into this site: a URI template over `{+api}` and `{+ui}`.

    LinksTemplate fills them from SITE_API_URL and SITE_UI_URL, which follow
    the library being served (`consortium_tenants.origin`); query arguments
    (`{?args*}`) are escaped by the template.
    """


def check_page(page, size, max_size, errors=None):
    """Raise a ValidationError (with ERRORS so far) for a bad PAGE or SIZE."""
    errors = dict(errors or {})
    if not 1 <= size <= max_size:
        errors["size"] = [f"Must be between 1 and {max_size}."]
    if page < 1:
        errors["page"] = ["Must be 1 or more."]
    if errors:
        raise ValidationError(errors)


class Page:
    """One page of a list: its number, size and the total number of hits."""

    def __init__(self, page, size, total):
        self.page, self.size, self.total = page, size, total

    @property
    def has_prev(self):
        return self.page > 1

    @property
    def has_next(self):
        return self.page * self.size < self.total


def _at(offset):
    """Vars function: the args of the page OFFSET pages away (the context's stay as they are)."""
    def vars_(page, variables):
        variables["args"] = {**variables["args"], "page": page.page + offset}
    return vars_


def pagination_links(template):
    """self/prev/next links of a `Page`; TEMPLATE ends in `{?args*}`."""
    return {
        "self": SiteLink(template, vars=_at(0)),
        "prev": SiteLink(template, when=lambda page, ctx: page.has_prev, vars=_at(-1)),
        "next": SiteLink(template, when=lambda page, ctx: page.has_next, vars=_at(1)),
    }
