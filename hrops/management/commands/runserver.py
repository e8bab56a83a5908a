"""`runserver` that also runs the beat schedule in the embedded mode (no broker, so no beat).

It wraps the runserver that whitenoise.runserver_nostatic provides (static files by WhiteNoise)
and starts hrops.scheduler in the serving process only: under the autoreloader inner_run runs in
the child, never in the watching parent, so each restart has exactly one scheduler thread.
"""

from whitenoise.runserver_nostatic.management.commands.runserver import Command as Base

from hrops import scheduler


class Command(Base):
    def add_arguments(self, parser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--no-scheduler", action="store_true", dest="no_scheduler",
            help="Do not run the scheduled jobs in this process (embedded mode only).",
        )
        parser.description = (parser.description or "") + (
            "\n(HROps: with no CELERY_BROKER_URL it also runs the scheduled jobs.)")

    def inner_run(self, *args, **options) -> None:
        if scheduler.embedded_mode() and not options.get("no_scheduler"):
            scheduler.EmbeddedScheduler().start()
            self.stdout.write("Scheduled jobs run in this process (no CELERY_BROKER_URL).")
        super().inner_run(*args, **options)
