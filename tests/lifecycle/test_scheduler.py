"""The embedded scheduler and `run_due_jobs`: the beat schedule without a broker."""

import threading
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from employees.models import Employee
from hrops import scheduler
from lifecycle.models import JobRun
from lifecycle.services.flows import OffboardData, offboarding_start
from tests.lifecycle.helpers import hire

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
DAILY = {"clear-expired-sessions", "employees-apply-effective-changes",
         "lifecycle-activate-starters", "lifecycle-terminate-leavers", "lifecycle-task-digest",
         "compliance-expiry-reminders", "timeoff-accrual", "timeoff-year-end",
         "delivery-purge-done", "compliance-status-roll", "analytics-snapshot-refresh",
         "analytics-saved-reports", "liabilities-overdue-notify", "api-calls-purge",
         "webhooks-purge-deliveries"}


@pytest.fixture
def leaver(hr_staff, org):
    offboarding_start(acting_user=hr_staff, employee=org.report,
                      data=OffboardData(last_day=date(2026, 12, 18), reason="resignation"))
    return org.report


def _status(employee) -> str:
    employee.refresh_from_db()
    return employee.status


def test_every_beat_entry_is_known_to_the_embedded_scheduler(settings):
    # given the one beat schedule in settings
    # when the scheduler reads it
    names = {job.name: job for job in scheduler.jobs()}
    # then each entry is there, the once-a-day ones as daily jobs, the sweeps as frequent ones
    assert set(names) == set(settings.CELERY_BEAT_SCHEDULE)
    assert {n for n, job in names.items() if job.daily} == DAILY | {"compliance-retention-dry-run"}
    assert not names["delivery-relay"].daily  # an interval (seconds), beat's other form
    assert not names["delivery-clean-tmp"].daily  # hourly crontab


def test_weekly_job_fires_only_on_its_weekday():
    job = {j.name: j for j in scheduler.jobs()}["compliance-retention-dry-run"]
    # 2026-12-21 is a Monday, 2026-12-22 a Tuesday
    assert job.fires_on(date(2026, 12, 21)) is True
    assert job.fires_on(date(2026, 12, 22)) is False


def test_simulated_day_terminates_leaver_the_day_after_the_last_day(leaver):
    # given a leaver whose last working day is Friday 18 Dec 2026
    # when the scheduler ticks through the last day, then the next day
    embedded = scheduler.EmbeddedScheduler()
    embedded.tick(datetime(2026, 12, 18, 23, 59, tzinfo=LONDON))
    assert _status(leaver) == Employee.Status.ACTIVE
    embedded.tick(datetime(2026, 12, 19, 0, 15, tzinfo=LONDON))
    # then before 00:20 (the leavers' time) nothing has happened yet ...
    assert _status(leaver) == Employee.Status.ACTIVE
    outcomes = embedded.tick(datetime(2026, 12, 19, 0, 21, tzinfo=LONDON))
    # ... and after it the leaver is terminated, with the day's run recorded
    assert _status(leaver) == Employee.Status.TERMINATED
    assert "lifecycle-terminate-leavers" in {o.job for o in outcomes if o.status == "done"}
    run = JobRun.objects.get(job="lifecycle-terminate-leavers", day=date(2026, 12, 19))
    assert (run.status, run.result, run.source) == ("done", "1", "scheduler")


def test_scheduler_started_late_catches_up_on_the_days_jobs(leaver):
    # given a server that was off all night and starts at 09:30
    # when its first tick runs
    outcomes = scheduler.EmbeddedScheduler().tick(datetime(2026, 12, 19, 9, 30, tzinfo=LONDON))
    # then every daily job of the day ran once, the leaver included
    assert {o.job for o in outcomes if o.status == "done"} >= DAILY
    assert _status(leaver) == Employee.Status.TERMINATED


def test_second_tick_the_same_day_runs_no_daily_job_again(leaver):
    embedded = scheduler.EmbeddedScheduler()
    embedded.tick(datetime(2026, 12, 19, 9, 30, tzinfo=LONDON))
    # when it ticks again (or the server restarts) the same day
    again = scheduler.EmbeddedScheduler().tick(datetime(2026, 12, 19, 9, 31, tzinfo=LONDON))
    # then the daily jobs are skipped: claimed by their JobRun rows
    assert {o.status for o in again if o.job in DAILY} == {"skipped"}
    assert JobRun.objects.filter(day=date(2026, 12, 19)).count() == len(DAILY)


def test_run_due_jobs_command_runs_a_simulated_day_idempotently(leaver, hr_staff, ref):
    # given a pre-hire starting on 19 Dec 2026 and the leaver above
    starter = hire(hr_staff, ref, start=date(2026, 12, 19), today=date(2026, 12, 1)).employee
    out = StringIO()
    # when the jobs of the last day run, then those of the day after
    call_command("run_due_jobs", "--date", "2026-12-18", stdout=out)
    assert _status(leaver) == Employee.Status.ACTIVE
    call_command("run_due_jobs", "--date", "2026-12-19", stdout=out)
    # then the leaver is terminated and the starter active, whatever the hour it was run
    assert _status(leaver) == Employee.Status.TERMINATED
    assert _status(starter) == Employee.Status.ACTIVE
    assert "2026-12-19 lifecycle-terminate-leavers: ran: 1" in out.getvalue()
    # and running the same day again changes nothing
    again = StringIO()
    call_command("run_due_jobs", "--date", "2026-12-19", stdout=again)
    assert "2026-12-19 lifecycle-terminate-leavers: already ran" in again.getvalue()
    assert JobRun.objects.filter(day=date(2026, 12, 19)).count() == len(DAILY)


