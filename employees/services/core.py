"""Writes to the employee record. Every function here runs in a transaction and records an
audit event; other apps change employees only through these functions."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, diff, snapshot
from employees.access import require_not_self
from employees.hooks import job_fields_changed
from employees.models import (
    ChangeReason,
    CompensationRecord,
    Department,
    Employee,
    Employment,
    EmploymentType,
    JobRecord,
    JobTitle,
    Location,
)
from employees.selectors import job_as_of, manager_chain
from employees.signals import (
    compensation_changed,
    employee_hired,
    employee_terminated,
    employee_updated,
    job_changed,
)

JOB_FIELDS = ("job_title", "department", "location", "manager", "employment_type", "fte")
# Fields of a job record that are not mirrored onto the employee (read as of a date instead).
JOB_RECORD_FIELDS = (*JOB_FIELDS, "weekly_hours")
COMPENSATION_FIELDS = ("basis", "annual_salary", "hourly_rate", "currency", "pay_schedule")


@dataclass(frozen=True)
class JobData:
    job_title: JobTitle
    department: Department
    location: Location
    manager: Employee | None = None
    employment_type: str = EmploymentType.FULL_TIME
    fte: Decimal = Decimal("1.000")
    weekly_hours: Decimal | None = None  # contracted hours a week; None = not known


@dataclass(frozen=True)
class PayData:
    basis: str
    currency: str
    annual_salary: Decimal | None = None
    hourly_rate: Decimal | None = None
    pay_schedule: object | None = None  # payroll.PaySchedule


WEEKLY_HOURS_MAX = Decimal("168")


def check_weekly_hours(weekly_hours: Decimal | None) -> None:
    if weekly_hours is not None and not (0 < weekly_hours <= WEEKLY_HOURS_MAX):
        raise ValidationError({"weekly_hours": _(
            "Contracted hours a week must be more than 0 and at most %(hi)s.")
            % {"hi": WEEKLY_HOURS_MAX}})


def _ensure_no_manager_cycle(employee: Employee, manager: Employee | None) -> None:
    if manager is None:
        return
    if manager.pk == employee.pk or employee.pk in {m.pk for m in manager_chain(manager)}:
        raise ValidationError(
            {"manager": _("%(manager)s reports to %(employee)s, so cannot be their manager.")
             % {"manager": manager.display_name, "employee": employee.display_name}}
        )


def employee_sync_current_job(*, employee: Employee, today: date | None = None) -> bool:
    """Copy the JobRecord in force today onto the employee (the fast 'current' fields).
    Returns True when anything changed. Run after every job change and daily for future-dated
    records that came into force."""
    today = today or timezone.localdate()
    # A pre-hire has no job in force yet: show the job they are starting in.
    record = job_as_of(employee, today) or (
        JobRecord.objects.filter(employee=employee).order_by("effective_date").first()
    )
    if record is None:
        return False
    changed = [f for f in JOB_FIELDS if getattr(employee, f) != getattr(record, f)]
    for field in changed:
        setattr(employee, field, getattr(record, field))
    if changed:
        employee.save(update_fields=[*changed, "updated_at"])
        job_fields_changed([employee.pk])
    return bool(changed)


# Job and pay records of a (re)hire: announced by employee.hired, not job/compensation.changed.
STARTS = frozenset({ChangeReason.HIRE, ChangeReason.REHIRE})


@transaction.atomic
def employee_create(
    *,
    acting_user,
    employee_number: str,
    legal_first_name: str,
    legal_last_name: str,
    hire_date: date,
    work_country: str,
    job: JobData,
    pay: PayData,
    status: str = Employee.Status.PRE_HIRE,
    reason: str = ChangeReason.HIRE,
    **personal: object,
) -> Employee:
    """Create a person with their first employment period, job and compensation records."""
    employee = Employee(
        employee_number=employee_number,
        legal_first_name=legal_first_name,
        legal_last_name=legal_last_name,
        hire_date=hire_date,
        work_country=work_country,
        status=status,
        **personal,
    )
    employee.full_clean(exclude=["job_title", "department", "location", "manager"])
    employee.save()
    Employment.objects.create(employee=employee, start_date=hire_date)
    audit_record(
        actor=acting_user, action="create", obj=employee, employee_id=employee.pk,
        changes=diff({}, snapshot(employee, ["employee_number", "legal_first_name",
                                             "legal_last_name", "hire_date", "status"])),
    )
    job_record_add(acting_user=acting_user, employee=employee, effective_date=hire_date,
                   job=job, reason=reason)
    compensation_record_add(acting_user=acting_user, employee=employee,
                            effective_date=hire_date, pay=pay, reason=reason)
    employee_hired.send(sender=Employee, employees=[employee])
    return employee


@transaction.atomic
def job_record_add(
    *,
    acting_user,
    employee: Employee,
    effective_date: date,
    job: JobData,
    reason: str,
    note: str = "",
) -> JobRecord:
    require_not_self(acting_user, employee, _("job"))
    _ensure_no_manager_cycle(employee, job.manager)
    check_weekly_hours(job.weekly_hours)
    if JobRecord.objects.filter(employee=employee, effective_date=effective_date).exists():
        raise ValidationError(
            {"effective_date": _("There is already a job change on %(date)s; correct that one "
                                 "instead.") % {"date": effective_date}}
        )
    previous = job_as_of(employee, effective_date)
    record = JobRecord.objects.create(
        employee=employee, effective_date=effective_date, reason=reason, note=note,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
        job_title=job.job_title, department=job.department, location=job.location,
        manager=job.manager, employment_type=job.employment_type, fte=job.fte,
        weekly_hours=job.weekly_hours,
    )
    audit_record(
        actor=acting_user, action="create", obj=record, employee_id=employee.pk,
        changes=diff(snapshot(previous, JOB_RECORD_FIELDS) if previous else {},
                     snapshot(record, JOB_RECORD_FIELDS)),
        note=f"{record.get_reason_display()} effective {effective_date}",
    )
    employee_sync_current_job(employee=employee)
    if reason not in STARTS:  # a hire is one employee.hired event, not three
        job_changed.send(sender=JobRecord, record=record)
    return record


@transaction.atomic
def compensation_record_add(
    *,
    acting_user,
    employee: Employee,
    effective_date: date,
    pay: PayData,
    reason: str,
    note: str = "",
) -> CompensationRecord:
    require_not_self(acting_user, employee, _("pay"))
    if CompensationRecord.objects.filter(employee=employee,
                                         effective_date=effective_date).exists():
        raise ValidationError(
            {"effective_date": _("There is already a pay change on %(date)s; correct that one "
                                 "instead.") % {"date": effective_date}}
        )
    previous = (
        CompensationRecord.objects.filter(employee=employee, effective_date__lte=effective_date)
        .order_by("-effective_date").first()
    )
    record = CompensationRecord(
        employee=employee, effective_date=effective_date, reason=reason, note=note,
        basis=pay.basis, currency=pay.currency, annual_salary=pay.annual_salary,
        hourly_rate=pay.hourly_rate, pay_schedule=pay.pay_schedule,
        created_by=acting_user if getattr(acting_user, "is_authenticated", False) else None,
    )
    record.full_clean(exclude=["employee", "created_by"])
    record.save()
    # A pay change is a change to the person for syncing clients (the API's updated_since).
    Employee.objects.filter(pk=employee.pk).update(updated_at=timezone.now())
    audit_record(
        actor=acting_user, action="create", obj=record, employee_id=employee.pk,
        changes=diff(snapshot(previous, COMPENSATION_FIELDS) if previous else {},
                     snapshot(record, COMPENSATION_FIELDS)),
        note=f"{record.get_reason_display()} effective {effective_date}",
    )
    if reason not in STARTS:
        compensation_changed.send(sender=CompensationRecord, record=record)
    return record


# Status machine: pre-hire -> active <-> on leave -> terminated; a rehire opens a new employment
# period (employee_rehire), which is the only way out of "terminated".
ALLOWED_STATUS: dict[str, frozenset[str]] = {
    Employee.Status.PRE_HIRE: frozenset({Employee.Status.ACTIVE, Employee.Status.TERMINATED}),
    Employee.Status.ACTIVE: frozenset({Employee.Status.ON_LEAVE, Employee.Status.TERMINATED}),
    Employee.Status.ON_LEAVE: frozenset({Employee.Status.ACTIVE, Employee.Status.TERMINATED}),
    Employee.Status.TERMINATED: frozenset(),
}


class IllegalTransition(ValidationError):
    pass


@transaction.atomic
def employee_change_status(
    *, acting_user, employee: Employee, to_status: str, on: date | None = None, note: str = ""
) -> Employee:
    """Move an employee along the status machine. Idempotent: already there is a no-op."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    require_not_self(acting_user, employee, _("employment status"))
    if employee.status == to_status:
        return employee
    if to_status not in ALLOWED_STATUS[employee.status]:
        raise IllegalTransition(
            _("%(name)s is %(current)s and cannot become %(target)s.") % {
                "name": employee.display_name,
                "current": employee.get_status_display().lower(),
                "target": Employee.Status(to_status).label.lower(),
            }
        )
    before = employee.status
    employee.status = to_status
    fields = ["status", "version", "updated_at"]
    if to_status == Employee.Status.TERMINATED:
        employee.termination_date = on or timezone.localdate()
        fields.append("termination_date")
    employee.version += 1
    employee.save(update_fields=fields)
    audit_record(actor=acting_user, action="status", obj=employee, employee_id=employee.pk,
                 changes={"status": [before, to_status]}, note=note)
    if to_status != Employee.Status.TERMINATED:  # a leaver is employee.terminated
        employee_updated.send(sender=Employee, employee=employee, changed=["status"])
    return employee


