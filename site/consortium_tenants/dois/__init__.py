"""DOIs under each member library's own DataCite account (settings, provider, retries)."""
