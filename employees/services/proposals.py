"""Job and pay changes that wait for someone else's approval (issue 12, segregation of duties):

- a manager proposes a job or pay change for one of their reports; HR approves (job: anyone who
  may change the person's employment; pay: anyone who may change their pay) or declines it with a
  reason;
- with "pay changes need a second approver" on (Access levels), a pay change at or above the
  company's thresholds made on the profile becomes a proposal that another HR Admin or Payroll
  Admin approves.

Nothing takes effect until approval, which records the change through job_change /
compensation_change with the approver as the acting user (so every rule of those services,
"not yourself" included, applies again). Proposer and approver are always different people, and
nobody decides a proposal about themself. Every step is audited."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from employees.access import (
    Relation,
    Section,
    access_policy,
    can_change,
    relation,
    require_not_self,
)
from employees.models import (
    ChangeProposal,
    CompensationRecord,
    Department,
    Employee,
    JobTitle,
    Location,
)
from employees.selectors import compensation_as_of
from employees.services.changes import (
    _check_changeable,
    compensation_change,
    job_change,
    job_validate,
    pay_validate,
)
from employees.services.core import JobData, PayData

P = ChangeProposal


def _str(value) -> str | None:
    return None if value is None else str(value)


def job_to_data(job: JobData) -> dict:
    return {"job_title": job.job_title.pk, "department": job.department.pk,
            "location": job.location.pk, "manager": job.manager.pk if job.manager else None,
            "employment_type": job.employment_type, "fte": str(job.fte),
            "weekly_hours": _str(job.weekly_hours)}


def job_from_data(data: dict) -> JobData:
    manager = Employee.objects.filter(pk=data["manager"]).first() if data["manager"] else None
    return JobData(job_title=JobTitle.objects.get(pk=data["job_title"]),
                   department=Department.objects.get(pk=data["department"]),
                   location=Location.objects.get(pk=data["location"]), manager=manager,
                   employment_type=data["employment_type"], fte=Decimal(data["fte"]),
                   weekly_hours=Decimal(data["weekly_hours"]) if data["weekly_hours"] else None)


def pay_to_data(pay: PayData) -> dict:
    schedule = pay.pay_schedule
    return {"basis": pay.basis, "currency": pay.currency,
            "annual_salary": _str(pay.annual_salary), "hourly_rate": _str(pay.hourly_rate),
            "pay_schedule": schedule.pk if schedule is not None else None}


def pay_from_data(data: dict) -> PayData:
    # The schedule model belongs to payroll: reached through the relation, not imported.
    schedules = CompensationRecord._meta.get_field("pay_schedule").related_model.objects
    return PayData(
        basis=data["basis"], currency=data["currency"],
        annual_salary=Decimal(data["annual_salary"]) if data["annual_salary"] else None,
        hourly_rate=Decimal(data["hourly_rate"]) if data["hourly_rate"] else None,
        pay_schedule=schedules.get(pk=data["pay_schedule"]) if data["pay_schedule"] else None)


def pay_change_needs_second_approval(*, employee: Employee, effective_date: date,
                                     pay: PayData) -> bool:
    """The company setting (off by default): at or above either threshold, or always when both
    are blank. A change of basis or currency, or a first pay record, always counts."""
    policy = access_policy()
    if not policy.pay_changes_need_second_approval:
        return False
    percent, amount = policy.pay_change_threshold_percent, policy.pay_change_threshold_amount
    if percent is None and amount is None:
        return True
    current = compensation_as_of(employee, effective_date)
    if current is None or current.basis != pay.basis or current.currency != pay.currency:
        return True
    salary = pay.basis == CompensationRecord.Basis.SALARY
    old = current.annual_salary if salary else current.hourly_rate
    new = pay.annual_salary if salary else pay.hourly_rate
    change = abs(new - old)
    if amount is not None and change >= amount:
        return True
    # Percent of the old amount; exact Decimal arithmetic, compared unrounded.
    return percent is not None and (old == 0 or change * 100 / old >= percent)


def _validate(employee: Employee, kind: str, effective_date: date, job, pay) -> dict:
    _check_changeable(employee, effective_date)
    if kind == P.Kind.JOB:
        job_validate(employee, job)
        return job_to_data(job)
    return pay_to_data(pay_validate(pay))


@transaction.atomic
def change_propose(*, acting_user, employee: Employee, kind: str, origin: str,
                   effective_date: date, reason: str, note: str = "",
                   job: JobData | None = None, pay: PayData | None = None) -> ChangeProposal:
    """Write a proposal (nothing takes effect). A manager proposes only for their reports; a
    second-approval proposal comes from someone who may change the person's pay."""
    require_not_self(acting_user, employee, _("job or pay"))
    if origin == P.Origin.MANAGER:
        if relation(acting_user, employee) is not Relation.MANAGER:
            raise PermissionDenied(_("Only their manager proposes changes for this person."))
    elif not can_change(acting_user, employee, Section.COMPENSATION):
        raise PermissionDenied(_("You may not change this person's pay."))
    data = _validate(employee, kind, effective_date, job, pay)
    proposal = ChangeProposal.objects.create(
        employee=employee, kind=kind, origin=origin, effective_date=effective_date, data=data,
        reason=reason, note=note, proposed_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=proposal, employee_id=employee.pk,
                 changes={"proposed": [None, {"effective_date": str(effective_date), **data}]},
                 note=f"{proposal.get_kind_display()} proposed ({proposal.get_origin_display()})")
    return proposal


