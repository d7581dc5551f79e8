"""The DataCite test double, served over HTTP for the whole session."""

import os

import pytest


@pytest.fixture(scope="session")
def datacite(app, api_app):
    """The double on 127.0.0.1:$DATACITE_TEST_PORT (5203; make run's is on $DATACITE_PORT).

    Both apps call it in both modes."""
    from consortium_tenants.dois.double import DataCiteServer

    server = DataCiteServer(int(os.environ.get("DATACITE_TEST_PORT", 5203))).start()
    saved = [(a, a.config["CONSORTIUM_DATACITE_URLS"]) for a in (app, api_app)]
    for flask_app in (app, api_app):
        flask_app.config["CONSORTIUM_DATACITE_URLS"] = {"test": server.url,
                                                        "production": server.url}
    server.double.url = server.url
    yield server.double
    for flask_app, urls in saved:
        flask_app.config["CONSORTIUM_DATACITE_URLS"] = urls
    server.stop()
