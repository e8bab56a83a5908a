"""Employee-record work the delivery mechanism carries: the bank-details notice, and the check
and apply steps of an import file."""

import logging

from delivery.downloads import download_kind
from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.registry import PermanentError, handler, is_transient
from employees.models import Employee
from employees.services import import_jobs

log = logging.getLogger(__name__)
BANK_NOTICE_KIND = "employees.bank_notice"


def _directory_xlsx() -> None:
    # The directory's XLSX export, built by a worker (delivery.downloads); the views module
    # holds its columns, imported here so a worker process registers the kind.
    from employees.views.directory import EXPORT_XLSX_KIND, export_check, export_download_rows

    download_kind(EXPORT_XLSX_KIND, check=export_check)(export_download_rows)


_directory_xlsx()


@handler(BANK_NOTICE_KIND)
def bank_notice(item: DeliveryItem) -> None:
    """Tell the employee, at work AND personal addresses, that their bank details changed or a
    change was asked for: a diverted salary is then noticed before payday."""
    data = item.payload
    employee = Employee.objects.filter(pk=data["employee_id"]).first()
    if employee is None:
        log.warning("bank notice: employee %s is gone", data["employee_id"])
        return
    to = list(dict.fromkeys(e for e in (employee.work_email, employee.personal_email) if e))
    if not to:
        raise PermanentError("The employee has no email address.")
    send_item_email(item, "bank_notice", {
        "employee": employee, "event": data["event"], "last4": data.get("last4", ""),
        "reason": data.get("reason", "")}, to=to)


# An import of 20,000 people takes about a minute on a quiet machine, several under load: more
# than the delivery default (DELIVERY_TASK_TIME_LIMIT, 120 s). A killed worker's import is
# taken over after IMPORT_TIME_LIMIT + 60 s (the extended lease) instead of 200 s.
IMPORT_TIME_LIMIT = 600


@handler("employees.import.check", time_limit=IMPORT_TIME_LIMIT, background=True)
def import_check(item: DeliveryItem) -> None:
    """The dry run of an uploaded import file (employees.services.import_jobs)."""
    _import_step(item, import_jobs.import_check)


@handler("employees.import.apply", time_limit=IMPORT_TIME_LIMIT, background=True)
def import_apply(item: DeliveryItem) -> None:
    """The all-or-nothing write of a checked import file."""
    _import_step(item, import_jobs.import_apply)


def _import_step(item: DeliveryItem, step) -> None:
    job_id = item.payload["job_id"]
    try:
        step(job_id=job_id)
    except Exception as exc:
        if is_transient(exc):
            raise  # retried with backoff; nothing was written
        import_jobs.import_job_fail(job_id=job_id, error=f"{type(exc).__name__}: {exc}")
        raise PermanentError(f"{type(exc).__name__}: {exc}") from exc
