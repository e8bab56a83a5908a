"""Reads for payroll: year-to-date from finalised runs, run employees, previous results."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, QuerySet

from employees.models import CompensationRecord, Employee
from hrops.sql_ids import id_array
from payroll.models import PayRun, Payslip, PayslipLine, UnpaidLeave

ZERO = Decimal("0")


def _add(total: dict[str, Decimal], increments: dict[str, Any], sign: int = 1) -> None:
    for key, value in increments.items():
        total[key] = total.get(key, ZERO) + sign * Decimal(str(value))


def ytd_by_employee(
    employee_ids: list[int], tax_year: str, *, on_or_before: date | None = None,
    exclude_run_ids: set[int] | frozenset = frozenset(),
) -> dict[int, dict[str, Decimal]]:
    """Year-to-date accumulators per employee, summed from FINALISED (or paid) payslips only.

    Correction payslips carry (new - old) increments, so a plain sum stays right after
    corrections. Drafts, calculated and approved runs never count.
    """
    qs = Payslip.objects.filter(
        employee_id__in_ids=id_array(employee_ids), tax_year=tax_year, run__status__in=PayRun.FROZEN
    ).exclude(run_id__in=exclude_run_ids)
    if on_or_before is not None:
        qs = qs.filter(run__pay_date__lte=on_or_before)
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for employee_id, increments in qs.order_by().values_list("employee_id", "ytd_increments"):
        _add(totals[employee_id], increments)
    return totals


def ytd_for(employee: Employee | int, tax_year: str) -> dict[str, Decimal]:
    """One employee's year-to-date figures for a tax year ("2026" US, "2026-27" UK)."""
    employee_id = employee if isinstance(employee, int) else employee.pk
    return ytd_by_employee([employee_id], tax_year).get(employee_id, {})


def regular_run_employee_ids(run: PayRun, among: list[int] | None = None) -> list[int]:
    """Employees paid by this schedule in the run's period: employed at some point in it and
    whose compensation in force at the end of the period (or of their employment) names it.
    ``among``: only these candidates (a cheap membership check for a few people)."""
    period = run.period
    employed = Employee.objects.filter(hire_date__lte=period.end_date).filter(
        Q(termination_date__isnull=True) | Q(termination_date__gte=period.start_date)
    )
    if among is not None:
        employed = employed.filter(pk__in=among)
    latest: dict[int, tuple[date, int | None]] = {}
    records = CompensationRecord.objects.filter(
        employee__in=employed, effective_date__lte=period.end_date
    ).values_list("employee_id", "effective_date", "pay_schedule_id")
    for employee_id, effective, schedule_id in records:
        current = latest.get(employee_id)
        if current is None or effective > current[0]:
            latest[employee_id] = (effective, schedule_id)
    # A leaver's final pay run for this period pays them instead of the regular run.
    final_pay = set(PayRun.employees.through.objects.filter(
        payrun__period=period, payrun__kind=PayRun.Kind.FINAL_PAY
    ).values_list("employee_id", flat=True))
    return sorted(e for e, (_, schedule_id) in latest.items()
                  if schedule_id == run.schedule_id and e not in final_pay)


def run_employee_ids(run: PayRun, among: list[int] | None = None) -> list[int]:
    if run.kind == PayRun.Kind.REGULAR:
        return regular_run_employee_ids(run, among)
    paid = run.employees.all() if among is None else run.employees.filter(pk__in=among)
    return sorted(paid.values_list("pk", flat=True))


@dataclass(frozen=True, slots=True)
class PreviousPayslip:
    """What the variance review reads of an employee's previous payslip (no model instance:
    a calculation chunk reads one for each of its 200 employees)."""

    pk: int
    gross: Decimal
    net: Decimal
    tax_year: str
    reasons: list
    period_start: date
    period_end: date


