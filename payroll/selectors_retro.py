"""Reads for retro pay (payroll.services.retro): finalised runs a back-dated pay change may reach,
what finalised payslips paid in those periods, and confirmed recoveries. Each is one query for a
whole chunk of employees."""

from collections import defaultdict
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Q

from payroll.models import PayRun, PayslipLine, RetroRecovery

ARREARS_CODE = "ARREARS"
# Base pay the engine's proration works out (payroll.engine.proration): what arrears correct.
BASE_CODES = ("SALARY", "HOURLY", "OVERTIME")


def frozen_runs_reached(*, from_day: date, before: date, created_before: datetime | None
                        ) -> list[PayRun]:
    """Finalised (or paid) runs whose period ends on or after `from_day` and before `before`,
    created before `created_before` (None: whenever), with their period and schedule."""
    qs = PayRun.objects.filter(
        status__in=PayRun.FROZEN, period__end_date__gte=from_day, period__end_date__lt=before,
    )
    if created_before is not None:
        qs = qs.filter(created_at__lt=created_before)
    return list(qs.select_related("period__schedule").order_by("period__start_date", "pk").only(
        "id", "created_at", "period__id", "period__start_date", "period__end_date",
        "period__pay_date", "period__number", "period__schedule__id",
        "period__schedule__country", "period__schedule__frequency",
        "period__schedule__proration_basis"))


def paid_lines(employee_ids: list[int], period_ids: list[int]) -> list[tuple]:
    """Base-pay lines of finalised payslips in these periods (regular, final pay, corrections'
    reversals and new lines) plus every finalised arrears line of these employees (an arrears
    line names the period it pays in its trace), in payment order: (employee_id, period_id,
    payslip_id, number, pay_date, code, quantity, amount, run_id, corrects_id, the period an
    arrears line pays, an overtime line's multiplier). Only those two trace keys are read, not
    whole traces."""
    return list(PayslipLine.objects.filter(
        payslip__employee_id__in=employee_ids, payslip__run__status__in=PayRun.FROZEN,
    ).filter(
        Q(payslip__run__period_id__in=period_ids, code__in=BASE_CODES) | Q(code=ARREARS_CODE)
    ).order_by(
        "payslip__employee_id", "payslip__run__pay_date", "payslip_id", "sort_order"
    ).values_list(
        "payslip__employee_id", "payslip__run__period_id", "payslip_id", "payslip__number",
        "payslip__run__pay_date", "code", "quantity", "amount", "payslip__run_id",
        "payslip__run__corrects_id", "trace__inputs__period_id", "trace__inputs__multiplier",
    ))


def confirmed_recoveries(employee_ids: list[int], period_ids: list[int]
                         ) -> set[tuple[int, int, Decimal]]:
    """(employee_id, period_id, amount) of every confirmed recovery."""
    return set(RetroRecovery.objects.filter(
        employee_id__in=employee_ids, period_id__in=period_ids,
    ).values_list("employee_id", "period_id", "amount"))


def arrears_paid_since_calculation(run: PayRun) -> int:
    """Payslips of ``run`` with an arrears line for a period whose arrears another run paid
    and finalised AFTER this payslip was calculated: two open regular runs of a schedule (or a
    regular run and a final pay) each worked out the same arrears from the same finalised
    history, and only the first to be finalised may pay them. The other must be recalculated:
    it then counts what the first paid (paid_lines) and pays only what is left. Two queries."""
    mine = list(PayslipLine.objects.filter(payslip__run=run, code=ARREARS_CODE).values_list(
        "payslip_id", "payslip__employee_id", "payslip__calculated_at",
        "trace__inputs__period_id"))
    if not mine:
        return 0
    paid = defaultdict(list)
    for employee_id, period_id, finalised_at in PayslipLine.objects.filter(
        code=ARREARS_CODE, payslip__employee_id__in={row[1] for row in mine},
        payslip__run__status__in=PayRun.FROZEN,
    ).exclude(payslip__run=run).values_list(
            "payslip__employee_id", "trace__inputs__period_id", "payslip__run__finalised_at"):
        paid[employee_id, period_id].append(finalised_at)
    return len({payslip_id for payslip_id, employee_id, calculated_at, period_id in mine
                if any(at is not None and calculated_at is not None and at > calculated_at
                       for at in paid.get((employee_id, period_id), ()))})
