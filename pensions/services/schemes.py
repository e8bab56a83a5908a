"""Setting a scheme up: the statutory minimum contributions and its pay components."""

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.roles import Role, has_role
from audit.services import audit_record
from payroll.models import PayComponent
from pensions.models import PensionScheme

# Pensions Act 2008 s.20 and the Occupational and Personal Pension Schemes (Automatic Enrolment)
# Regulations 2010 reg. 32K-32M (certification): on qualifying earnings at least 8% in total,
# at least 3% from the employer; certification set 1 (pensionable pay = basic pay) at least 9%
# in total, at least 4% from the employer.
MINIMUM = {PensionScheme.Basis.QUALIFYING: (Decimal("8"), Decimal("3")),
           PensionScheme.Basis.BASIC_PAY: (Decimal("9"), Decimal("4"))}
MAX_POSTPONEMENT_DAYS = 92  # "up to three months" (Pensions Act 2008 s.4): never more than 92 days


def require_scheme_admin(user) -> None:
    if not (has_role(user, Role.HR_ADMIN) or has_role(user, Role.PAYROLL_ADMIN)):
        raise PermissionDenied(_("Only an HR Admin or a Payroll Admin may do this."))


def scheme_validate(scheme: PensionScheme) -> None:
    total, employer = MINIMUM[scheme.basis]
    errors = {}
    if scheme.employee_percent + scheme.employer_percent < total:
        errors["employee_percent"] = _("The total must be at least %(t)s%% on this basis.") % {
            "t": total}
    if scheme.employer_percent < employer:
        errors["employer_percent"] = _("The employer must pay at least %(e)s%% on this "
                                       "basis.") % {"e": employer}
    if scheme.postponement_days > MAX_POSTPONEMENT_DAYS:
        errors["postponement_days"] = _("Postponement is at most three months.")
    if errors:
        raise ValidationError(errors)


def _component(code: str, **fields) -> PayComponent:
    component, _created = PayComponent.objects.update_or_create(code=code, defaults=fields)
    return component


def scheme_components(scheme: PensionScheme) -> None:
    """The scheme's contribution and refund components (kept in step with its settings).

    Refund on opt-out (Pensions Act 2008 s.8; HMRC PAYE guidance on automatic enrolment
    refunds): contributions taken under a net pay arrangement had income tax relief but paid NI,
    so the refund is taxable pay, not NI-able; relief-at-source contributions came out of taxed
    pay, so their refund (what the worker paid, 80% of gross) is neither."""
    net_pay = scheme.relief == PensionScheme.Relief.NET_PAY
    pk = scheme.pk
    scheme.employee_component = _component(
        f"AE{pk}EE", name=f"{scheme.name} pension"[:100],
        kind="pre_tax_deduction" if net_pay else "post_tax_deduction",
        calculation="percent_of_base", base=scheme.basis, default_percent=scheme.employee_percent,
        reduces_income_tax_wages=net_pay, reduces_social_wages=False,
        relief_at_source=not net_pay)
    scheme.employer_component = _component(
        f"AE{pk}ER", name=f"{scheme.name} employer pension"[:100], kind="employer_contribution",
        calculation="percent_of_base", base=scheme.basis, default_percent=scheme.employer_percent)
    scheme.refund_component = _component(
        f"AE{pk}REF", name=f"{scheme.name} opt-out refund"[:100],
        kind="earning" if net_pay else "reimbursement", calculation="fixed",
        income_taxable=net_pay, social_taxable=False)
    scheme.save(update_fields=["employee_component", "employer_component", "refund_component"])


@transaction.atomic
def scheme_save(*, scheme: PensionScheme, acting_user, schedules=None) -> PensionScheme:
    require_scheme_admin(acting_user)
    scheme_validate(scheme)
    created = scheme.pk is None
    scheme.save()
    if schedules is not None:
        scheme.schedules.set(schedules)
    scheme_components(scheme)
    audit_record(actor=acting_user, action="create" if created else "update", obj=scheme,
                 note=f"{scheme.basis} {scheme.employee_percent}% + {scheme.employer_percent}%")
    return scheme
