"""The employee record in the retention purge: which former employees' personal data is due for
anonymisation, and anonymising one of them when an HR Admin approves the run.

A former employee is DUE when all of these hold on the day:
* they are terminated, and the employee-record rule's years after the end of employment have
  passed (due on termination date + N years, that day included);
* none of their payroll records is still inside its statutory period (``payroll.retention``:
  the tax year of their latest finalised pay date must be due; a person never paid is fine);
* no active legal hold covers them, on the person or on any one of their records (a hold on
  one record keeps the whole person: anonymising them would strip that record too). Such a
  person is listed as held (kept);
* they are not anonymised already.

The report is a fixed number of queries whatever the number of employees. The other apps'
parts are reached through their hooks (``<app>.services.retention.employee_data_erase``) so
compliance imports none of them.
"""

from datetime import date, timedelta

from django.db import transaction

from compliance.hooks import app_hook
from compliance.models import (
    ComplianceRecord,
    EvidencePack,
    LegalHold,
    RetentionRule,
    SubjectAccessExport,
)
from compliance.status import add_years
from employees.models import Employee
from hrops.uploads import delete_files_on_commit

ERASE_PROVIDERS = ["lifecycle", "payroll"]


def employee_record_rule() -> RetentionRule | None:
    return RetentionRule.objects.filter(kind=RetentionRule.Kind.EMPLOYEE_RECORD,
                                        active=True).first()


def employees_on_hold() -> set[int]:
    """Everyone with an active legal hold, on the person or on one of their records."""
    return set(LegalHold.objects.filter(released_at__isnull=True)
               .values_list("employee_id", flat=True))


def _payroll_kept(today: date) -> set[int]:
    module = app_hook("payroll", "retention")
    return module.employees_in_payroll_retention(today) if module is not None else set()


def employees_report(*, today: date) -> tuple[list[dict], list[dict]]:
    """(due, held): former employees whose personal data is due for anonymisation, and those
    a legal hold keeps. Three or four queries, whatever the number of employees."""
    rule = employee_record_rule()
    if rule is None:
        return [], []
    years = rule.years_after_end
    kept_for_payroll = _payroll_kept(today)
    on_hold = employees_on_hold()
    # A day of slack for 29 February; the exact date is checked below.
    latest_end = add_years(today, -years) + timedelta(days=1)
    rows = (
        Employee.objects.filter(status=Employee.Status.TERMINATED, anonymised_at__isnull=True,
                                termination_date__lte=latest_end)
        .values("pk", "employee_number", "legal_first_name", "legal_last_name",
                "termination_date")
        .order_by("termination_date", "pk")
    )
    due: list[dict] = []
    held: list[dict] = []
    for row in rows:
        when = add_years(row["termination_date"], years)
        if when > today or row["pk"] in kept_for_payroll:
            continue
        item = {
            "employee_id": row["pk"],
            "employee": (f"{row['legal_first_name']} {row['legal_last_name']} "
                         f"({row['employee_number']})"),
            "rule": rule.name, "action": RetentionRule.Action.ANONYMISE,
            "terminated_on": row["termination_date"].isoformat(), "due_on": when.isoformat(),
        }
        (held if row["pk"] in on_hold else due).append(item)
    return due, held


def _compliance_data_erase(employee: Employee) -> dict[str, int]:
    """Compliance's own part: records anonymised as the records purge does; generated
    evidence packs and subject-access exports (full copies of personal data) deleted."""
    from compliance.services.retention import anonymise_record

    records = list(ComplianceRecord.objects.select_for_update()
                   .filter(employee=employee, anonymised_at__isnull=True).order_by("pk"))
    for record in records:
        anonymise_record(record)
    files: list[str] = []
    exports = 0
    for model in (EvidencePack, SubjectAccessExport):
        rows = model.objects.filter(employee=employee)
        files += [name for name in rows.values_list("file", flat=True) if name]
        exports += rows.delete()[0]
    delete_files_on_commit(files)
    return {"compliance records anonymised": len(records),
            "evidence packs and subject-access exports": exports}


@transaction.atomic
def employee_purge(*, acting_user, employee_id: int, rule_name: str) -> bool:
    """Anonymise one former employee (everything the apps hold about them). The caller has
    re-checked that they are still due and not held. Idempotent: False when already done."""
    from employees.services.anonymise import employee_anonymise

    # Lock the person first, so two purges of the same person run one after the other.
    employee = Employee.objects.select_for_update().filter(pk=employee_id).first()
    if employee is None or employee.anonymised_at is not None:
        return False
    erased: dict[str, int] = {}
    for app in ERASE_PROVIDERS:
        module = app_hook(app, "services.retention")
        if module is not None:
            erased |= module.employee_data_erase(acting_user=acting_user, employee=employee)
    erased |= _compliance_data_erase(employee)
    employee_anonymise(acting_user=acting_user, employee=employee, erased=erased,
                       note=f"Rule: {rule_name}.")
    return True
