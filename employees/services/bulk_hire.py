"""Hiring many people at once (an import of a whole company): the same rows and audit events as
`employee_create` for each person, written with a fixed number of INSERTs per thousand people.

`employee_create` costs about 27 queries a person (validation look-ups, the manager-chain walk,
the current-job sync, three audit events): 20,000 people took hours. Here the caller (the import)
has already validated every row against the whole file and the database — numbers and emails
unique, look-ups resolved, pay checked, managers known and in dependency order — so each batch is
one INSERT per table. `test_bulk_hire_writes_what_employee_create_writes` holds the two paths to
the same result. Call it inside the transaction that makes the import all or nothing.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from audit.models import AuditEvent
from audit.services import audit_event, diff, snapshot
from employees.hooks import job_fields_changed
from employees.models import ChangeReason, CompensationRecord, Employee, Employment, JobRecord
from employees.services.core import COMPENSATION_FIELDS, JOB_RECORD_FIELDS, JobData, PayData
from employees.signals import employee_hired
from hrops.copy_insert import assign_pks
from hrops.copy_insert import copy_insert as _insert

BATCH = 1000
EMPLOYEE_AUDIT_FIELDS = ["employee_number", "legal_first_name", "legal_last_name", "hire_date",
                         "status"]


@dataclass(frozen=True)
class Hire:
    """One validated new person. `manager_key`: the employee number (lower case) of a manager
    created earlier in the same call; `job.manager` is an existing manager."""

    employee_number: str
    legal_first_name: str
    legal_last_name: str
    work_email: str
    hire_date: date
    work_country: str
    job: JobData
    pay: PayData
    status: str = Employee.Status.PRE_HIRE
    preferred_name: str = ""
    manager_key: str = ""
    # Further Employee fields an import column sets (e.g. custom fields); name -> value.
    extra: tuple[tuple[str, object], ...] = ()


@transaction.atomic
def employees_bulk_create(*, acting_user, hires: Sequence[Hire],
                          progress: Callable[[int], None] | None = None,
                          batch: int = BATCH) -> dict[str, Employee]:
    """Create every hire with its employment, job and pay records and audit events; returns the
    new employees by lower-case number. Managers must come before their reports in `hires`."""
    created: dict[str, Employee] = {}
    user = acting_user if getattr(acting_user, "is_authenticated", False) else None
    for start in range(0, len(hires), batch):
        chunk = hires[start:start + batch]
        _create_chunk(acting_user, user, chunk, created)
        if progress:
            progress(min(start + batch, len(hires)))
    return created


def _employee(hire: Hire, created: dict[str, Employee]) -> Employee:
    manager = created.get(hire.manager_key) if hire.manager_key else hire.job.manager
    return Employee(
        employee_number=hire.employee_number, legal_first_name=hire.legal_first_name,
        legal_last_name=hire.legal_last_name, preferred_name=hire.preferred_name,
        work_email=hire.work_email, hire_date=hire.hire_date, work_country=hire.work_country,
        status=hire.status, job_title=hire.job.job_title, department=hire.job.department,
        location=hire.job.location, manager=manager, employment_type=hire.job.employment_type,
        fte=hire.job.fte, **dict(hire.extra),
    )


def _create_chunk(acting_user, user, chunk: Sequence[Hire], created: dict[str, Employee]) -> None:
    employees = [_employee(hire, created) for hire in chunk]
    # A manager in the same chunk has no pk yet when its reports are built. On PostgreSQL the
    # pks are drawn first, so every report points at its manager in the COPY itself (a
    # bulk_update of 1,000 managers was a CASE of 1,000 branches evaluated for every row).
    pks_first = assign_pks(Employee, employees)
    if not pks_first:
        _insert(Employee, employees)  # elsewhere the INSERT sets the pks
    late = []
    for hire, employee in zip(chunk, employees, strict=True):
        created[hire.employee_number.lower()] = employee
        if hire.manager_key and employee.manager_id is None:
            employee.manager = created[hire.manager_key]
            late.append(employee)
    if pks_first:
        _insert(Employee, employees)
    elif late:
        Employee.objects.bulk_update(late, ["manager"], batch_size=BATCH)
    _insert(Employment, [Employment(employee=e, start_date=e.hire_date) for e in employees])
    jobs = [JobRecord(employee=e, effective_date=e.hire_date, reason=ChangeReason.HIRE,
                      created_by=user, job_title=e.job_title, department=e.department,
                      location=e.location, manager=e.manager, employment_type=e.employment_type,
                      fte=e.fte, weekly_hours=hire.job.weekly_hours)
            for hire, e in zip(chunk, employees, strict=True)]
    _insert(JobRecord, jobs)
    pays = [CompensationRecord(employee=e, effective_date=e.hire_date, reason=ChangeReason.HIRE,
                               basis=hire.pay.basis, currency=hire.pay.currency,
                               annual_salary=hire.pay.annual_salary,
                               hourly_rate=hire.pay.hourly_rate,
                               pay_schedule=hire.pay.pay_schedule, created_by=user)
            for hire, e in zip(chunk, employees, strict=True)]
    _insert(CompensationRecord, pays)
    _insert(AuditEvent, list(_audit_events(acting_user, employees, jobs, pays)))
    # What employee_create's job record triggers (compliance statuses...), once per chunk.
    job_fields_changed([e.pk for e in employees])
    employee_hired.send(sender=Employee, employees=list(employees))


def _audit_events(acting_user, employees, jobs, pays):
    """The three events `employee_create` records per person, in its order. Choice labels are
    translated once here: `get_..._display()` translates every choice on each call (~1 ms)."""
    reason = str(ChangeReason.HIRE.label)
    basis = {key: str(label) for key, label in CompensationRecord.Basis.choices}
    for employee, job, pay in zip(employees, jobs, pays, strict=True):
        yield audit_event(actor=acting_user, action="create", obj=employee,
                          employee_id=employee.pk,
                          changes=diff({}, snapshot(employee, EMPLOYEE_AUDIT_FIELDS)))
        yield audit_event(actor=acting_user, action="create", obj=job, employee_id=employee.pk,
                          changes=diff({}, snapshot(job, JOB_RECORD_FIELDS)),
                          note=f"{reason} effective {job.effective_date}")
        amount = pay.annual_salary if pay.basis == CompensationRecord.Basis.SALARY \
            else pay.hourly_rate
        # CompensationRecord.__str__, with the label translated once
        yield audit_event(actor=acting_user, action="create", obj=pay, employee_id=employee.pk,
                          changes=diff({}, snapshot(pay, COMPENSATION_FIELDS)),
                          note=f"{reason} effective {pay.effective_date}",
                          label=f"{pay.currency} {amount} ({basis[pay.basis]}) from "
                                f"{pay.effective_date}")
