"""The events of the apps below webhooks, sent as webhooks (connected in WebhooksConfig.ready):
the employee record's signals (employees.signals) and payroll's `run_finalised`. Each receiver
runs in the sender's transaction, so `emit` writes the delivery rows and outbox items with the
change. Apps above the record (time off, compliance) call `webhooks.events.emit` directly."""

from django.dispatch import receiver

from employees.models import CompensationRecord, Employee, JobRecord
from employees.signals import (
    compensation_changed,
    employee_hired,
    employee_terminated,
    employee_updated,
    job_changed,
)
from payroll.models import PayRun
from payroll.signals import run_finalised
from webhooks.events import emit, emit_many
from webhooks.models import Event
from webhooks.serializers import (
    compensation_resource,
    employee_resource,
    job_resource,
    pay_run_resource,
)


@receiver(employee_hired, sender=Employee, dispatch_uid="webhooks.employee_hired")
def on_hired(sender, employees: list, **kwargs) -> None:
    emit_many(Event.EMPLOYEE_HIRED, [employee_resource(e) for e in employees])


@receiver(employee_updated, sender=Employee, dispatch_uid="webhooks.employee_updated")
def on_updated(sender, employee, changed: list[str], **kwargs) -> None:
    # The names of what changed, not the values (addresses, birth dates, custom fields stay).
    if changed:
        emit(Event.EMPLOYEE_UPDATED, {**employee_resource(employee), "changed": sorted(changed)})


@receiver(employee_terminated, sender=Employee, dispatch_uid="webhooks.employee_terminated")
def on_terminated(sender, employee, **kwargs) -> None:
    emit(Event.EMPLOYEE_TERMINATED, employee_resource(employee))


@receiver(job_changed, sender=JobRecord, dispatch_uid="webhooks.job_changed")
def on_job_changed(sender, record, **kwargs) -> None:
    emit(Event.JOB_CHANGED, job_resource(record))


@receiver(compensation_changed, sender=CompensationRecord,
          dispatch_uid="webhooks.compensation_changed")
def on_compensation_changed(sender, record, **kwargs) -> None:
    emit(Event.COMPENSATION_CHANGED, compensation_resource(record))


@receiver(run_finalised, sender=PayRun, dispatch_uid="webhooks.run_finalised")
def on_run_finalised(sender, run, **kwargs) -> None:
    emit(Event.PAYROLL_RUN_FINALISED, pay_run_resource(run))
