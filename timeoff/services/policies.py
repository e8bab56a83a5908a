"""Leave types and policies (HR Admin), and which policy applies to whom.

Policies are assigned by the same conditions as checklist templates (departments, locations,
employment types, work countries; lifecycle.models.Conditions), matched by the same function
against the person's current job fields. The first active policy by priority wins.
"""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import is_hr_admin
from audit.services import audit_record, diff, snapshot
from employees.models import Employee
from lifecycle.services.checklists import JobFacts, conditions_match
from timeoff.entitlement import (
    Pattern,
    Terms,
    annual_entitlement,
    employed_fraction,
    leave_year,
    whole_years,
)
from timeoff.models import LeavePolicy, LeaveType, Method, Unit

TYPE_FIELDS = ("name", "category", "unit", "tracks_balance", "max_weeks_per_12_months",
               "is_active")
POLICY_FIELDS = ("name", "leave_type", "priority", "method", "annual_amount", "per_hour_rate",
                 "pro_rata", "tenure_steps", "year_start_month", "carry_over_limit",
                 "carry_over_expiry_months", "allow_negative", "payout_on_termination",
                 "is_active", "departments", "locations", "employment_types", "countries")


def require_timeoff_admin(user) -> None:
    if not is_hr_admin(user):
        raise PermissionDenied(_("Only an HR Admin may change leave types and policies."))


def _save(obj, fields: tuple[str, ...], values: dict, acting_user, note: str):
    before = snapshot(obj, fields) if obj.pk else {}
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save()
    audit_record(actor=acting_user, action="update" if before else "create", obj=obj,
                 changes=diff(before, snapshot(obj, fields)), note=note)
    return obj


@transaction.atomic
def leave_type_save(*, acting_user, values: dict, leave_type: LeaveType | None = None
                    ) -> LeaveType:
    require_timeoff_admin(acting_user)
    return _save(leave_type or LeaveType(), TYPE_FIELDS, values, acting_user, "leave type")


def _clean_steps(steps) -> list[list]:
    try:
        cleaned = sorted([int(y), str(Decimal(str(a)))] for y, a in steps or [])
    except (TypeError, ValueError, ArithmeticError) as exc:
        raise ValidationError({"tenure_steps": _("Steps are pairs of years and amount.")}) \
            from exc
    if any(y < 0 or Decimal(a) < 0 for y, a in cleaned):
        raise ValidationError({"tenure_steps": _("Years and amounts cannot be negative.")})
    return cleaned


@transaction.atomic
def leave_policy_save(*, acting_user, values: dict, policy: LeavePolicy | None = None
                      ) -> LeavePolicy:
    require_timeoff_admin(acting_user)
    values = {**values, "tenure_steps": _clean_steps(values.get("tenure_steps"))}
    leave_type = values.get("leave_type") or (policy.leave_type if policy else None)
    method = values.get("method") or (policy.method if policy else "")
    if (method in (Method.IRREGULAR, Method.PER_HOUR) and leave_type is not None
            and leave_type.unit != Unit.HOURS):
        raise ValidationError({"method": _("Accrual per hour worked needs a leave type counted "
                                           "in hours.")})
    return _save(policy or LeavePolicy(), POLICY_FIELDS, values, acting_user, "leave policy")


def facts_of(employee: Employee) -> JobFacts:
    """The current job fields, no query (policy matching at 20,000 people must not query per
    person)."""
    return JobFacts(department_id=employee.department_id, location_id=employee.location_id,
                    employment_type=employee.employment_type, country=employee.work_country,
                    manager=None)


def active_policies(leave_type: LeaveType | None = None) -> list[LeavePolicy]:
    qs = LeavePolicy.objects.filter(is_active=True, leave_type__is_active=True).select_related(
        "leave_type")
    if leave_type is not None:
        qs = qs.filter(leave_type=leave_type)
    return list(qs.order_by("priority", "id"))


def policy_for(employee: Employee, leave_type: LeaveType,
               policies: Iterable[LeavePolicy] | None = None) -> LeavePolicy | None:
    facts = facts_of(employee)
    candidates = active_policies(leave_type) if policies is None else policies
    for policy in candidates:
        if policy.leave_type_id == leave_type.pk and conditions_match(policy, facts):
            return policy
    return None


def terms_of(policy: LeavePolicy) -> Terms:
    return Terms(method=policy.method, annual_amount=policy.annual_amount,
                 pro_rata=policy.pro_rata,
                 tenure_steps=tuple(tuple(s) for s in policy.tenure_steps),
                 hours=policy.leave_type.unit == Unit.HOURS)


def year_entitlement(policy: LeavePolicy, employee: Employee, pattern: Pattern,
                     on: date, *, whole_year: bool = False) -> Decimal:
    """The person's entitlement for the leave year containing `on` (`whole_year`: as if
    employed all of it, for monthly accrual, which pro-rates each month itself)."""
    first, last = leave_year(on, policy.year_start_month)
    part_year = not whole_year and (policy.pro_rata or policy.method == Method.UK_STATUTORY)
    fraction = (employed_fraction(first, last, employee.hire_date, employee.termination_date)
                if part_year else Decimal("1"))
    return annual_entitlement(terms_of(policy), pattern=pattern, fte=employee.fte,
                              fraction=fraction,
                              tenure_years=whole_years(employee.hire_date, first))
