"""Correction runs: reverse what was paid and pay what should have been, never editing history.

A correction payslip holds the negated lines of what is in force for the employee (the original
payslip plus any earlier finalised corrections of the same run) and the freshly calculated lines,
so its totals and YTD increments are (new - old) and plain sums of finalised payslips stay right.
"""

import hashlib
from collections import defaultdict
from decimal import Decimal

from payroll import engine
from payroll.models import PayRun, Payslip, PayslipLine
from payroll.services.calculation import _flag, build_payslip, prepare, store

ZERO = Decimal("0")


def _in_force_run_ids(run: PayRun) -> list[int]:
    original = run.corrects
    earlier = PayRun.objects.filter(corrects=original, status__in=PayRun.FROZEN).exclude(
        pk=run.pk).values_list("pk", flat=True)
    return [original.pk, *earlier]


def _reversal_lines(run_ids: list[int], employee_ids: list[int]):
    totals: dict[int, dict[tuple[str, str], list]] = defaultdict(dict)
    for emp, code, desc, category, amount in PayslipLine.objects.filter(
        payslip__run_id__in=run_ids, payslip__employee_id__in=employee_ids
    ).order_by("payslip__run__pay_date", "payslip_id", "sort_order").values_list(
        "payslip__employee_id", "code", "description", "category", "amount"
    ):
        entry = totals[emp].setdefault((code, category), [desc, ZERO])
        entry[1] += amount
    lines: dict[int, list[engine.PayLine]] = defaultdict(list)
    for emp, by_code in totals.items():
        for (code, category), (desc, amount) in by_code.items():
            if amount:
                lines[emp].append(engine.PayLine(
                    code, f"Reversal: {desc}", category, -amount,
                    trace={"formula": f"-({amount}) as paid in run(s) {run_ids}",
                           "rule": "correction reverses what was paid, then pays it again"}))
    return lines


def _increments_in_force(run_ids: list[int], employee_ids: list[int]):
    totals: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for emp, increments in Payslip.objects.filter(
        run_id__in=run_ids, employee_id__in=employee_ids
    ).values_list("employee_id", "ytd_increments"):
        for key, value in increments.items():
            totals[emp][key] = totals[emp].get(key, ZERO) + Decimal(value)
    return totals


def calculate_correction_employees(run: PayRun, employee_ids: list[int]) -> int:
    original = run.corrects
    in_force = _in_force_run_ids(run)
    existing = {p.employee_id: p for p in Payslip.objects.filter(
        run=run, employee_id__in=employee_ids).only("id", "employee_id", "inputs_hash")}
    prepared = prepare(run, employee_ids, pay_date=original.pay_date,
                       exclude_run_ids=frozenset(in_force))
    for p in prepared:
        # What is reversed is part of the input: a new earlier correction changes the result.
        p.inputs_hash = hashlib.sha256(f"{p.inputs_hash}:{in_force}".encode()).hexdigest()
    todo = [p for p in prepared if existing.get(p.employee.pk) is None
            or existing[p.employee.pk].inputs_hash != p.inputs_hash]
    if not todo:
        return 0
    reversals = _reversal_lines(in_force, [p.employee.pk for p in todo])
    old_increments = _increments_in_force(in_force, [p.employee.pk for p in todo])
    built = []
    for p in todo:
        p.reasons = ["correction"]
        try:
            result = engine.calculate(p.inputs)
            new_lines, new_incr = list(result.lines), dict(result.ytd_increments)
        except (LookupError, ValueError, ArithmeticError) as exc:
            result, new_lines, new_incr = None, [], {}
            p.flags.append(_flag("calculation_error", f"{type(exc).__name__}: {exc}"))
        increments = dict(new_incr)
        for key, value in old_increments.get(p.employee.pk, {}).items():
            increments[key] = increments.get(key, ZERO) - value
        lines = reversals.get(p.employee.pk, []) + new_lines
        built.append((build_payslip(run, p, result, lines, None, increments=increments), lines))
    store(run, built, existing)
    return len(todo)