@transaction.atomic
def employment_schedule_end(
    *,
    acting_user,
    employee: Employee,
    last_day: date,
    reason: str,
    rehire_eligible: bool | None,
) -> Employment:
    """Record the last working day of the open employment period (status changes later, on the
    day after, through employee_terminate)."""
    employment = (
        Employment.objects.select_for_update()
        .filter(employee=employee, end_date__isnull=True).first()
    )
    if employment is None:
        raise ValidationError(_("%(name)s has no open employment period.")
                              % {"name": employee.display_name})
    if last_day < employment.start_date:
        raise ValidationError({"last_day": _("The last day cannot be before the start date "
                                             "(%(start)s).") % {"start": employment.start_date}})
    employment.end_date = last_day
    employment.termination_reason = reason
    employment.rehire_eligible = rehire_eligible
    employment.save(update_fields=["end_date", "termination_reason", "rehire_eligible"])
    audit_record(actor=acting_user, action="update", obj=employment, employee_id=employee.pk,
                 changes={"end_date": [None, str(last_day)], "termination_reason": ["", reason]})
    return employment


@transaction.atomic
def employment_cancel_end(*, acting_user, employee: Employee, note: str = "") -> Employment:
    """Undo a scheduled leave (the person stays): the employment period is open again."""
    employment = (
        Employment.objects.select_for_update()
        .filter(employee=employee).order_by("-start_date").first()
    )
    if employment is None or employment.end_date is None:
        raise ValidationError(_("%(name)s has no scheduled last day to cancel.")
                              % {"name": employee.display_name})
    if employee.status == Employee.Status.TERMINATED:
        raise ValidationError(_("%(name)s has already left; use a rehire instead.")
                              % {"name": employee.display_name})
    before = str(employment.end_date)
    employment.end_date = None
    employment.termination_reason = ""
    employment.rehire_eligible = None
    employment.save(update_fields=["end_date", "termination_reason", "rehire_eligible"])
    audit_record(actor=acting_user, action="update", obj=employment, employee_id=employee.pk,
                 changes={"end_date": [before, None]}, note=note)
    return employment


