"""axe-core on the pages people use most: no critical and no serious violations."""

import pytest

from browsing import axe, library_with_a_submission, log_in


@pytest.fixture(scope="module")
def collection(app, make_library):
    """A mediated library with a published record and a submission waiting for review."""
    return library_with_a_submission(app, make_library, "a11y", "Staré mapy Moravy",
                                     "Mapy čeká na posouzení")


PAGES = {
    # name: (host, path, who is logged in)
    "consortium home": ("consortium", "/", None),
    "library home": ("library", "/", None),
    "search": ("consortium", "/search", None),
    "record page": ("library", "/records/{record_id}", None),
    "deposit form": ("library", "/uploads/new", "depositor"),
    "submission queue": ("library", "/libraries/{slug}/submissions", "curator"),
    "storage page": ("library", "/libraries/{slug}/storage", "manager"),
    "workflow page": ("library", "/libraries/{slug}/workflow", "manager"),
    "library dashboard": ("library", "/libraries/{slug}/dashboard", "manager"),
    "open-access report": ("library", "/libraries/{slug}/oa", "manager"),
    "administration list": ("consortium", "/administration/tenants", "admin"),
}


# No known upstream violations are left: the deposit form's uploader (Uppy's Dashboard)
# had aria-modal="false" on its inline panel (removed by
# assets/js/invenio_app_rdm/overridableRegistry/uploader.js) and a light grey note
# (darker in assets/less/site/globals/site.overrides).


@pytest.mark.parametrize("name", PAGES)
def test_page_has_no_critical_or_serious_accessibility_violations(site, open_page, collection,
                                                                  consortium_admin, name):
    host, path, who = PAGES[name]
    base = site.consortium() if host == "consortium" else site.library(collection.slug)
    page = open_page("en", name.replace(" ", "-"))
    if who:
        log_in(page, base, consortium_admin if who == "admin" else collection.people[who])
    page.goto(base + path.format(slug=collection.slug,
                                             record_id=collection.record_id))
    violations = axe(page)
    assert violations == [], "\n".join(
        f"{v['impact']}: {v['id']} ×{v['nodes']} ({v['help']}) e.g. {v['targets']}"
        for v in violations)