def test_run_due_jobs_rejects_a_bad_date():
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_due_jobs", "--date", "19/12/2026")


def test_failed_job_is_recorded_and_retried_only_when_asked(monkeypatch):
    # given a job that fails on its first run
    calls = []

    def flaky(job, day):
        calls.append(job.name)
        if len(calls) == 1:
            raise RuntimeError("database locked")
        return 3

    monkeypatch.setattr(scheduler, "_call", flaky)
    job = {j.name: j for j in scheduler.jobs()}["lifecycle-task-digest"]
    day = date(2026, 12, 19)
    # when it runs, then runs again without and with retry_failed
    first = scheduler.run_job(job, day, source="command")
    second = scheduler.run_job(job, day, source="command")
    third = scheduler.run_job(job, day, source="command", retry_failed=True)
    # then the failure is kept on the row until a retry succeeds
    assert (first.status, second.status, third.status) == ("failed", "skipped", "done")
    run = JobRun.objects.get(job=job.name, day=day)
    assert (run.status, run.result, run.error) == ("done", "3", "")
    assert len(calls) == 2


def test_failed_job_makes_the_command_fail(monkeypatch):
    def broken(job, day):
        raise RuntimeError("boom")

    monkeypatch.setattr(scheduler, "_call", broken)
    with pytest.raises(CommandError, match="retry-failed"):
        call_command("run_due_jobs", "--date", "2026-12-19", stdout=StringIO())
    assert set(JobRun.objects.values_list("status", flat=True)) == {"failed"}


def test_frequent_sweep_runs_again_only_when_its_schedule_is_due(monkeypatch):
    ran = []
    monkeypatch.setattr(scheduler, "_call", lambda job, day: ran.append(job.name) or 0)
    last_runs: dict = {}
    now = datetime(2026, 12, 19, 9, 30, tzinfo=LONDON)
    # when: two ticks in the same instant
    scheduler.run_frequent_jobs(last_runs, now)
    scheduler.run_frequent_jobs(last_runs, now)
    # then each sweep ran once
    assert sorted(ran) == ["delivery-clean-downloads", "delivery-clean-tmp", "delivery-relay"]


def test_runserver_is_ours_and_starts_the_scheduler_only_without_a_broker(settings, monkeypatch):
    # given the runserver command HROps installs
    from hrops.management.commands import runserver

    assert get_commands()["runserver"] == "hrops"
    started = []
    monkeypatch.setattr(scheduler.EmbeddedScheduler, "start", lambda self: started.append(self))
    monkeypatch.setattr(runserver.Base, "inner_run", lambda self, *a, **kw: None)
    command = runserver.Command(stdout=StringIO())
    # when it serves in the embedded mode, with --no-scheduler, and with a broker
    settings.CELERY_BROKER_URL = ""
    command.inner_run(no_scheduler=False)
    command.inner_run(no_scheduler=True)
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    command.inner_run(no_scheduler=False)
    # then only the first started a scheduler
    assert len(started) == 1


def test_scheduler_thread_ticks_and_stops(monkeypatch):
    ticked = threading.Event()
    monkeypatch.setattr(scheduler.EmbeddedScheduler, "tick", lambda self: ticked.set() or [])
    embedded = scheduler.EmbeddedScheduler(tick_seconds=0.01)
    thread = embedded.start()
    assert ticked.wait(5)
    embedded.stop()
    assert not thread.is_alive()


def test_job_statuses_show_last_run_result_and_next_run(leaver):
    # given the day's jobs ran at 09:30 on 19 Dec 2026
    now = datetime(2026, 12, 19, 9, 30, tzinfo=LONDON)
    scheduler.EmbeddedScheduler().tick(now)
    # when HR Admin's page asks for the statuses an hour later
    rows = {row.job.name: row for row in scheduler.job_statuses(
        datetime(2026, 12, 19, 10, 30, tzinfo=LONDON))}
    # then each daily job shows that run and tomorrow's time; the weekly one its Monday
    leavers = rows["lifecycle-terminate-leavers"]
    assert (leavers.last.day, leavers.last.result, leavers.overdue) == (date(2026, 12, 19), "1",
                                                                         False)
    assert leavers.next_at == datetime(2026, 12, 20, 0, 20, tzinfo=LONDON)
    assert leavers.when == "daily at 00:20"
    weekly = rows["compliance-retention-dry-run"]
    assert weekly.when == "Mondays at 04:30" and weekly.last is None
    assert weekly.next_at == datetime(2026, 12, 21, 4, 30, tzinfo=LONDON)
    assert rows["delivery-relay"].last is None
    assert rows["delivery-relay"].when == "every 60 seconds"


def test_a_daily_job_past_its_time_without_a_run_is_due_now():
    rows = {row.job.name: row for row in scheduler.job_statuses(
        datetime(2026, 12, 19, 9, 30, tzinfo=LONDON))}
    assert rows["lifecycle-terminate-leavers"].overdue is True
    assert rows["lifecycle-task-digest"].overdue is True


def test_scheduled_jobs_page_is_for_hr_admin_only(client, hr_admin, hr_staff, org):
    from django.urls import reverse

    from tests.mfa import enrol_totp

    scheduler.run_due_jobs(date(2026, 12, 19))
    client.force_login(hr_staff)
    assert client.get(reverse("scheduled_jobs")).status_code == 403
    client.force_login(org.users["employee"])
    assert client.get(reverse("scheduled_jobs")).status_code == 403
    enrol_totp(hr_admin)
    client.force_login(hr_admin)
    page = client.get(reverse("scheduled_jobs"))
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-job="lifecycle-terminate-leavers"' in body and "19 Dec 2026" in body
    assert "run_due_jobs" in body
