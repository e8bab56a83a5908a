"""US PTO payout on termination, where the policy says so: the balance left on the last day is
posted as a "payout" entry and paid as a run input on the leaver's pay run (through
payroll.services.inputs, which checks the run and the Payroll Admin). Amount = balance x the
person's rate (hourly rate for hours; salary / 52 / working days or hours a week), rounded half
up to the cent once (a company rule; the IRS taxes it as supplemental wages, Pub 15 s.7)."""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from employees.models import Employee
from payroll.models import PayComponent, PayRun
from payroll.services.inputs import run_input_set
from timeoff.models import EntryKind, LedgerEntry
from timeoff.reports import _pay, day_rate
from timeoff.services.ledger import balance, entry_post
from timeoff.services.patterns import pattern_on
from timeoff.services.policies import active_policies, policy_for

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Payable:
    policy: object
    balance: Decimal
    rate: Decimal | None

    @property
    def amount(self) -> Decimal | None:
        if self.rate is None:
            return None
        return (self.balance * self.rate).quantize(CENT, rounding=ROUND_HALF_UP)


def payable_on(employee: Employee, last_day: date) -> list[Payable]:
    """What the person's payout policies owe them on their last day."""
    found = []
    pay = _pay([employee.pk], last_day).get(employee.pk)
    types = {p.leave_type_id: p.leave_type for p in active_policies()}
    for leave_type in types.values():
        policy = policy_for(employee, leave_type)
        if policy is None or not policy.payout_on_termination:
            continue
        left = balance(employee, leave_type, last_day)
        if left > 0:
            rate = day_rate(pay, pattern_on(employee, last_day), leave_type.unit) if pay else None
            found.append(Payable(policy, left, rate))
    return found


@transaction.atomic
def payout_on_termination(*, employee: Employee, last_day: date, run: PayRun,
                          component: PayComponent, acting_user) -> list[LedgerEntry]:
    if component.kind != PayComponent.Kind.EARNING:
        raise ValidationError(_("Pay the balance with an earning component."))
    Employee.objects.select_for_update().only("pk").get(pk=employee.pk)
    entries = []
    for item in payable_on(employee, last_day):
        period = f"payout:{last_day}"
        if LedgerEntry.objects.filter(policy=item.policy, employee=employee,
                                      kind=EntryKind.PAYOUT, period=period).exists():
            raise ValidationError(_("This balance has already been paid out."))
        if item.amount is None:
            raise ValidationError(_("No pay rate on record on %(day)s to value the balance.")
                                  % {"day": last_day})
        entries.append(entry_post(
            employee=employee, leave_type=item.policy.leave_type, kind=EntryKind.PAYOUT,
            amount=-item.balance, effective_date=last_day, policy=item.policy, period=period,
            acting_user=acting_user, reason=_("Paid out on termination")))
        run_input_set(run=run, employee=employee, component=component, acting_user=acting_user,
                      amount=item.amount,
                      note=_("%(type)s payout: %(n)s") % {"type": item.policy.leave_type,
                                                           "n": item.balance})
    if not entries:
        raise ValidationError(_("Nothing to pay out."))
    return entries