@transaction.atomic
def employee_terminate(*, acting_user, employee: Employee, on: date | None = None) -> Employee:
    """The day after the last working day: terminated, login disabled, sessions ended."""
    from accounts.services import user_deactivate

    employee = employee_change_status(
        acting_user=acting_user, employee=employee, to_status=Employee.Status.TERMINATED, on=on,
    )
    if employee.user_id:
        user_deactivate(acting_user=acting_user, user=employee.user,
                        note=f"Left the company ({employee.employee_number})")
    employee_terminated.send(sender=Employee, employee=employee)
    return employee


@transaction.atomic
def employee_rehire(
    *, acting_user, employee: Employee, start_date: date, job: JobData, pay: PayData
) -> Employee:
    """A leaver comes back: a new employment period; earlier history is kept."""
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status != Employee.Status.TERMINATED:
        raise IllegalTransition(_("Only someone who has left can be rehired."))
    if employee.anonymised_at is not None:
        # Their personal data is gone (retention purge): a returning person gets a new record.
        raise IllegalTransition(_("This record was anonymised when its retention period ended; "
                                  "hire the person again as a new employee."))
    last = employee.employments.order_by("-start_date").first()
    if last and last.end_date and start_date <= last.end_date:
        raise ValidationError({"start_date": _("The rehire date must be after the last "
                                               "working day (%(day)s).") % {"day": last.end_date}})
    Employment.objects.create(employee=employee, start_date=start_date)
    before = employee.status
    employee.status = Employee.Status.PRE_HIRE
    employee.hire_date = start_date
    employee.termination_date = None
    employee.version += 1
    employee.save(update_fields=["status", "hire_date", "termination_date", "version",
                                 "updated_at"])
    audit_record(actor=acting_user, action="status", obj=employee, employee_id=employee.pk,
                 changes={"status": [before, employee.status],
                          "hire_date": [None, str(start_date)]},
                 note="Rehired")
    job_record_add(acting_user=acting_user, employee=employee, effective_date=start_date,
                   job=job, reason=ChangeReason.REHIRE)
    compensation_record_add(acting_user=acting_user, employee=employee,
                            effective_date=start_date, pay=pay, reason=ChangeReason.REHIRE)
    employee_hired.send(sender=Employee, employees=[employee])
    return employee
