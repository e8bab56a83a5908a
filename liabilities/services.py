"""Writes: an employer's liability settings, payments against a liability, and the overdue
notices. Each audited; the employer row is created on its first write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import Role
from audit.services import audit_record, diff, snapshot
from liabilities.access import require_records_liabilities
from liabilities.employers import LegalEmployer
from liabilities.models import Employer, LiabilityPayment
from liabilities.selectors import Liability, liabilities_for, overdue_liabilities

SETTINGS_FIELDS = ("employment_allowance_years", "quarterly_payer", "accounts_office_reference",
                   "deposit_schedule", "lookback_prior_total", "unemployment_state")


def employer_row_lock(employer: LegalEmployer) -> Employer:
    """The employer's settings row, created on first use, locked (inside a transaction)."""
    row, _created = Employer.objects.get_or_create(country=employer.country,
                                                   reference=employer.reference)
    return Employer.objects.select_for_update().get(pk=row.pk)


@transaction.atomic
def employer_settings_update(*, employer: LegalEmployer, values: dict, acting_user) -> Employer:
    require_records_liabilities(acting_user)
    row = employer_row_lock(employer)
    before = snapshot(row, SETTINGS_FIELDS)
    for name in SETTINGS_FIELDS:
        if name in values:
            setattr(row, name, values[name])
    changes = diff(before, snapshot(row, SETTINGS_FIELDS))
    if changes:
        row.save(update_fields=[*SETTINGS_FIELDS, "updated_at"])
        audit_record(actor=acting_user, action="update", obj=row, changes=changes,
                     note="tax liability settings")
    employer.settings = row
    return row


@dataclass(frozen=True)
class PaymentData:
    payment_key: str  # "<tax>|<period key>", as Liability.payment_key
    amount: Decimal
    paid_on: date
    reference: str = ""


def _liability(employer: LegalEmployer, payment_key: str) -> Liability:
    items, _schedules = liabilities_for(employer)
    found = next((i for i in items if i.payment_key == payment_key), None)
    if found is None:
        raise ValidationError(_("There is no such liability for this employer."))
    return found


@transaction.atomic
def liability_payment_record(*, employer: LegalEmployer, data: PaymentData,
                             acting_user) -> LiabilityPayment:
    """Record a payment (partial ones allowed) against one liability. The employer row is
    locked, so two payments recorded at once cannot both pass the "not more than remaining"
    check."""
    require_records_liabilities(acting_user)
    row = employer_row_lock(employer)
    employer.settings = row
    liability = _liability(employer, data.payment_key)
    if data.amount <= 0:
        raise ValidationError({"amount": _("The amount must be more than zero.")})
    if data.amount > liability.remaining:
        raise ValidationError({"amount": _("That is more than the %(left)s left to pay.")
                               % {"left": liability.remaining}})
    if data.paid_on > timezone.localdate():
        raise ValidationError({"paid_on": _("A payment date cannot be in the future.")})
    payment = LiabilityPayment.objects.create(
        employer=row, tax=liability.tax, period_key=liability.key, amount=data.amount,
        paid_on=data.paid_on, reference=data.reference.strip(), recorded_by=acting_user)
    audit_record(actor=acting_user, action="create", obj=payment, changes={
        "amount": [None, str(data.amount)], "paid_on": [None, data.paid_on.isoformat()],
        "reference": [None, payment.reference]}, note=f"tax payment {liability.label}")
    return payment


def overdue_notify(*, today: date) -> int:
    """Tell every Payroll Admin, once per liability (keyed), about each overdue one. Returns
    how many liabilities are overdue. Idempotent: a second run the same day adds nothing."""
    from django.contrib.auth import get_user_model

    from notifications.services import notify_user_ids

    admins = get_user_model().objects.filter(groups__name=Role.PAYROLL_ADMIN).values_list(
        "pk", flat=True)
    overdue = overdue_liabilities(today)
    for employer, item in overdue:
        notify_user_ids(
            user_ids=admins, kind="liability_overdue",
            text=_("%(tax)s %(period)s for %(employer)s was due on %(due)s: %(left)s left to pay")
            % {"tax": LiabilityPayment.Tax(item.tax).label, "period": item.label,
               "employer": employer.name, "due": item.due.isoformat(), "left": item.remaining},
            url=reverse("liabilities:employer", args=[employer.country.lower(), employer.slug]),
            key=f"liability-overdue:{employer.country}:{employer.reference}:{item.payment_key}")
    return len(overdue)
