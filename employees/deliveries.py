"""Employee-record work the delivery mechanism carries: the bank-details notice."""

import logging

from delivery.downloads import download_kind
from delivery.mail import send_item_email
from delivery.models import DeliveryItem
from delivery.registry import PermanentError, handler
from employees.models import Employee

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
