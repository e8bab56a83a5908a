from django.core.management.base import BaseCommand

from payroll.models import PayRun
from payroll.services.payslips import payslips_render_for_run


class Command(BaseCommand):
    help = ("Queue the PDF of every payslip still pending in finalised or paid runs (e.g. after "
            "loading history, or after an outage of the workers).")

    def add_arguments(self, parser) -> None:
        parser.add_argument("--run", type=int, help="only this pay run id")

    def handle(self, *args: object, run: int | None = None, **options: object) -> None:
        runs = PayRun.objects.filter(status__in=PayRun.FROZEN)
        if run is not None:
            runs = runs.filter(pk=run)
        run_ids = runs.values_list("pk", flat=True)
        queued = sum(payslips_render_for_run(run_id) for run_id in run_ids)
        self.stdout.write(f"Queued {queued} payslip PDF(s).")
