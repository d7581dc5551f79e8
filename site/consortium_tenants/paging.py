"""Pages of the module's list endpoints: argument checks and links."""

from marshmallow import ValidationError


def check_page(page, size, max_size, errors=None):
    """Raise a ValidationError (with ERRORS so far) for a bad PAGE or SIZE."""
    errors = dict(errors or {})
    if not 1 <= size <= max_size:
        errors["size"] = [f"Must be between 1 and {max_size}."]
    if page < 1:
        errors["page"] = ["Must be 1 or more."]
    if errors:
        raise ValidationError(errors)


def page_links(base, page, size, total):
    """self/prev/next links; BASE is the URL with its query string, without the page."""
    links = {"self": f"{base}&page={page}"}
    if page > 1:
        links["prev"] = f"{base}&page={page - 1}"
    if page * size < total:
        links["next"] = f"{base}&page={page + 1}"
    return links
