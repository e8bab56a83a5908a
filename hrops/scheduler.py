"""The embedded scheduler: CELERY_BEAT_SCHEDULE without Celery beat, for the no-broker default.

Production runs `celery beat` (docker-compose). With no CELERY_BROKER_URL there is no beat, so
`manage.py runserver` (hrops/management/commands/runserver.py) starts this scheduler in a daemon
thread of the serving process, and `manage.py run_due_jobs [--date]` runs a day's jobs by hand.
Both read the one beat schedule in settings, so the two modes never drift apart.

Daily jobs (a crontab firing once a day at most: starters, leavers, effective changes, digests,
reminders, the weekly retention dry run) are claimed by inserting a lifecycle.JobRun (job, day)
row first: a second tick, a restart on the same day or a run by hand never runs a day twice.
A job whose time has passed while nothing was running (the laptop was closed at 00:20) runs on
the next tick, so a leaver is still terminated the morning after their last day.
Frequent jobs (the delivery relay every minute, the hourly temp-file sweep) only repeat
idempotent sweeps, so the thread just remembers when it last ran them.
"""

import inspect
import logging
import threading
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from celery.schedules import crontab
from celery.schedules import schedule as interval
from django.conf import settings
from django.db import IntegrityError, close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

log = logging.getLogger(__name__)

TICK_SECONDS = 30


@dataclass(frozen=True)
class Job:
    name: str
    task: str
    schedule: crontab | interval

    @property
    def daily(self) -> bool:
        return isinstance(self.schedule, crontab) and (
            len(self.schedule.hour) == 1 and len(self.schedule.minute) == 1)

    def fires_on(self, day: date) -> bool:
        s = self.schedule
        # celery counts weekdays from Sunday = 0
        return (day.isoweekday() % 7 in s.day_of_week and day.day in s.day_of_month
                and day.month in s.month_of_year)

    def due_at(self, day: date) -> datetime:
        at = time(next(iter(self.schedule.hour)), next(iter(self.schedule.minute)))
        return datetime.combine(day, at, tzinfo=ZoneInfo(settings.TIME_ZONE))


@dataclass(frozen=True)
class Outcome:
    job: str
    status: str  # "done", "failed" or "skipped" (already ran that day)
    result: str = ""


def _schedule(value) -> crontab | interval:
    """A beat entry's schedule: a crontab, or seconds / a timedelta (beat's interval form,
    e.g. the delivery relay every minute), which is a frequent job here."""
    if isinstance(value, crontab | interval):
        return value
    seconds = value.total_seconds() if isinstance(value, timedelta) else float(value)
    return interval(run_every=timedelta(seconds=seconds))


def jobs() -> list[Job]:
    return [
        Job(name=name, task=entry["task"], schedule=_schedule(entry["schedule"]))
        for name, entry in settings.CELERY_BEAT_SCHEDULE.items()
    ]


def _call(job: Job, day: date) -> object:
    module, _, name = job.task.rpartition(".")
    task = getattr(import_module(module), name)
    kwargs = {"day": day.isoformat()} if "day" in inspect.signature(task.run).parameters else {}
    # Called directly, like an eager task: what it enqueues goes to the broker when there is
    # one (run_due_jobs in production) and runs in-process when there is none.
    return task(**kwargs)


def _claim(job: Job, day: date, source: str, *, retry_failed: bool) -> int | None:
    from lifecycle.models import JobRun

    now = timezone.now()
    try:
        with transaction.atomic():
            return JobRun.objects.create(job=job.name, day=day, source=source, started_at=now).pk
    except IntegrityError:
        if not retry_failed:
            return None
    # A failed run may be retried by hand; the conditional UPDATE keeps that a single claim.
    run = JobRun.objects.filter(job=job.name, day=day, status=JobRun.Status.FAILED).first()
    if run is None or not JobRun.objects.filter(pk=run.pk, status=JobRun.Status.FAILED).update(
            status=JobRun.Status.RUNNING, source=source, started_at=now, error=""):
        return None
    return run.pk


def run_job(job: Job, day: date, *, source: str, retry_failed: bool = False) -> Outcome:
    """Run one daily job for `day` unless it already ran (or is running) for that day."""
    from lifecycle.models import JobRun

    run_id = _claim(job, day, source, retry_failed=retry_failed)
    if run_id is None:
        return Outcome(job=job.name, status="skipped")
    try:
        result = _call(job, day)
    except Exception as exc:  # recorded on the run row for HR Admin, and logged with its trace
        log.exception("scheduled job %s for %s failed", job.name, day)
        JobRun.objects.filter(pk=run_id).update(
            status=JobRun.Status.FAILED, finished_at=timezone.now(), error=repr(exc)[:2000])
        return Outcome(job=job.name, status="failed", result=repr(exc))
    text = "" if result is None else str(result)[:255]
    JobRun.objects.filter(pk=run_id).update(
        status=JobRun.Status.DONE, finished_at=timezone.now(), result=text)
    return Outcome(job=job.name, status="done", result=text)