def previous_payslips(
    employee_ids: list[int], before: date, *, exclude_run_id: int | None = None
) -> dict[int, PreviousPayslip]:
    """Each employee's latest finalised regular payslip paid before `before` (for variance)."""
    rows = (
        Payslip.objects.filter(
            employee_id__in_ids=id_array(employee_ids), run__status__in=PayRun.FROZEN,
            run__kind=PayRun.Kind.REGULAR, run__pay_date__lt=before,
        )
        .exclude(run_id=exclude_run_id)
        .order_by("employee_id", "run__pay_date")
        .values_list("employee_id", "id", "gross", "net", "tax_year", "reasons",
                     "run__period__start_date", "run__period__end_date")
    )
    found: dict[int, PreviousPayslip] = {}
    for employee_id, *fields in rows:
        found[employee_id] = PreviousPayslip(*fields)  # ordered by pay date: the last one wins
    return found


def bank_details_missing(employee_ids: list[int]) -> set[int] | None:
    """Ids of employees with no usable bank account, or None when the employee record offers no
    bank details to payroll yet (employees.selectors.employees_with_payment_account). Only
    whether there is one: nothing is decrypted."""
    try:
        from employees.selectors import employees_with_payment_account
    except ImportError:
        return None
    found = employees_with_payment_account(employee_ids)
    return {pk for pk in employee_ids if pk not in found}


def run_list() -> QuerySet[PayRun]:
    return PayRun.objects.select_related("schedule", "period", "corrects").order_by(
        "-pay_date", "-pk"
    )


def run_payslips(run: PayRun) -> QuerySet[Payslip]:
    """The run page's list: only the columns it shows (no YTD JSON, no encrypted employee
    fields to decrypt)."""
    return run.payslips.select_related("employee").only(
        "id", "run_id", "number", "gross", "total_employee_tax", "net", "reasons", "flags",
        "overrides", "employee__id", "employee__employee_number", "employee__legal_first_name",
        "employee__legal_last_name", "employee__preferred_name",
    ).order_by("employee__legal_last_name", "employee__legal_first_name", "pk")


def payslip_with_lines(run: PayRun, payslip_id: int) -> Payslip | None:
    return (
        Payslip.objects.filter(run=run, pk=payslip_id)
        .select_related("employee", "run__period", "run__schedule")
        .prefetch_related(Prefetch("lines", queryset=PayslipLine.objects.order_by("sort_order")))
        .first()
    )


def line_variance(payslip: Payslip) -> list[dict]:
    """Each line of this payslip next to the same code on the previous finalised payslip."""
    previous = previous_payslips(
        [payslip.employee_id], payslip.run.pay_date, exclude_run_id=payslip.run_id
    ).get(payslip.employee_id)
    before: dict[str, Decimal] = defaultdict(lambda: ZERO)
    if previous is not None:
        for code, amount in PayslipLine.objects.filter(payslip_id=previous.pk).values_list(
            "code", "amount"
        ):
            before[code] += amount
    rows = []
    seen = set()
    for line in payslip.lines.all():
        seen.add(line.code)
        prev = before.get(line.code) if previous is not None else None
        rows.append({"line": line, "previous": prev,
                     "change": None if prev is None else line.amount - prev})
    for code, amount in before.items():
        if code not in seen:
            rows.append({"line": None, "code": code, "previous": amount, "change": -amount})
    return rows


def unpaid_leave_for_employee(employee: Employee) -> QuerySet[UnpaidLeave]:
    return UnpaidLeave.objects.filter(employee=employee).select_related("created_by").order_by(
        "-first_day")


def unpaid_leave_days_by_employee(
    employee_ids: list[int], start: date, end: date
) -> dict[int, tuple[date, ...]]:
    """Each employee's unpaid leave days inside [start, end], in date order: one query for any
    number of employees (the calculation asks per chunk)."""
    days: dict[int, list[date]] = defaultdict(list)
    for employee_id, first, last in UnpaidLeave.objects.filter(
        employee_id__in_ids=id_array(employee_ids), first_day__lte=end, last_day__gte=start
    ).order_by("employee_id", "first_day").values_list("employee_id", "first_day", "last_day"):
        day, stop = max(first, start), min(last, end)
        while day <= stop:
            days[employee_id].append(day)
            day += timedelta(days=1)
    return {employee_id: tuple(found) for employee_id, found in days.items()}
