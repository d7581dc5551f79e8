"""The deposit form says when the library's works get no DOI, and names it as publisher."""

import json

from helpers import browser_of


def test_deposit_form_warns_without_account_and_defaults_the_publisher(
        app, make_tenant, admin_headers, datacite):
    without, without_people = make_tenant("form-nodoi")
    with_account, with_people = make_tenant("form-doi")
    res = app.test_client().put(f"/api/tenants/{with_account['slug']}/datacite",
                                headers=admin_headers, json={
                                    "prefix": "10.70101", "repository_id": "CZ.FORM",
                                    "password": "pw"})
    assert res.status_code == 200
    page = browser_of(app, without_people["depositors_user"]).get(
        "/uploads/new", headers={"Accept-Language": "cs"}).get_data(as_text=True)
    assert "Tato knihovna nemá účet DataCite: její díla nedostanou DOI." in page
    assert json.dumps(f"Knihovna {without['slug']}")[1:-1] in page  # the publisher default
    page = browser_of(app, with_people["depositors_user"]).get(
        "/uploads/new", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "deposit-no-doi" not in page
    assert "This library has no DataCite account" not in page
