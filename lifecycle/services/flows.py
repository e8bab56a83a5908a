"""The hire and offboard flows, and the scheduled status changes that follow them."""

import logging
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from accounts.services import user_create
from audit.services import audit_record
from delivery.services import delivery_enqueue
from employees.models import Employee, Employment
from employees.services.bank import bank_account_add, national_id_set
from employees.services.core import (
    JobData,
    PayData,
    employee_change_status,
    employee_create,
    employee_sync_current_job,
    employee_terminate,
    employment_cancel_end,
    employment_schedule_end,
)
from employees.services.personal import employee_update_personal
from lifecycle.models import Checklist, ChecklistKind, LeaverNotice
from lifecycle.services import leavers
from lifecycle.services.checklists import checklist_cancel, checklists_start_matching

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class HireData:
    employee_number: str
    legal_first_name: str
    legal_last_name: str
    start_date: date
    work_country: str
    job: JobData
    pay: PayData
    preferred_name: str = ""
    work_email: str | None = None
    personal_email: str = ""
    create_login: bool = False
    extras: "HireExtras | None" = None


@dataclass(frozen=True)
class HireExtras:
    """What the hire form optionally takes besides the job and pay: personal fields (date of
    birth, home address), a national ID (country, value), bank account details."""

    personal: dict
    national_id: tuple[str, str] | None = None
    bank: dict | None = None


@dataclass(frozen=True)
class HireResult:
    employee: Employee
    checklists: list[Checklist]
    user: object | None


@transaction.atomic
def hire_create(*, acting_user, data: HireData, today: date | None = None) -> HireResult:
    """A new hire: the employee in pre-hire status with job and pay, optionally a login (welcome
    email), every matching onboarding checklist, and a notice to the manager. Someone whose start
    date is today or past becomes active straight away; otherwise the morning job does it."""
    today = today or timezone.localdate()
    if Employee.objects.filter(employee_number=data.employee_number).exists():
        raise ValidationError({"employee_number": _("This employee number is already taken.")})
    if data.work_email and Employee.objects.filter(work_email__iexact=data.work_email).exists():
        raise ValidationError({"work_email": _("Another employee has this work email.")})
    user = None
    if data.create_login:
        if not data.work_email:
            raise ValidationError({"work_email": _("A login needs a work email address.")})
        user = user_create(
            acting_user=acting_user, email=data.work_email,
            full_name=f"{data.preferred_name or data.legal_first_name} {data.legal_last_name}",
            roles=[Role.EMPLOYEE],
        )
    employee = employee_create(
        acting_user=acting_user, employee_number=data.employee_number,
        legal_first_name=data.legal_first_name, legal_last_name=data.legal_last_name,
        hire_date=data.start_date, work_country=data.work_country, job=data.job, pay=data.pay,
        status=Employee.Status.PRE_HIRE, preferred_name=data.preferred_name,
        work_email=data.work_email or None, personal_email=data.personal_email, user=user,
    )
    if data.extras is not None:
        employee = _hire_extras_save(acting_user, employee, data.extras)
    employment = Employment.objects.get(employee=employee, start_date=data.start_date)
    checklists = checklists_start_matching(
        acting_user=acting_user, employee=employee, employment=employment,
        kind=ChecklistKind.ONBOARDING, anchor_date=data.start_date,
    )
    if data.start_date <= today:
        starter_activate(acting_user=acting_user, employee=employee, today=today)
        employee.refresh_from_db()
    if data.job.manager is not None and data.job.manager.user_id:
        # Durable: the manager's notice commits with the hire (delivery/).
        delivery_enqueue(kind="lifecycle.onboarding_notice",
                         key=f"lifecycle.onboarding_notice:{employment.pk}",
                         payload={"employee_id": employee.pk}, group=f"employee:{employee.pk}")
    return HireResult(employee=employee, checklists=checklists, user=user)


def _hire_extras_save(acting_user, employee: Employee, extras: HireExtras) -> Employee:
    """Through the profile's own services (validation, audit), inside the hire's transaction:
    an error here undoes the whole hire."""
    if extras.personal:
        employee = employee_update_personal(acting_user=acting_user, employee=employee,
                                            data=extras.personal, version=employee.version)
    if extras.national_id:
        country, value = extras.national_id
        employee = national_id_set(acting_user=acting_user, employee=employee, country=country,
                                   value=value)
    if extras.bank:
        # No "your bank details changed" email: the account is part of the hire.
        bank_account_add(acting_user=acting_user, employee=employee, details=extras.bank,
                         notify=False)
    return employee


@transaction.atomic
def starter_activate(*, acting_user, employee: Employee, today: date | None = None) -> bool:
    """Pre-hire -> active on (or after) the start date, never before. Idempotent."""
    today = today or timezone.localdate()
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status != Employee.Status.PRE_HIRE or employee.hire_date > today:
        return False
    employee = employee_change_status(acting_user=acting_user, employee=employee,
                                      to_status=Employee.Status.ACTIVE, note="Start date reached")
    employee_sync_current_job(employee=employee, today=today)
    return True


