"""Opting out within the window (refund) and ceasing membership after it (no refund).

Pensions Act 2008 s.8 and reg. 9-11 of the 2010 Regulations: an opt-out notice given within one
month of the later of the enrolment date and the date the enrolment information was given
undoes the membership: the employee's contributions are refunded (in the next pay run, by
reg. 11: within one month of the notice, or the next pay date), the employer's go back to
the employer. After the window, leaving is ceasing active membership: contributions stop,
nothing is refunded."""

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.access import is_self
from payroll.models import EmployeePayItem, PayRun, PayslipLine
from payroll.services.runs import run_mark_inputs_changed
from pensions.models import Letter, Membership
from pensions.services.letters import letter_issue
from pensions.services.schemes import require_scheme_admin

PAID = (PayRun.Status.FINALISED, PayRun.Status.PAID)


def _paid_lines(membership: Membership, code: str):
    return PayslipLine.objects.filter(
        payslip__employee=membership.employee, payslip__run__status__in=PAID, code=code,
        payslip__run__period__end_date__gte=membership.enrolled_on)


def _last_paid_end(membership: Membership) -> date | None:
    scheme = membership.scheme
    ends = _paid_lines(membership, scheme.employee_component.code).values_list(
        "payslip__run__period__end_date", flat=True)
    return max(ends, default=None)


def _stop_items(membership: Membership, last_day: date | None) -> None:
    """End the contribution items on `last_day` (none paid yet: remove them)."""
    scheme = membership.scheme
    items = EmployeePayItem.objects.filter(
        employee=membership.employee, effective_to__isnull=True,
        component__in=[scheme.employee_component, scheme.employer_component])
    if last_day is None:
        items.delete()
        return
    items.filter(effective_from__gt=last_day).delete()
    items.update(effective_to=last_day)


def _stale_open_runs(membership: Membership) -> None:
    """Runs already worked out with the stopped contributions must be worked out again."""
    for run in PayRun.objects.filter(
            status__in=(PayRun.Status.CALCULATED, PayRun.Status.APPROVED),
            payslips__employee=membership.employee).distinct():
        run_mark_inputs_changed(run)


def _check_actor(acting_user, membership: Membership) -> None:
    if not is_self(acting_user, membership.employee):
        require_scheme_admin(acting_user)


@transaction.atomic
def opt_out(*, membership: Membership, notice_date: date, acting_user) -> Membership:
    """The worker's opt-out notice (given in the portal, or recorded by HR)."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related(
        "scheme__employee_component", "scheme__employer_component",
        "scheme__refund_component", "employee").get(pk=membership.pk)
    _check_actor(acting_user, membership)
    if membership.status not in Membership.ACTIVE:
        raise ValidationError(_("This person is not an active member of the scheme."))
    if membership.opt_out_deadline is None or notice_date > membership.opt_out_deadline:
        raise ValidationError(_("The opt-out window has closed (it ended on %(d)s): leaving "
                                "now is ceasing membership.") % {"d": membership.opt_out_deadline})
    if notice_date < min(membership.enrolled_on, membership.letter_sent_on or notice_date):
        raise ValidationError(_("An opt-out notice cannot be given before enrolment."))
    scheme = membership.scheme
    last_paid = _last_paid_end(membership)
    _stop_items(membership, last_paid)
    _stale_open_runs(membership)
    employee_paid = _paid_lines(membership, scheme.employee_component.code).aggregate(
        t=Sum("amount"))["t"] or Decimal("0.00")
    employer_paid = _paid_lines(membership, scheme.employer_component.code).aggregate(
        t=Sum("amount"))["t"] or Decimal("0.00")
    if employee_paid:
        # A one-day item the day after the last paid period: the next run pays it.
        refund_day = last_paid + timedelta(days=1)
        EmployeePayItem.objects.create(
            employee=membership.employee, component=scheme.refund_component,
            amount=employee_paid, effective_from=refund_day, effective_to=refund_day,
            note="pension opt-out refund")
    membership.status = Membership.Status.OPTED_OUT
    membership.opted_out_on = notice_date
    membership.employee_refund = employee_paid
    membership.employer_refund = employer_paid
    membership.save()
    letter_issue(membership, Letter.Kind.OPTED_OUT, notice_date,
                 refund=str(employee_paid))
    audit_record(actor=acting_user, action="update", obj=membership,
                 employee_id=membership.employee_id,
                 note=f"opted out {notice_date}; refund {employee_paid}, employer {employer_paid}")
    return membership


@transaction.atomic
def cease(*, membership: Membership, on: date, acting_user) -> Membership:
    """Leaving after the window: contributions stop after `on`; nothing is refunded."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related(
        "scheme__employee_component", "scheme__employer_component", "employee").get(
        pk=membership.pk)
    _check_actor(acting_user, membership)
    if membership.status not in Membership.ACTIVE:
        raise ValidationError(_("This person is not an active member of the scheme."))
    if membership.opt_out_deadline and on <= membership.opt_out_deadline:
        raise ValidationError(_("Still inside the opt-out window: record an opt-out instead."))
    _stop_items(membership, max(on, membership.enrolled_on))
    _stale_open_runs(membership)
    membership.status = Membership.Status.CEASED
    membership.ceased_on = on
    membership.save()
    audit_record(actor=acting_user, action="update", obj=membership,
                 employee_id=membership.employee_id, note=f"ceased {on}")
    return membership
