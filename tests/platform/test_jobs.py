"""Scheduled work as invenio-jobs jobs (issue 32 §3): what ran, when, with what result.

The instance's periodic tasks are jobs that `platform init` schedules, not beat entries;
administrators see each run at /api/jobs and /administration/jobs with its status, its
log and, when it failed, the reason. (The COUNTER months job's failing run is the drill
in tests/stats/test_counter_months.py.)
"""

from helpers import invoke_cli, run_job, run_log, scheduled_job, staff_browser

JOB_TYPES = ["consortium-stats-months", "consortium-billing-snapshots",
             "consortium-billing-close", "consortium-storage-check", "consortium-multipart-expiry", "consortium-doi-retry",
             "consortium-platform-check",
             "consortium-sso-federation-metadata", "consortium-oa-embargo-notices",
             "consortium-kramerius-links", "consortium-imports-incremental"]


def test_scheduled_work_is_jobs_with_their_schedules_not_beat_entries(app, client,
                                                                     panel_admin_headers):
    beat_tasks = [entry["task"] for entry in app.config["CELERY_BEAT_SCHEDULE"].values()]
    assert not [t for t in beat_tasks if t.startswith("consortium")], beat_tasks
    assert sorted(app.config["CONSORTIUM_JOBS"]) == sorted(JOB_TYPES)

    res = client.get("/api/jobs", headers=panel_admin_headers, query_string={"size": 100})
    assert res.status_code == 200, res.json
    jobs = {job["task"]: job for job in res.json["hits"]["hits"]}
    for job_type, crontab in app.config["CONSORTIUM_JOBS"].items():
        job = jobs[job_type]
        assert job["active"] is True
        assert {k: v for k, v in job["schedule"].items() if v != "*"} == {
            "type": "crontab", **{k: v for k, v in crontab.items() if v != "*"}}
    assert jobs["consortium-stats-months"]["title"] == (
        "Metriky COUNTER minulého a tohoto měsíce / "
        "COUNTER metrics of the previous and the current month")

    # `platform init` made them once; run again, it makes none twice.
    assert "scheduled jobs (consortium-stats-months," in app.config["PLATFORM_INIT_OUTPUT"]
    result = invoke_cli(app, ["platform", "init"])
    assert result.exit_code == 0, result.output
    assert "scheduled jobs: already done" in result.output
    res = client.get("/api/jobs", headers=panel_admin_headers, query_string={"size": 100})
    tasks = [job["task"] for job in res.json["hits"]["hits"]]
    assert sorted(t for t in tasks if t in JOB_TYPES) == sorted(JOB_TYPES)


def test_a_run_is_recorded_with_its_status_and_log_and_can_be_repeated(app, client,
                                                                       panel_admin_headers):
    from consortium_tenants.storage.tasks import expire_multipart_uploads

    job, task = scheduled_job("consortium-multipart-expiry")
    assert task is expire_multipart_uploads
    runs = [run_job(client, panel_admin_headers, "consortium-multipart-expiry")
            for _ in range(2)]  # idempotent: a second run right after is harmless
    for run in runs:
        assert run["status"] == "SUCCESS", run
        assert run["started_at"] <= run["finished_at"]
        assert run["started_by_id"]  # the administrator who pressed "Run" (not the scheduler)
        assert "Expired 0 unfinished multipart uploads" in run_log(
            client, panel_admin_headers, run["id"])
    res = client.get(f"/api/jobs/{job['id']}", headers=panel_admin_headers)
    assert res.json["last_run"]["id"] == runs[1]["id"]
    assert res.json["last_runs"]["success"]["id"] == runs[1]["id"]
    res = client.get(f"/api/jobs/{job['id']}/runs", headers=panel_admin_headers)
    assert {runs[0]["id"], runs[1]["id"]} <= {r["id"] for r in res.json["hits"]["hits"]}


def test_only_administrators_see_or_start_jobs(app, client, make_user, admin_headers):
    from invenio_jobs.models import Run

    job, _ = scheduled_job("consortium-doi-retry")
    runs = Run.query.filter_by(job_id=job["id"]).count()
    _, person = make_user()
    for headers in (person, {"Accept": "application/json"}):
        assert client.get("/api/jobs", headers=headers).status_code in (401, 403)
        res = client.post(f"/api/jobs/{job['id']}/runs", headers=headers, json={})
        assert res.status_code in (400, 401, 403)  # anonymous: no CSRF token, 400
        assert client.get("/api/logs/jobs", headers=headers).status_code in (401, 403)
    assert Run.query.filter_by(job_id=job["id"]).count() == runs

    browser = staff_browser(app, roles=("administration",))
    for path in ("/administration/jobs", f"/administration/jobs/{job['id']}"):
        res = browser.get(path)
        assert res.status_code == 200, path
