import logging

from celery import shared_task

from hrops.mail import send_templated_email

log = logging.getLogger(__name__)


@shared_task(acks_late=True, reject_on_worker_lost=True, autoretry_for=(ConnectionError,),
             retry_backoff=True, retry_jitter=True, max_retries=5)
def send_bank_notice_task(employee_id: int, event: str, last4: str = "", reason: str = "") -> None:
    """Tell the employee, at work AND personal addresses, that their bank details changed or a
    change was asked for: a diverted salary is then noticed before payday."""
    from employees.models import Employee

    employee = Employee.objects.filter(pk=employee_id).first()
    if employee is None:
        log.warning("send_bank_notice_task: employee %s is gone", employee_id)
        return
    to = list(dict.fromkeys(e for e in (employee.work_email, employee.personal_email) if e))
    if not to:
        log.warning("send_bank_notice_task: employee %s has no email address", employee_id)
        return
    send_templated_email(
        "bank_notice",
        {"employee": employee, "event": event, "last4": last4, "reason": reason},
        to=to,
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_effective_changes_task(day: str | None = None) -> int:
    """Daily: copy job changes that come into force today onto the employees' current fields.
    Idempotent: a second run the same day finds nothing left to change."""
    from datetime import date

    from employees.services.changes import effective_changes_apply

    changed = effective_changes_apply(today=date.fromisoformat(day) if day else None)
    log.info("apply_effective_changes_task: %s employee(s) updated", changed)
    return changed
