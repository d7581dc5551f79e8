"""Themed pages with a template cache: one Jinja environment per community theme.

invenio-communities renders a themed community's pages (every library's home,
collection and landing pages: each library is a themed community) through
`current_app.jinja_env.overlay(loader=CommunityThemeChoiceJinjaLoader(brand))`,
a new environment with a new loader on every request. Jinja keys its template
cache by loader, so each themed page looked up and loaded every template it uses
again: through ~120 blueprint loaders and the bytecode cache in Redis, 40 % of a
landing page's time (bench/README.md). Here the application's environment keeps
the overlay of each brand (the last CONSORTIUM_THEMED_ENVIRONMENTS brands), so
those templates are found and compiled once per process, as unthemed pages are.
"""

from collections import OrderedDict
from threading import Lock

from invenio_communities.views.template_loader import CommunityThemeChoiceJinjaLoader


class ThemedOverlays:
    """The environment's `overlay`, answering a theme loader's overlay from a cache."""

    def __init__(self, env, size):
        self.size = size
        self.overlay = env.overlay  # the environment's own method
        self.by_brand, self.lock = OrderedDict(), Lock()

    @staticmethod
    def brand_of(options):
        """The theme brand of an overlay with only a community theme loader, else None."""
        loader = options.get("loader")
        if set(options) != {"loader"} or not isinstance(loader, CommunityThemeChoiceJinjaLoader):
            return None
        return getattr(loader.loaders[0], "brand", None)

    def __call__(self, *args, **options):
        brand = None if args else self.brand_of(options)
        if brand is None:
            return self.overlay(*args, **options)
        with self.lock:
            env = self.by_brand.get(brand)
            if env is not None:
                self.by_brand.move_to_end(brand)
                return env
        env = self.overlay(**options)
        with self.lock:
            env = self.by_brand.setdefault(brand, env)
            while len(self.by_brand) > self.size:
                self.by_brand.popitem(last=False)
        return env


def finalize_app(app):
    """Cache the themed overlays of APP's Jinja environment (invenio_base.finalize_app)."""
    size = app.config["CONSORTIUM_THEMED_ENVIRONMENTS"]
    if size and not isinstance(app.jinja_env.overlay, ThemedOverlays):
        app.jinja_env.overlay = ThemedOverlays(app.jinja_env, size)
