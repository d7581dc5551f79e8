"""Statistics are an invenio-records-resources service (issue 32 §4): who may read them is
decided by the instance's one permission policy from config, what they accept goes through
schemas (a bad parameter is a 400 with a message per field, in Czech and English; SUSHI
answers its own Appendix D exceptions), and each write is a unit of work."""

from helpers import browser_of, invoke_cli
from stats_helpers import month_range, previous_month


def test_who_reads_statistics_is_decided_by_the_policy_from_config(app, client, configure,
                                                                   make_tenant):
    from consortium_tenants.tenants.permissions import TenantMembers, TenantPermissionPolicy

    class DepositorsReadStats(TenantPermissionPolicy):
        can_read_stats = [*TenantPermissionPolicy.admins,
                          TenantMembers("managers", "curators", "depositors")]

    tenant, people = make_tenant("spol")
    _, other_people = make_tenant("spolo")
    slug, key = tenant["slug"], previous_month().strftime("%Y-%m")
    rest = f"/api/tenants/{slug}/stats"
    pages = [(f"/libraries/{slug}/stats", {"from": key, "to": key}),
             (f"/libraries/{slug}/counter/pr.tsv", month_range(previous_month()))]
    depositor = browser_of(app, people["depositors_user"])
    stranger = browser_of(app, other_people["depositors_user"])

    def statuses(browser, headers):
        return ([client.get(rest, headers=headers, query_string={"from": key, "to": key}
                            ).status_code]
                + [browser.get(url, query_string=query).status_code for url, query in pages])

    assert statuses(depositor, people["depositors"]) == [403, 403, 403]
    configure(CONSORTIUM_TENANTS_PERMISSION_POLICY=DepositorsReadStats)
    assert statuses(depositor, people["depositors"]) == [200, 200, 200]
    assert statuses(stranger, other_people["depositors"]) == [403, 403, 403]
    res = client.get(rest, headers=people["depositors"], query_string={"from": key, "to": key})
    assert res.json["library"] == slug and [m["month"] for m in res.json["months"]] == [key]


def test_a_bad_range_is_refused_per_field_in_czech_and_english(app, client, make_tenant):
    tenant, people = make_tenant("srng")
    url = f"/api/tenants/{tenant['slug']}/stats"
    cases = [
        ({"from": "2026-11", "to": "2026-10"},
         {"to": ["Must not be before 'from'."]},
         {"to": ["Nesmí být dříve než „from“."]}),
        ({"from": "2026-13", "to": "2026-10", "interval": "week"},
         {"from": ["Expected a month as YYYY-MM."], "interval": ["Only 'month' is supported."]},
         {"from": ["Očekává se měsíc ve tvaru RRRR-MM."],
          "interval": ["Podporován je jen interval „month“."]}),
        ({"to": "２０２６-10"},
         {"from": ["Expected a month as YYYY-MM."], "to": ["Expected a month as YYYY-MM."]},
         {"from": ["Očekává se měsíc ve tvaru RRRR-MM."],
          "to": ["Očekává se měsíc ve tvaru RRRR-MM."]}),
    ]
    for query, english, czech in cases:
        for language, expected in (("en", english), ("cs", czech)):
            res = client.get(url, query_string=query,
                             headers={**people["managers"], "Accept-Language": language})
            assert (res.status_code, res.json["errors"]) == (400, expected), (query, language)
    # the statistics page says it at the field, in the page's language
    manager = browser_of(app, people["managers_user"])
    for language, message in (("en", "Must not be before 'from'."),
                              ("cs", "Nesmí být dříve než „from“.")):
        res = manager.get(f"/libraries/{tenant['slug']}/stats",
                          query_string={"from": "2026-11", "to": "2026-10"},
                          headers={"Accept-Language": language})
        html = res.get_data(as_text=True)
        assert res.status_code == 400
        assert 'aria-describedby="stats-to-error"' in html
        assert f'id="stats-to-error">{message}</div>' in html.replace("&#39;", "'"), language
        assert 'id="stats-from-error"' not in html


def test_the_consortium_order_is_checked_in_both_languages(app, make_user):
    from invenio_accounts.proxies import current_datastore
    from invenio_db import db

    user, _ = make_user()
    current_datastore.add_role_to_user(user, "consortium-admin")
    db.session.commit()
    admin = browser_of(app, user)
    for language, message in (
            ("en", "One of name, views, downloads, unique_visits, deposits, optionally "
                   "with '-'."),
            ("cs", "Jedno z name, views, downloads, unique_visits, deposits, případně s „-“ "
                   "na začátku.")):
        res = admin.get("/libraries/stats.csv", query_string={"sort": "colour"},
                        headers={"Accept-Language": language})
        assert res.status_code == 400 and message in res.get_data(as_text=True), language
        res = admin.get("/libraries/stats", query_string={"sort": "-deposits"},
                        headers={"Accept-Language": language})
        assert res.status_code == 200


def test_credentials_are_written_in_one_unit_of_work_or_not_at_all(app, client, make_tenant):
    """A label the schema refuses: 400 in the request's language, no credential; a
    stranger: 403, no credential; a credential issued is there for the next request, and
    the CLI issues and revokes through the same service."""
    tenant, people = make_tenant("scred")
    _, other_people = make_tenant("scredo")
    url = f"/api/tenants/{tenant['slug']}/sushi-credentials"
    res = client.post(url, headers={**people["managers"], "Accept-Language": "cs"},
                      json={"label": "x" * 256})
    assert res.status_code == 400
    assert res.json["errors"] == {"label": ["Delší než největší povolená délka 255."]}, res.json
    assert client.post(url, headers=other_people["managers"],
                       json={"label": "theirs"}).status_code == 403
    assert client.get(url, headers=people["managers"]).json["hits"] == []
    res = client.post(url, headers=people["managers"], json={"label": "harvester"})
    assert res.status_code == 201
    issued = res.json
    result = invoke_cli(app, ["tenants", "stats", "sushi-issue", "--library", tenant["slug"],
                              "--label", "from the CLI"])
    assert result.exit_code == 0, result.output
    hits = client.get(url, headers=people["managers"]).json["hits"]
    assert [(h["label"], h["revoked"]) for h in hits] == [("from the CLI", None),
                                                          ("harvester", None)]
    result = invoke_cli(app, ["tenants", "stats", "sushi-revoke", issued["requestor_id"],
                              "--library", tenant["slug"]])
    assert result.exit_code == 0, result.output
    res = client.get("/api/sushi/r51/reports", query_string={
        k: issued[k] for k in ("customer_id", "requestor_id", "api_key")})
    assert (res.status_code, res.json["Code"]) == (401, 2000)
    result = invoke_cli(app, ["tenants", "stats", "sushi-issue", "--library", "no-such-lib"])
    assert result.exit_code == 1 and "no library no-such-lib" in result.output
