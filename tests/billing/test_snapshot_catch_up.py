"""Drills of the daily snapshot task: a run that comes late or not at all, a library that
fails. The task is driven with an explicit "now" over the real database; deposits and
files are real (made at the real time, the runs come after it)."""

from datetime import datetime, timedelta, timezone

import pytest
from consortium_tenants.tenants.components import TenantServiceComponent

from billing_time import after_midnight, day
from helpers import minimal_record, new_draft, publish_in_library, upload


def snapshot_days(client, people, slug):
    """(day, published, bytes) of every snapshot of the library, this month and the next."""
    today = datetime.now(timezone.utc).date()
    months = dict.fromkeys(f"{d:%Y-%m}" for d in (today, today + timedelta(days=5)))
    days = []
    for month in months:
        res = client.get(f"/api/tenants/{slug}/snapshots", headers=people["managers"],
                         query_string={"period": month})
        assert res.status_code == 200, res.json
        days += [(s["day"], s["published"], s["bytes"]) for s in res.json["hits"]]
    return days


def test_worker_down_over_midnight_misses_no_day_and_no_deposit(client, make_tenant):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    tenant, people = make_tenant("late")
    slug = tenant["slug"]
    # The evening run (the worker's last before it goes down): nothing is over yet.
    take_daily_snapshots(now=datetime.now(timezone.utc).replace(tzinfo=None).isoformat())
    assert snapshot_days(client, people, slug) == []
    # A deposit is published and a file stored after that run, the same day.
    res = client.post("/api/records", headers=people["depositors"],
                      json={**minimal_record("Late evening deposit"),
                            "files": {"enabled": False}})
    assert res.status_code == 201, res.json
    publish_in_library(client, people, tenant["community_id"], res.json["id"])
    draft = new_draft(client, people["depositors"])
    assert upload(client, people["depositors"], draft["id"], "a.txt",
                  b"a" * 1500).status_code == 200

    # The worker is back at 00:10: the day that ended is snapshotted, deposit and file too.
    take_daily_snapshots(now=after_midnight(1))
    assert snapshot_days(client, people, slug) == [(day(0), 1, 1500)]

    # Down for three nights: the next run fills every day in between, once.
    take_daily_snapshots(now=after_midnight(4))
    take_daily_snapshots(now=after_midnight(4, minute=20))
    assert snapshot_days(client, people, slug) == [
        (day(0), 1, 1500), (day(1), 0, 1500), (day(2), 0, 1500), (day(3), 0, 1500)]


class BrokenUsage(TenantServiceComponent):
    """Storage numbers of one library cannot be read (a fault injected in one library)."""

    broken = set()

    def _fail(self, tenant):
        if tenant.slug in self.broken:
            raise RuntimeError(f"usage of {tenant.slug} is unreadable")

    def usage(self, tenant, data):
        self._fail(tenant)

    def usage_at(self, tenant, moment, data):
        self._fail(tenant)


def test_one_library_failing_does_not_block_the_others(app, client, make_tenant, configure):
    from consortium_tenants.billing.tasks import take_daily_snapshots

    bad, bad_people = make_tenant("snap-bad")
    good, good_people = make_tenant("snap-good")
    BrokenUsage.broken = {bad["slug"]}
    configure(CONSORTIUM_TENANT_SERVICE_COMPONENTS=[
        *app.config["CONSORTIUM_TENANT_SERVICE_COMPONENTS"], BrokenUsage])

    with pytest.raises(RuntimeError) as failed:  # the run shows as failed, naming it
        take_daily_snapshots(now=after_midnight(1))
    assert bad["slug"] in str(failed.value) and good["slug"] not in str(failed.value)
    assert snapshot_days(client, good_people, good["slug"]) == [(day(0), 0, 0)]
    assert snapshot_days(client, bad_people, bad["slug"]) == []

    BrokenUsage.broken = set()  # repaired: the next run catches the library up
    assert take_daily_snapshots(now=after_midnight(2)) >= 3
    assert snapshot_days(client, bad_people, bad["slug"]) == [(day(0), 0, 0), (day(1), 0, 0)]
    assert snapshot_days(client, good_people, good["slug"]) == [(day(0), 0, 0),
                                                                 (day(1), 0, 0)]
