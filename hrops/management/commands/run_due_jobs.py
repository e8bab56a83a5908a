"""Run a day's scheduled jobs by hand: `manage.py run_due_jobs [--date YYYY-MM-DD]`."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hrops import scheduler


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"--date must be YYYY-MM-DD, not {value!r}") from exc


class Command(BaseCommand):
    help = ("Run every daily job of the beat schedule that fires on the day (default: today), "
            "whatever the hour. Idempotent: a job that already ran for that day is skipped.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", type=_date, default=None,
                            help="The company day to run, YYYY-MM-DD (default: today).")
        parser.add_argument("--retry-failed", action="store_true",
                            help="Run again the jobs of that day that failed.")

    def handle(self, *args, **options) -> None:
        day = options["date"] or timezone.localdate()
        outcomes = scheduler.run_due_jobs(day, source="command",
                                          retry_failed=options["retry_failed"])
        for outcome in outcomes:
            label = {"done": "ran", "skipped": "already ran", "failed": "FAILED"}[outcome.status]
            suffix = f": {outcome.result}" if outcome.result else ""
            self.stdout.write(f"{day} {outcome.job}: {label}{suffix}")
        if any(o.status == "failed" for o in outcomes):
            raise CommandError("some jobs failed; see the log, then run again with "
                               "--retry-failed")
