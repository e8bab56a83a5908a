"""Assess each calculated regular run, durably, after the calculation commits."""

from django.dispatch import receiver

from delivery.services import delivery_enqueue
from payroll.models import PayRun
from payroll.signals import run_calculated


@receiver(run_calculated, sender=PayRun, dispatch_uid="pensions.assess_on_calculated")
def assess_on_calculated(sender, run: PayRun, generation: int, **kwargs) -> None:
    if run.kind != PayRun.Kind.REGULAR:
        return
    from pensions.models import PensionScheme

    # One query: a scheme covers this (UK) schedule.
    if PensionScheme.objects.filter(schedules=run.schedule_id,
                                    schedules__country="GB").exists():
        delivery_enqueue(kind="pensions.assess_run", key=f"pensions.assess:{run.pk}:{generation}",
                         payload={"run_id": run.pk})
