"""The deposit form's storage bar and limits are the library's, not RDM's defaults.

A library with a 1 MB quota showed "0 bytes out of 50.00 GB" in the uploader; the
form's configuration now carries the library's quota, its largest file and its
number of files.
"""

import html
import json
import re

from helpers import browser_of, new_draft, upload


def forms_config(page):
    value = re.search(r'name="deposits-config"\s+value=\'([^\']*)\'', page).group(1)
    return json.loads(html.unescape(value))


def test_the_uploader_shows_the_librarys_quota(app, client, storage_tenant):
    tenant, people = storage_tenant(quota=1_000_000, max_file_size=400_000, max_files=7)
    host = f"http://{tenant['slug']}.localhost"
    browser = browser_of(app, people["depositors_user"], base_url=host)
    res = browser.get("/uploads/new", base_url=host, follow_redirects=True)
    assert res.status_code == 200, res.headers.get("Location")
    quota = forms_config(res.get_data(as_text=True))["quota"]
    assert (quota["maxStorage"], quota["maxFileSize"], quota["maxFiles"]) == (
        1_000_000, 400_000, 7)
    assert quota["library"] == {"used": 0}

    # The bar is the library's quota, whatever other drafts use (the server says what is
    # left, 413 with the reason).
    dep = people["depositors"]
    other = new_draft(client, dep, "Other", base_url=host)
    assert upload(client, dep, other["id"], "a.bin", b"x" * 300_000).status_code == 200
    mine = new_draft(client, dep, "Mine", base_url=host)
    page = browser.get(f"/uploads/{mine['id']}", base_url=host).get_data(as_text=True)
    quota = forms_config(page)["quota"]
    assert quota["maxStorage"] == 1_000_000
    assert quota["library"] == {"used": 300_000}  # the indicator shows the library's use