def can_decide_proposal(viewer, proposal: ChangeProposal) -> bool:
    if proposal.proposed_by_id == viewer.pk:
        return False
    employee = proposal.employee
    if proposal.origin == P.Origin.SECOND_APPROVAL:
        return has_role(viewer, Role.HR_ADMIN, Role.PAYROLL_ADMIN) and can_change(
            viewer, employee, Section.COMPENSATION)
    section = Section.EMPLOYMENT if proposal.kind == P.Kind.JOB else Section.COMPENSATION
    return relation(viewer, employee) in (Relation.HR, Relation.PAYROLL) and can_change(
        viewer, employee, section)


def _lock_pending(acting_user, proposal: ChangeProposal) -> ChangeProposal:
    proposal = ChangeProposal.objects.select_for_update().select_related("employee").get(
        pk=proposal.pk)
    require_not_self(acting_user, proposal.employee, _("job or pay"))
    if proposal.status != P.Status.PENDING:
        raise ValidationError(_("This proposal was already %(s)s.")
                              % {"s": proposal.get_status_display().lower()})
    if proposal.proposed_by_id == acting_user.pk:
        raise ValidationError(_("Someone other than the proposer must decide it."))
    if not can_decide_proposal(acting_user, proposal):
        raise PermissionDenied(_("You may not decide this proposal."))
    return proposal


def _decided(proposal: ChangeProposal, acting_user, status: str, **extra) -> None:
    proposal.status, proposal.decided_by, proposal.decided_at = (
        status, acting_user, timezone.now())
    for name, value in extra.items():
        setattr(proposal, name, value)
    proposal.save(update_fields=["status", "decided_by", "decided_at", *extra])


@transaction.atomic
def change_proposal_approve(*, acting_user, proposal: ChangeProposal):
    """Record the change, effective on the proposed date; returns the new record."""
    proposal = _lock_pending(acting_user, proposal)
    note = _("%(note)s (proposed by %(who)s)") % {
        "note": proposal.note, "who": proposal.proposed_by.email}
    common = {"acting_user": acting_user, "employee": proposal.employee,
              "effective_date": proposal.effective_date, "reason": proposal.reason,
              "note": note.strip()[:255]}
    if proposal.kind == P.Kind.JOB:
        record = job_change(job=job_from_data(proposal.data), **common)
    else:
        record = compensation_change(pay=pay_from_data(proposal.data), **common)
    _decided(proposal, acting_user, P.Status.APPROVED)
    audit_record(actor=acting_user, action="status", obj=proposal,
                 employee_id=proposal.employee_id,
                 changes={"status": [P.Status.PENDING, P.Status.APPROVED]})
    return record


@transaction.atomic
def change_proposal_decline(*, acting_user, proposal: ChangeProposal,
                            reason: str) -> ChangeProposal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the proposal is declined.")})
    proposal = _lock_pending(acting_user, proposal)
    _decided(proposal, acting_user, P.Status.DECLINED, decline_reason=reason[:255])
    audit_record(actor=acting_user, action="status", obj=proposal,
                 employee_id=proposal.employee_id,
                 changes={"status": [P.Status.PENDING, P.Status.DECLINED]}, note=reason)
    return proposal


def proposals_pending_for(viewer) -> list[ChangeProposal]:
    """What this viewer may decide, oldest first (one query, plus the checks in memory)."""
    pending = ChangeProposal.objects.filter(status=P.Status.PENDING).select_related(
        "employee", "proposed_by")
    return [p for p in pending if can_decide_proposal(viewer, p)]


def proposals_made_by(viewer, *, limit: int = 50) -> list[ChangeProposal]:
    return list(ChangeProposal.objects.filter(proposed_by=viewer).select_related(
        "employee", "decided_by").order_by("-proposed_at")[:limit])
