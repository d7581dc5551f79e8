"""Helpers of the page tests."""

import base64

# A 1×1 PNG: the smallest logo the logo check accepts.
PNG_LOGO = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def page(client, path, language="en", host=None, **kwargs):
    """The HTML of PATH in LANGUAGE (on a library's HOST); asserts 200."""
    res = client.get(path, headers={"Accept-Language": language, "Accept": "text/html"},
                     base_url=f"http://{host}" if host else None, **kwargs)
    assert res.status_code == 200, (path, res.status_code, res.get_data(as_text=True)[:500])
    return res.get_data(as_text=True)
