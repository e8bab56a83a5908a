"""Effective-dated job and pay changes made from the profile (and the importer), and the daily
job that brings future-dated job changes into force."""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record, diff, snapshot
from employees.access import require_not_self
from employees.models import CompensationRecord, Employee, JobRecord
from employees.services.core import (
    COMPENSATION_FIELDS,
    JOB_RECORD_FIELDS,
    JobData,
    PayData,
    compensation_record_add,
    employee_sync_current_job,
    job_record_add,
)

SALARY_PLACES = Decimal("0.01")
RATE_PLACES = Decimal("0.0001")
FTE_MIN, FTE_MAX = Decimal("0.01"), Decimal("1.5")
# A change may be back-dated for corrections, but not to before the person was hired.
# The daily job looks back this many days so a missed run (worker down) catches up.
CATCH_UP_DAYS = 7
JOB_AUDIT_FIELDS = ("effective_date", *JOB_RECORD_FIELDS, "reason")
PAY_AUDIT_FIELDS = ("effective_date", *COMPENSATION_FIELDS, "reason")


def quantize_pay(amount: Decimal, basis: str) -> Decimal:
    """Salaries to the penny, hourly rates to 4 places; ROUND_HALF_UP as payroll expects."""
    places = SALARY_PLACES if basis == CompensationRecord.Basis.SALARY else RATE_PLACES
    return amount.quantize(places, rounding=ROUND_HALF_UP)


def _check_changeable(employee: Employee, effective_date: date) -> None:
    if employee.status == Employee.Status.TERMINATED:
        raise ValidationError(_("%(name)s has left; rehire them before changing their job or "
                                "pay.") % {"name": employee.display_name})
    if effective_date < employee.hire_date:
        raise ValidationError({"effective_date": _(
            "The effective date cannot be before the hire date (%(hire)s)."
        ) % {"hire": employee.hire_date}})


def job_validate(employee: Employee, job: JobData) -> None:
    if not (FTE_MIN <= job.fte <= FTE_MAX):
        raise ValidationError({"fte": _("FTE must be between %(lo)s and %(hi)s.")
                               % {"lo": FTE_MIN, "hi": FTE_MAX}})
    if job.manager is not None and job.manager.status == Employee.Status.TERMINATED:
        raise ValidationError({"manager": _("%(name)s has left and cannot be a manager.")
                               % {"name": job.manager.display_name}})


@transaction.atomic
def job_change(
    *, acting_user, employee: Employee, effective_date: date, job: JobData, reason: str,
    note: str = "",
) -> JobRecord:
    """Record a job change effective on any date (past, today or future). A future-dated change
    leaves today's values alone until the daily job brings it into force."""
    # Serialise concurrent changes to one person (the cycle check reads the hierarchy).
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _check_changeable(employee, effective_date)
    job_validate(employee, job)
    return job_record_add(acting_user=acting_user, employee=employee,
                          effective_date=effective_date, job=job, reason=reason, note=note)


def pay_validate(pay: PayData) -> PayData:
    """Check a pay change and return it with its amount quantized."""
    salary_basis = pay.basis == CompensationRecord.Basis.SALARY
    amount = pay.annual_salary if salary_basis else pay.hourly_rate
    if pay.basis not in CompensationRecord.Basis.values:
        raise ValidationError({"basis": _("Choose annual salary or hourly rate.")})
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("Enter an amount greater than zero.")})
    if len(pay.currency) != 3 or not pay.currency.isalpha():
        raise ValidationError({"currency": _("Use a three-letter currency code, e.g. GBP.")})
    amount = quantize_pay(amount, pay.basis)
    return PayData(
        basis=pay.basis, currency=pay.currency.upper(), pay_schedule=pay.pay_schedule,
        annual_salary=amount if salary_basis else None,
        hourly_rate=None if salary_basis else amount,
    )


@transaction.atomic
def compensation_change(
    *, acting_user, employee: Employee, effective_date: date, pay: PayData, reason: str,
    note: str = "",
) -> CompensationRecord:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    _check_changeable(employee, effective_date)
    return compensation_record_add(acting_user=acting_user, employee=employee,
                                   effective_date=effective_date, pay=pay_validate(pay),
                                   reason=reason, note=note)


def effective_changes_apply(*, today: date | None = None) -> int:
    """Sync the current job fields of everyone whose job change came into force recently.
    Returns how many employees changed; running it twice changes nothing the second time."""
    today = today or timezone.localdate()
    employee_ids = (
        JobRecord.objects.filter(effective_date__gt=today - timedelta(days=CATCH_UP_DAYS),
                                 effective_date__lte=today)
        .values_list("employee_id", flat=True).distinct()
    )
    changed = 0
    for employee in Employee.objects.filter(pk__in=list(employee_ids)).order_by("pk"):
        with transaction.atomic():
            locked = Employee.objects.select_for_update().get(pk=employee.pk)
            changed += employee_sync_current_job(employee=locked, today=today)
    return changed


@transaction.atomic
def future_change_cancel(
    *, acting_user, record: JobRecord | CompensationRecord, note: str = ""
) -> None:
    """Withdraw a job or pay change that has not come into force yet (entered by mistake, or
    the promotion fell through). Changes already in force are corrected by a new record, so the
    history of what was paid and who reported to whom is never rewritten."""
    model = type(record)
    record = model.objects.select_for_update().select_related("employee").get(pk=record.pk)
    require_not_self(acting_user, record.employee, _("job or pay"))
    if record.effective_date <= timezone.localdate():
        raise ValidationError(_("This change is already in force; record a correction with a "
                                "new effective date instead."))
    fields = JOB_AUDIT_FIELDS if model is JobRecord else PAY_AUDIT_FIELDS
    audit_record(actor=acting_user, action="delete", obj=record,
                 employee_id=record.employee_id,
                 changes=diff(snapshot(record, fields), {}),
                 note=note or f"Cancelled change due {record.effective_date}")
    record.delete()
