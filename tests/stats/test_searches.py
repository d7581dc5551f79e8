"""COUNTER Searches_Platform: searches made over HTTP, counted per library and day, reported
by SUSHI PR and PR_P1."""

from datetime import datetime, timedelta
from unittest import mock

from helpers import browser_of, invoke_cli
from stats_helpers import FIREFOX, GOOGLEBOT, month_range, previous_month, process_events, reader


def search_clock(moment):
    """The search events' clock shows MOMENT (a naive UTC datetime)."""
    from consortium_tenants.stats import searches

    return mock.patch.object(searches, "now", lambda: moment)


def test_searches_are_counted_per_library_and_day_and_reported(app, client, make_tenant,
                                                                sushi_schema):
    tenant, people = make_tenant("srch")
    quiet, quiet_people = make_tenant("srchq")
    slug, community = tenant["slug"], tenant["community_id"]
    month = previous_month()
    first, second = month + timedelta(days=2), month + timedelta(days=3)
    on_library = reader(app, "10.4.0.1", FIREFOX)
    on_consortium = reader(app, "10.4.0.2", FIREFOX)
    robot = reader(app, "10.4.0.3", GOOGLEBOT)
    library = f"http://{slug}.localhost"
    searches = [
        (first, "09:00:00", on_library, library, "/api/records?q=water"),  # a search
        (first, "09:00:10", on_library, library, "/api/records?q=water"),  # its double click
        (first, "09:01:00", on_library, library, "/api/records?q=water&page=2"),  # next page
        (first, "09:02:00", on_library, library, "/api/records?q=fire&sort=newest"),  # another
        # the library's community searched on the consortium's host: the library's search
        (first, "09:03:00", on_consortium, None, f"/api/communities/{community}/records?q=x"),
        (first, "09:04:00", on_consortium, None, "/api/records?q=all"),  # all libraries: none
        (first, "09:05:00", robot, library, "/api/records?q=water"),  # a robot: none
        (second, "12:00:00", on_library, library, "/api/records?q=water"),  # next day: a search
    ]
    for day, clock, browser, base, url in searches:
        with search_clock(datetime.fromisoformat(f"{day.isoformat()} {clock}")):
            res = browser.get(url, **({"base_url": base} if base else {}))
            assert res.status_code == 200, (url, res.status_code)
    process_events(app)
    key = month.strftime("%Y-%m")
    assert invoke_cli(app, ["tenants", "stats", "recompute", "--month", key]).exit_code == 0

    from consortium_tenants.stats.models import SearchDay
    from invenio_db import db

    db.session.expire_all()
    days = {(str(row.tenant_id), row.day): row.searches for row in SearchDay.query.filter(
        SearchDay.tenant_id.in_([tenant["id"], quiet["id"]]))}
    assert days == {(tenant["id"], first): 3, (tenant["id"], second): 1}

    res = client.post(f"/api/tenants/{slug}/sushi-credentials", headers=people["managers"],
                      json={"label": "harvester"})
    assert res.status_code == 201, res.json
    credentials = {k: res.json[k] for k in ("customer_id", "requestor_id", "api_key")}
    platform = {"Platform": tenant["names"]["en"], "Attribute_Performance": [
        {"Data_Type": "Platform", "Performance": {"Searches_Platform": {key: 4}}}]}
    res = client.get("/api/sushi/r51/reports/pr_p1",
                     query_string={**credentials, **month_range(month)})
    assert res.status_code == 200, res.json
    assert sushi_schema("PR_P1", res.json)["Report_Items"] == [platform]
    res = client.get("/api/sushi/r51/reports/pr", query_string={
        **credentials, **month_range(month), "attributes_to_show": "Access_Method"})
    assert res.status_code == 200, res.json
    [item] = sushi_schema("PR", res.json)["Report_Items"]
    assert item["Attribute_Performance"] == [
        {"Data_Type": "Platform", "Access_Method": "Regular",
         "Performance": {"Searches_Platform": {key: 4}}}]
    # filtered to other metrics or data types, the searches are left out
    for other in ({"metric_type": "Total_Item_Requests"}, {"data_type": "Article"}):
        res = client.get("/api/sushi/r51/reports/pr",
                         query_string={**credentials, **month_range(month), **other})
        assert sushi_schema("PR", res.json)["Report_Items"] == [], other
    res = client.get("/api/sushi/r51/reports/pr", query_string={
        **credentials, **month_range(month), "metric_type": "Searches_Platform",
        "data_type": "Platform"})
    assert sushi_schema("PR", res.json)["Report_Items"] == [
        {**platform, "Attribute_Performance": platform["Attribute_Performance"]}]
    # the manager's TSV names the metric
    manager = browser_of(app, people["managers_user"])
    res = manager.get(f"/libraries/{slug}/counter/pr_p1.tsv", query_string=month_range(month))
    assert res.status_code == 200
    assert f"{tenant['names']['en']}\tPlatform\tSearches_Platform\t4\t4\r\n" in \
        res.get_data(as_text=True)


def test_the_search_days_migration_creates_the_models_table(app):
    """An instance upgraded by `invenio platform init` (alembic) gets the table the model
    describes: run here in a schema of its own."""
    import importlib.util
    from pathlib import Path

    import consortium_tenants
    import sqlalchemy as sa
    from alembic.migration import MigrationContext
    from alembic.operations import Operations
    from invenio_db import db

    from consortium_tenants.stats.models import SearchDay

    path = next((Path(consortium_tenants.__file__).parent / "alembic").glob("9e5f7b1c4d22_*.py"))
    spec = importlib.util.spec_from_file_location("migration_search_days", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    schema, table = "stats_search_migration_check", SearchDay.__table__
    db.session.commit()
    with db.engine.begin() as connection:
        connection.execute(sa.text(f"DROP SCHEMA IF EXISTS {schema} CASCADE"))
        connection.execute(sa.text(f"CREATE SCHEMA {schema}"))
        connection.execute(sa.text(f"SET LOCAL search_path TO {schema}, public"))
        with Operations.context(MigrationContext.configure(connection)):
            migration.upgrade()
        inspector = sa.inspect(connection)
        assert inspector.get_table_names(schema=schema) == [table.name]
        columns = {c["name"]: c for c in inspector.get_columns(table.name, schema=schema)}
        assert {n: c["nullable"] for n, c in columns.items()} == {
            c.name: c.nullable for c in table.columns}
        assert sorted(inspector.get_pk_constraint(table.name, schema=schema)[
            "constrained_columns"]) == sorted(c.name for c in table.primary_key)
        with Operations.context(MigrationContext.configure(connection)):
            migration.downgrade()
        assert not sa.inspect(connection).get_table_names(schema=schema)
        connection.execute(sa.text(f"DROP SCHEMA {schema} CASCADE"))
