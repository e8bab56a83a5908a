"""The ledger: entries are only added. A balance is the sum of a person's entries for a leave
type up to a date; nothing stores a balance that could drift from its entries."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.access import require_not_self
from employees.models import Employee
from timeoff.models import EntryKind, LeaveRequest, LeaveType, LedgerEntry
from timeoff.services.policies import require_timeoff_admin

ZERO = Decimal("0")


def balance(employee: Employee | int, leave_type: LeaveType | int, on: date) -> Decimal:
    """Sum of the entries dated on or before `on`."""
    return LedgerEntry.objects.filter(
        employee=employee, leave_type=leave_type, effective_date__lte=on,
    ).aggregate(total=Sum("amount"))["total"] or ZERO


def balances(employee_ids: Iterable[int], leave_type: LeaveType | int,
             on: date) -> dict[int, Decimal]:
    """Many people's balances in one query (reports, the approvals page)."""
    rows = LedgerEntry.objects.filter(
        employee_id__in=list(employee_ids), leave_type=leave_type, effective_date__lte=on,
    ).values("employee_id").annotate(total=Sum("amount"))
    return {row["employee_id"]: row["total"] for row in rows}


def pending_cost(employee: Employee, leave_type: LeaveType, on: date,
                 exclude: LeaveRequest | None = None) -> Decimal:
    """Requests waiting for a decision, starting on or before `on`: what they would take."""
    qs = LeaveRequest.objects.filter(employee=employee, leave_type=leave_type,
                                     status=LeaveRequest.Status.PENDING, first_day__lte=on)
    if exclude is not None and exclude.pk:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(total=Sum("amount"))["total"] or ZERO


def entry_post(*, employee: Employee, leave_type: LeaveType, kind: str, amount: Decimal,
               effective_date: date, acting_user=None, policy=None, period: str = "",
               request: LeaveRequest | None = None, reason: str = "") -> LedgerEntry:
    """The one way an entry is written (inside the caller's transaction)."""
    return LedgerEntry.objects.create(
        employee=employee, leave_type=leave_type, kind=kind, amount=amount,
        effective_date=effective_date, policy=policy, period=period, request=request,
        reason=reason[:255], created_by=acting_user if getattr(
            acting_user, "is_authenticated", False) else None)


def _audit_entry(entry: LedgerEntry, acting_user, note: str) -> None:
    audit_record(actor=acting_user, action="create", obj=entry, employee_id=entry.employee_id,
                 note=note, changes={"kind": [None, entry.kind],
                                     "amount": [None, str(entry.amount)],
                                     "effective_date": [None, str(entry.effective_date)],
                                     "reason": [None, entry.reason]})


@transaction.atomic
def adjustment_post(*, employee: Employee, leave_type: LeaveType, amount: Decimal,
                    effective_date: date, reason: str, acting_user,
                    kind: str = EntryKind.ADJUSTMENT) -> LedgerEntry:
    """HR Admin corrects a balance (or sets an opening balance), always with a reason."""
    require_timeoff_admin(acting_user)
    require_not_self(acting_user, employee, _("leave balance"))
    if kind not in (EntryKind.ADJUSTMENT, EntryKind.OPENING):
        raise ValidationError(_("Only adjustments and opening balances are entered by hand."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the balance changes.")})
    if amount == 0:
        raise ValidationError({"amount": _("An adjustment of zero changes nothing.")})
    Employee.objects.select_for_update().only("pk").get(pk=employee.pk)
    entry = entry_post(employee=employee, leave_type=leave_type, kind=kind, amount=amount,
                       effective_date=effective_date, acting_user=acting_user,
                       reason=reason.strip())
    _audit_entry(entry, acting_user, "leave balance " + kind)
    return entry


def entries_for(employee: Employee, leave_type: LeaveType | None = None,
                limit: int | None = None) -> list[LedgerEntry]:
    """A person's entries by type and date; with ``limit``, only the latest that many (a long
    career is thousands of monthly accruals)."""
    qs = LedgerEntry.objects.filter(employee=employee).select_related("leave_type", "request")
    if leave_type is not None:
        qs = qs.filter(leave_type=leave_type)
    if limit is not None:
        qs = LedgerEntry.objects.filter(pk__in=qs.order_by("-effective_date", "-id").values(
            "pk")[:limit]).select_related("leave_type", "request")
    return list(qs.order_by("leave_type__name", "effective_date", "id"))


def taken_between(employee_id: int, leave_type_id: int, first: date, last: date) -> Decimal:
    """Net leave taken in a range (taken entries and their reversals), as a positive number."""
    total = LedgerEntry.objects.filter(
        Q(kind=EntryKind.TAKEN), employee_id=employee_id, leave_type_id=leave_type_id,
        effective_date__gte=first, effective_date__lte=last,
    ).aggregate(total=Sum("amount"))["total"] or ZERO
    return -total
