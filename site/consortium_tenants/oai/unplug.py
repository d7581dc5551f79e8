"""Views of invenio-oaiserver and InvenioRDM that this module's OAI-PMH replaces, removed.

invenio-base registers every `invenio_base.blueprints` entry point (invenio-oaiserver's
`/oai2d`) and invenio-administration every `invenio_administration.views` one
(InvenioRDM's OAI-PMH sets pages), with no setting to leave one out. So once the
application is loaded (invenio-base's `app_loaded`), the endpoints named by
CONSORTIUM_OAI_REPLACED_VIEWS (fnmatch patterns) lose their URL rules, their view
functions and their administration menu entries. The sets' percolator receivers
need none of this: invenio-oaiserver reads OAISERVER_REGISTER_RECORD_SIGNALS.
"""

from fnmatch import fnmatchcase

from flask_menu import current_menu
from werkzeug.routing import Map


def unplug_replaced_views(app):
    """Remove the views of APP whose endpoints match CONSORTIUM_OAI_REPLACED_VIEWS."""
    patterns = app.config["CONSORTIUM_OAI_REPLACED_VIEWS"]

    def replaced(endpoint):
        return any(fnmatchcase(endpoint, pattern) for pattern in patterns)

    gone = {rule.endpoint for rule in app.url_map.iter_rules() if replaced(rule.endpoint)}
    if not gone:
        return
    app.url_map = _map_without(app.url_map, gone)
    for endpoint in gone:
        app.view_functions.pop(endpoint, None)
    left = {rule.endpoint.rpartition(".")[0] for rule in app.url_map.iter_rules()}
    for name in {endpoint.rpartition(".")[0] for endpoint in gone} - left - {""}:
        app.blueprints.pop(name, None)  # nothing of it is left: its templates and hooks go too
    _hide_admin_menu_entries(app, gone)


def _map_without(url_map, endpoints):
    """A copy of URL_MAP without the rules of ENDPOINTS (werkzeug cannot remove rules)."""
    copy = Map(
        default_subdomain=url_map.default_subdomain, strict_slashes=url_map.strict_slashes,
        merge_slashes=url_map.merge_slashes, redirect_defaults=url_map.redirect_defaults,
        converters=url_map.converters, sort_parameters=url_map.sort_parameters,
        sort_key=url_map.sort_key, host_matching=url_map.host_matching,
    )
    for rule in url_map.iter_rules():
        if rule.endpoint in endpoints:
            continue
        kept = rule.empty()
        kept.merge_slashes = rule.merge_slashes
        # Flask answers OPTIONS itself for the rules it marked so.
        kept.provide_automatic_options = getattr(rule, "provide_automatic_options", False)
        copy.add(kept)
    return copy


def _hide_admin_menu_entries(app, endpoints):
    """Hide the administration menu entries of ENDPOINTS (the panel's own navigation)."""
    administration = app.extensions.get("invenio-administration")
    if administration is None:
        return
    with app.app_context():
        navigation = current_menu.submenu("admin_navigation", auto_create=False)
        for item in administration.administration._menu.items:
            if item.endpoint not in endpoints or navigation is None:
                continue
            node = navigation.submenu(str(item.category), auto_create=False) \
                if item.category else navigation
            node = node and node.submenu(str(item.name), auto_create=False)
            if node is not None:
                node.hide()
