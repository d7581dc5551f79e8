"""A record moved to another library keeps its earlier usage with the earlier library."""

from datetime import datetime

from stats_helpers import FIREFOX, event_clock, month_range, previous_month, process_events, reader
from helpers import deposit, invoke_cli, publish_in_library, request_action


def move_record(client, recid, from_library, to_library, people_to, owner):
    """The record joins TO_LIBRARY's community (its curator accepts) and leaves FROM_LIBRARY's.

    OWNER (headers of the record's owner, a member of both libraries) asks for both.
    """
    res = client.post(f"/api/records/{recid}/communities", headers=owner,
                      json={"communities": [{"id": to_library["community_id"]}]})
    assert res.status_code == 200, res.json
    request_id = res.json["processed"][0]["request_id"]
    res = request_action(client, people_to["curators"], request_id, "accept")
    assert res.status_code == 200, res.json
    res = client.delete(f"/api/records/{recid}/communities", headers=owner,
                        json={"communities": [{"id": from_library["community_id"]}]})
    assert res.status_code == 200, res.json
    assert not res.json.get("errors"), res.json


def test_usage_stays_with_the_library_it_happened_in(app, client, make_tenant, sushi_schema,
                                                     admin_headers):
    old, people_old = make_tenant("movea")
    new, people_new = make_tenant("moveb")
    draft = deposit(client, people_old["depositors"], old["community_id"], title="Moving",
                    content=b"%PDF moving")
    recid = publish_in_library(client, people_old, old["community_id"], draft["id"])["id"]
    month = previous_month()
    page = f"/records/{recid}"

    def views(address, clock):
        with event_clock(datetime.fromisoformat(f"{month.isoformat()} {clock}")):
            assert reader(app, address, FIREFOX).get(page).status_code == 200

    views("10.2.0.1", "08:00:00")  # one view while in the old library
    process_events(app)
    depositor = people_old["depositors_user"]
    res = client.post(f"/api/tenants/{new['slug']}/members", headers=admin_headers,
                      json={"email": depositor.email, "role": "depositors"})
    assert res.status_code == 200, res.json
    move_record(client, recid, old, new, people_new, people_old["depositors"])
    views("10.2.0.2", "09:00:00")  # two views in the new one
    views("10.2.0.3", "09:10:00")
    process_events(app)
    assert invoke_cli(app, ["tenants", "stats", "recompute", "--month",
                            month.strftime("%Y-%m")]).exit_code == 0

    key = month.strftime("%Y-%m")
    for library, people, expected in ((old, people_old, 1), (new, people_new, 2)):
        res = client.post(f"/api/tenants/{library['slug']}/sushi-credentials",
                          headers=people["managers"], json={})
        creds = {k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}
        res = client.get("/api/sushi/r51/reports/ir", query_string={**creds, **month_range(month)})
        report = sushi_schema("IR", res.json)
        [item] = report["Report_Items"][0]["Items"]
        assert item["Platform"] == library["names"]["en"]
        assert item["Attribute_Performance"][0]["Performance"] == {
            "Total_Item_Investigations": {key: expected},
            "Unique_Item_Investigations": {key: expected},
        }