def run_due_jobs(day: date, *, now: datetime | None = None, source: str = "command",
                 retry_failed: bool = False) -> list[Outcome]:
    """Every daily job that fires on `day`; with `now`, only those whose time has come."""
    outcomes = []
    for job in jobs():
        if not job.daily or not job.fires_on(day):
            continue
        if now is not None and job.due_at(day) > now:
            continue
        outcomes.append(run_job(job, day, source=source, retry_failed=retry_failed))
    return outcomes


def run_frequent_jobs(last_runs: dict[str, datetime], now: datetime) -> list[Outcome]:
    """Sweeps that fire several times a day, each when its crontab says since its last run."""
    outcomes = []
    for job in jobs():
        if job.daily:
            continue
        last = last_runs.get(job.name)
        if last is not None and not job.schedule.is_due(last).is_due:
            continue
        last_runs[job.name] = now
        try:
            result = _call(job, now.date())
            outcomes.append(Outcome(job=job.name, status="done", result=str(result)))
        except Exception as exc:
            log.exception("scheduled job %s failed", job.name)
            outcomes.append(Outcome(job=job.name, status="failed", result=repr(exc)))
    return outcomes


class EmbeddedScheduler:
    """The beat schedule in a daemon thread of the web process (embedded mode only)."""

    def __init__(self, tick_seconds: float = TICK_SECONDS) -> None:
        self.tick_seconds = tick_seconds
        self.last_runs: dict[str, datetime] = {}
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def tick(self, now: datetime | None = None) -> list[Outcome]:
        now = now or timezone.now()
        local = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE))
        # Only today's: the status jobs catch up by themselves (leavers whose last day is before
        # today, starters whose start date has come), and yesterday's digest would be stale.
        outcomes = run_due_jobs(local.date(), now=now, source="scheduler")
        return outcomes + run_frequent_jobs(self.last_runs, now)

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                self.tick()
            except Exception:  # the thread must survive a bad tick (database locked, ...)
                log.exception("embedded scheduler tick failed")
            finally:
                close_old_connections()
            self._stop.wait(self.tick_seconds)

    def start(self) -> threading.Thread:
        self._thread = threading.Thread(target=self._loop, name="hrops-scheduler", daemon=True)
        self._thread.start()
        log.info("embedded scheduler started: %s job(s) from CELERY_BEAT_SCHEDULE", len(jobs()))
        return self._thread

    def stop(self, timeout: float = 5) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout)


# HR Admin's "Scheduled jobs" page ----------------------------------------------------------

WEEKDAYS = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")


@dataclass(frozen=True)
class JobStatus:
    job: Job
    when: str  # "daily at 00:20", "Mondays at 04:30", "every few minutes (*/5 * * * *)"
    last: object | None  # the latest lifecycle.JobRun (daily jobs only)
    next_at: datetime | None
    overdue: bool  # today's time has passed and it has not run


def _when(job: Job) -> str:
    s = job.schedule
    if not isinstance(s, crontab):
        return _("every %(n)d seconds") % {"n": s.run_every.total_seconds()}
    if not job.daily:
        return _("several times a day (%(cron)s)") % {"cron": " ".join(str(part) for part in (
            s._orig_minute, s._orig_hour, s._orig_day_of_month, s._orig_month_of_year,
            s._orig_day_of_week))}
    at = job.due_at(date(2000, 1, 1)).strftime("%H:%M")
    if len(s.day_of_week) == 1:
        return _("%(day)ss at %(at)s") % {"day": _(WEEKDAYS[next(iter(s.day_of_week))]),
                                          "at": at}
    return _("daily at %(at)s") % {"at": at}


def _next_at(job: Job, now: datetime) -> datetime | None:
    if not job.daily:
        return now + job.schedule.remaining_estimate(now)
    today = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE)).date()
    for offset in range(0, 400):  # a year and a bit covers monthly and yearly crontabs
        day = today + timedelta(days=offset)
        if job.fires_on(day) and job.due_at(day) > now:
            return job.due_at(day)
    return None


def job_statuses(now: datetime | None = None) -> list[JobStatus]:
    """Each job of the beat schedule with its last recorded run and its next time."""
    from lifecycle.models import JobRun

    now = now or timezone.now()
    today = timezone.localtime(now, ZoneInfo(settings.TIME_ZONE)).date()
    all_jobs = jobs()
    latest: dict[str, JobRun] = {}
    for run in JobRun.objects.filter(job__in=[j.name for j in all_jobs]).order_by(
            "job", "-day", "-started_at"):
        latest.setdefault(run.job, run)
    rows = []
    for job in all_jobs:
        last = latest.get(job.name)
        overdue = (job.daily and job.fires_on(today) and job.due_at(today) <= now
                   and (last is None or last.day < today))
        rows.append(JobStatus(job=job, when=_when(job), last=last,
                              next_at=_next_at(job, now), overdue=overdue))
    return rows


def embedded_mode() -> bool:
    """No broker means no beat: the web process has to run the schedule itself."""
    return not settings.CELERY_BROKER_URL
