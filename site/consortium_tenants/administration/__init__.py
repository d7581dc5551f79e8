"""invenio-administration panel for member libraries."""
