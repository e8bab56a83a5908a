"""Enrolment, postponement and joining: the membership, the pay items, the letter."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from payroll.models import EmployeePayItem
from pensions import rules
from pensions.models import Letter, Membership
from pensions.services.letters import letter_issue


def _pay_items(membership: Membership, start: date, *, employer: bool = True) -> None:
    scheme = membership.scheme
    components = [scheme.employee_component] + ([scheme.employer_component] if employer else [])
    for component in components:
        if not EmployeePayItem.objects.filter(
                employee=membership.employee, component=component, effective_from=start).exists():
            EmployeePayItem.objects.create(employee=membership.employee, component=component,
                                           effective_from=start, note="auto-enrolment")


def enrol(membership: Membership, on: date, *, status=Membership.Status.ENROLLED,
          kind=Letter.Kind.ENROLMENT, actor=None) -> Membership:
    """Enrol from `on`: contributions from that date, the letter now, the opt-out window from
    the later of the two (reg. 9(3) of the 2010 Regulations)."""
    today = timezone.localdate()
    membership.status = status
    membership.enrolled_on = on
    membership.letter_sent_on = today
    membership.opt_out_deadline = rules.opt_out_deadline(on, today)
    membership.opted_out_on = membership.ceased_on = None
    if kind == Letter.Kind.REENROLMENT:
        membership.reenrolled_on = on
    membership.save()
    _pay_items(membership, on, employer=status != Membership.Status.JOINED)
    letter_issue(membership, kind, on, opt_out_deadline=str(membership.opt_out_deadline))
    audit_record(actor=actor, action="update", obj=membership, employee_id=membership.employee_id,
                 note=f"{status} from {on}")
    return membership


def postpone(membership: Membership, start: date, days: int) -> Membership:
    until = min(start + rules.timedelta_days(days), start + rules.MAX_POSTPONEMENT)
    membership.status = Membership.Status.POSTPONED
    membership.postponed_until = until
    membership.save()
    letter_issue(membership, Letter.Kind.POSTPONEMENT, start, postponed_until=str(until))
    audit_record(actor=None, action="update", obj=membership, employee_id=membership.employee_id,
                 note=f"postponed until {until}")
    return membership


@transaction.atomic
def opt_in(*, membership: Membership, on: date, acting_user) -> Membership:
    """A non-eligible jobholder opts in (employer contributes) or an entitled worker joins
    (no employer contribution required: Pensions Act 2008 s.9)."""
    membership = Membership.objects.select_for_update(of=("self",)).select_related("scheme").get(
        pk=membership.pk)
    if membership.status in Membership.ACTIVE:
        return membership
    status = (Membership.Status.JOINED if membership.category == rules.ENTITLED
              else Membership.Status.OPTED_IN)
    return enrol(membership, on, status=status, actor=acting_user)
