"""Bills count stored bytes, not reservations: a multipart upload reserves its declared
size at initialisation (the quota counts it), but no day is billed for it until its
parts are committed."""

import requests

from billing_time import GB, after_midnight, day, today
from helpers import new_draft, upload

MiB = 2**20


def multipart(client, headers, draft_id, key, size, part_size):
    entry = {"key": key, "size": size,
             "transfer": {"type": "M", "parts": -(-size // part_size), "part_size": part_size}}
    return client.post(f"/api/records/{draft_id}/draft/files", headers=headers, json=[entry])


def test_an_abandoned_multipart_upload_is_reserved_but_never_billed(
    client, big_library
):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    tenant, people = big_library("reserve")  # quota 100 GB
    slug, dep, mgr = tenant["slug"], people["depositors"], people["managers"]
    draft = new_draft(client, dep)
    res = multipart(client, dep, draft["id"], "never-sent.tif", 10 * GB, 5 * GB)
    assert res.status_code == 201, res.json
    assert upload(client, dep, draft["id"], "small.txt", b"s" * 1500).status_code == 200
    usage = client.get(f"/api/tenants/{slug}/usage", headers=mgr).json["storage"]
    assert (usage["bytes"], usage["stored"], usage["reserved"]) == (10 * GB + 1500, 1500,
                                                                    10 * GB)
    # The quota counts stored and reserved bytes: 90 GB more do not fit.
    other = new_draft(client, dep)
    res = multipart(client, dep, other["id"], "too-much.tif", 90 * GB, 5 * GB)
    assert res.status_code == 413, res.json

    take_daily_snapshots(now=after_midnight(1))  # today: the stored 1 500 B only

    # A multipart upload that is completed is stored (and billed) from its commit on.
    content = b"a" * (5 * MiB) + b"b" * MiB
    res = multipart(client, dep, draft["id"], "sent.bin", len(content), 5 * MiB)
    assert res.status_code == 201, res.json
    urls = [p["url"] for p in next(e for e in res.json["entries"]
                                   if e["key"] == "sent.bin")["links"]["parts"]]
    for number, url in enumerate(urls):
        chunk = content[number * 5 * MiB:(number + 1) * 5 * MiB]
        assert requests.put(url, data=chunk, timeout=60).status_code == 200
    res = client.post(f"/api/records/{draft['id']}/draft/files/sent.bin/commit", headers=dep)
    assert res.status_code == 200, res.json
    take_daily_snapshots(now=after_midnight(2))  # tomorrow: 1 500 B + the committed file

    month = {f"{today():%Y-%m}", after_midnight(1)[:7]}
    days = []
    for period in sorted(month):
        res = client.get(f"/api/tenants/{slug}/snapshots", headers=mgr,
                         query_string={"period": period})
        days += [(s["day"], s["bytes"], s["files"]) for s in res.json["hits"]]
    assert days == [(day(0), 1500, 1), (day(1), 1500 + len(content), 2)]

    # Abandoned: deleting it releases the reservation.
    res = client.delete(f"/api/records/{draft['id']}/draft/files/never-sent.tif", headers=dep)
    assert res.status_code == 204
    usage = client.get(f"/api/tenants/{slug}/usage", headers=mgr).json["storage"]
    assert (usage["reserved"], usage["stored"]) == (0, 1500 + len(content))
