"""The printable statement says what it lacks instead of showing 0.00 with no lines."""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from helpers import browser_of


def test_a_month_without_snapshots_says_so(app, make_tenant):
    tenant, people = make_tenant("stmt-gap")
    slug = tenant["slug"]
    last_month = (date.today().replace(day=1) - relativedelta(months=1))
    period = last_month.strftime("%Y-%m")
    days = ((last_month + relativedelta(months=1)) - last_month).days
    manager = browser_of(app, people["managers_user"])
    for language, text in (
            ("cs", "Pro toto období zatím neexistuje žádný denní snímek úložiště"),
            ("en", "No daily storage snapshot exists for this period yet")):
        res = manager.get(f"/libraries/{slug}/statements/{period}",
                          headers={"Accept-Language": language})
        assert res.status_code == 200
        html = res.get_data(as_text=True)
        assert f'class="notice snapshot-gaps" role="status" data-missing="{days}"' in html
        assert text in html
        assert str(last_month) in html  # the first missing day is named
        # the months around it and the way back
        prev = (last_month - relativedelta(months=1)).strftime("%Y-%m")
        assert f'href="/libraries/{slug}/statements/{prev}" rel="prev"' in html
        assert f'href="/libraries/{slug}/dashboard"' in html


def test_a_month_with_some_snapshots_names_the_missing_days(app, make_tenant):
    from consortium_tenants.tenants.models import TenantModel

    tenant, people = make_tenant("stmt-part")
    slug = tenant["slug"]
    model = TenantModel.query.filter_by(slug=slug).one()
    last_month = (date.today().replace(day=1) - relativedelta(months=1))
    days = ((last_month + relativedelta(months=1)) - last_month).days
    from invenio_db import db

    from consortium_tenants.tenants.models import DailyUsageModel

    # The library existed all month (a test's library is new): its stored days, but one.
    for n in range(days):
        if n != 10:
            db.session.add(DailyUsageModel(
                tenant_id=model.id, day=last_month + timedelta(days=n), bytes=10**9, files=1,
                records=1, drafts=0, published=0, members=3))
    db.session.commit()
    manager = browser_of(app, people["managers_user"])
    html = manager.get(f"/libraries/{slug}/statements/{last_month:%Y-%m}",
                       headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'data-missing="1"' in html
    assert f"Daily storage snapshots are missing for 1 of {days} days" in html
    assert str(last_month + timedelta(days=10)) in html