def starters_activate_due(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    count = 0
    due = Employee.objects.filter(status=Employee.Status.PRE_HIRE, hire_date__lte=today)
    for employee in due.order_by("pk"):
        try:
            count += starter_activate(acting_user=None, employee=employee, today=today)
        except ValidationError:
            log.exception("Could not activate starter %s", employee.pk)
    return count


@dataclass(frozen=True)
class OffboardData:
    last_day: date
    reason: str
    notice_given_on: date | None = None
    notice_end_date: date | None = None
    rehire_eligible: bool | None = None
    final_pay_flag: bool = True
    note: str = ""
    # The leaver's open tasks: cancel their onboarding tasks now (else at termination), and
    # who takes over tasks assigned to them by name (None: they stay theirs until termination,
    # then go to HR).
    cancel_open_tasks: bool = False
    hand_tasks_to: object | None = None


@transaction.atomic
def offboarding_start(*, acting_user, employee: Employee, data: OffboardData) -> LeaverNotice:
    employee = Employee.objects.select_for_update().get(pk=employee.pk)
    if employee.status == Employee.Status.TERMINATED:
        raise ValidationError(_("%s has already left.") % employee.display_name)
    if LeaverNotice.objects.filter(employee=employee,
                                   status=LeaverNotice.Status.SCHEDULED).exists():
        raise ValidationError(_("%s is already being offboarded; cancel that first.")
                              % employee.display_name)
    if data.notice_given_on and data.notice_given_on > data.last_day:
        raise ValidationError({"notice_given_on": _("Notice cannot be given after the last day.")})
    given, ends = data.notice_given_on, data.notice_end_date
    if given and ends and ends < given:
        raise ValidationError({"notice_end_date": _("The notice period cannot end before notice "
                                                    "was given.")})
    employment = employment_schedule_end(
        acting_user=acting_user, employee=employee, last_day=data.last_day, reason=data.reason,
        rehire_eligible=data.rehire_eligible,
    )
    notice = LeaverNotice.objects.create(
        employee=employee, employment=employment, last_day=data.last_day, reason=data.reason,
        notice_given_on=data.notice_given_on, notice_end_date=data.notice_end_date,
        rehire_eligible=data.rehire_eligible, final_pay_flag=data.final_pay_flag, note=data.note,
        created_by=_user(acting_user),
    )
    audit_record(actor=acting_user, action="create", obj=notice, employee_id=employee.pk,
                 changes={"last_day": [None, str(data.last_day)], "reason": [None, data.reason],
                          "final_pay_flag": [None, data.final_pay_flag]})
    checklists_start_matching(acting_user=acting_user, employee=employee, employment=employment,
                              kind=ChecklistKind.OFFBOARDING, anchor_date=data.last_day)
    if data.cancel_open_tasks:
        leavers.leaver_tasks_cancel(acting_user=acting_user, employee=employee,
                                    reason=_("cancelled at offboarding"))
    if data.hand_tasks_to is not None:
        leavers.leaver_tasks_hand_over(acting_user=acting_user, employee=employee,
                                       to_user=data.hand_tasks_to)
    return notice


@transaction.atomic
def offboarding_cancel(*, acting_user, employee: Employee, note: str = "") -> LeaverNotice:
    """The person stays: the last day is removed, open offboarding tasks are cancelled (done ones
    and the whole history are kept)."""
    notice = (
        LeaverNotice.objects.select_for_update()
        .filter(employee=employee, status=LeaverNotice.Status.SCHEDULED).first()
    )
    if notice is None:
        raise ValidationError(_("%s is not being offboarded.") % employee.display_name)
    employment_cancel_end(acting_user=acting_user, employee=employee,
                          note=note or "Offboarding cancelled")
    for checklist in Checklist.objects.filter(
        employment=notice.employment, kind=ChecklistKind.OFFBOARDING,
        status=Checklist.Status.OPEN,
    ).order_by("pk"):
        checklist_cancel(acting_user=acting_user, checklist=checklist,
                         note=note or _("Offboarding cancelled"))
    notice.status = LeaverNotice.Status.CANCELLED
    notice.cancelled_by = _user(acting_user)
    notice.cancelled_at = timezone.now()
    notice.save(update_fields=["status", "cancelled_by", "cancelled_at"])
    audit_record(actor=acting_user, action="status", obj=notice, employee_id=employee.pk,
                 changes={"status": [LeaverNotice.Status.SCHEDULED, notice.status]}, note=note)
    return notice


@transaction.atomic
def leaver_terminate(*, acting_user, employment: Employment, today: date | None = None) -> bool:
    """On the day after the last working day: terminated, login disabled, sessions ended.
    Never earlier; idempotent."""
    today = today or timezone.localdate()
    employment = Employment.objects.select_for_update().select_related("employee").get(
        pk=employment.pk)
    if employment.end_date is None or employment.end_date >= today:
        return False
    employee = employment.employee
    if employee.status == Employee.Status.TERMINATED:
        return False
    employee_terminate(acting_user=acting_user, employee=employee, on=employment.end_date)
    LeaverNotice.objects.filter(employment=employment, status=LeaverNotice.Status.SCHEDULED) \
        .update(status=LeaverNotice.Status.LEFT)
    leavers.leaver_tasks_close(acting_user=acting_user, employee=employee)
    return True


def leavers_terminate_due(*, today: date | None = None) -> int:
    today = today or timezone.localdate()
    count = 0
    due = Employment.objects.filter(end_date__lt=today).exclude(
        employee__status=Employee.Status.TERMINATED)
    for employment in due.order_by("pk"):
        try:
            count += leaver_terminate(acting_user=None, employment=employment, today=today)
        except ValidationError:
            log.exception("Could not terminate leaver (employment %s)", employment.pk)
    return count


def default_last_day(today: date | None = None) -> date:
    return (today or timezone.localdate()) + timedelta(days=28)


def _user(acting_user):
    return acting_user if getattr(acting_user, "is_authenticated", False) else None
