"""UK statutory sick and family pay in a pay run: absences from the time-off app (through
``payroll.absence_feed``), earnings from finalised payslips, amounts from the pure calculators
in ``payroll.engine.statutory``.

Per chunk, whatever its size: one provider call for absences (plus one for working weeks when
anyone in the chunk has an absence), one query for the earnings of the relevant periods and one
for the statutory days finalised payslips already paid. Only regular and final-pay runs (and
corrections of them) pay statutory pay; only UK schedules have it.

What is paid: every entitled day up to the end of the period not yet paid by a finalised payslip
(so a sickness recorded late, or a PIW that reached its 4th day in the next period, is paid in
the next run), as taxable, NI-able earnings. Salary for those days is not reduced unless the
days are unpaid leave (the existing unpaid-leave proration): statutory pay is paid in addition.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hrops.sql_ids import id_array
from payroll import engine
from payroll.absence_feed import absence_provider
from payroll.engine import statutory as sp
from payroll.models import PayRun, Payslip, PayslipLine

PAYING_KINDS = (PayRun.Kind.REGULAR, PayRun.Kind.FINAL_PAY)
# A linked series of PIWs ends after 3 years (SSP regulations): no absence older than this
# before the period can still matter.
LOOKBACK = timedelta(days=3 * 365 + 1)
NOT_DUE_FLAG = "statutory_pay_not_due"
REASONS = {"SSP": "ssp", "SMP": "maternity_pay", "SPP": "paternity_pay", "SAP": "adoption_pay",
           "SHPP": "shared_parental_pay", "SNCP": "neonatal_care_pay",
           "SPBP": "parental_bereavement_pay"}
WEEKS_PER_YEAR = Decimal(52)


@dataclass
class ChunkStatutory:
    """Statutory pay of one chunk: engine items, review reasons and flags per employee."""

    by_employee: dict[int, sp.StatutoryResult] = field(default_factory=dict)

    def items(self, employee_id: int) -> tuple[engine.PayItem, ...]:
        result = self.by_employee.get(employee_id)
        return tuple(_item(line) for line in result.lines) if result else ()

    def unpaid_days(self, employee_id: int, days: tuple[date, ...]) -> tuple[date, ...]:
        """Unpaid-leave days less the keeping-in-touch days worked in family leave: a KIT day
        is paid as normal work (Maternity and Parental Leave etc. Regs 1999 reg 12A)."""
        result = self.by_employee.get(employee_id)
        worked = {d for c in result.claims for d in c.basis.get("kit_days_worked", ())} \
            if result else set()
        return tuple(d for d in days if d.isoformat() not in worked) if worked else days

    def apply(self, prepared) -> None:
        """Reasons ("SSP", "Maternity pay", ...) and a flag for each claim with nothing due."""
        result = self.by_employee.get(prepared.employee.pk)
        if result is None:
            return
        for code in dict.fromkeys(line.code for line in result.lines):
            prepared.reasons.append(REASONS[code])
        for why in result.refused:
            prepared.flags.append({"code": NOT_DUE_FLAG, "message": why, "blocking": False,
                                   "overridable": True})


def _item(line: sp.StatutoryLine) -> engine.PayItem:
    component = engine.PayComponent(line.code, line.description, "earning")
    return engine.PayItem(component, amount=line.amount, quantity=Decimal(len(line.days)),
                          trace=line.trace, ytd_increments=line.ytd_increments)


def _pays_statutory(run: PayRun) -> bool:
    kind = run.corrects.kind if run.kind == PayRun.Kind.CORRECTION else run.kind
    return (kind in PAYING_KINDS and run.schedule.is_supported
            and run.schedule.jurisdiction == "UK")


def _engine_absences(found) -> list[sp.Absence]:
    return [sp.Absence(str(a.kind), a.first_day, a.last_day, a.expected_week, a.source,
                       tuple(getattr(a, "kit_days", ())))
            for a in found]


def _payments(windows: dict[int, tuple[date, date]], exclude: set[int]
              ) -> dict[int, list[sp.Payment]]:
    """Earnings for NI of each finalised payslip in the employees' AWE windows: one query.
    Normal pay days are those of regular runs."""
    if not windows:
        return {}
    low = min(w[0] for w in windows.values())
    high = max(w[1] for w in windows.values())
    rows = Payslip.objects.filter(
        employee_id__in_ids=id_array(windows), run__status__in=PayRun.FROZEN,
        run__pay_date__range=(low, high),
    ).exclude(run_id__in=exclude).values_list(
        "employee_id", "run__pay_date", "run__kind", "ytd_increments").order_by()
    payments: dict[int, list[sp.Payment]] = defaultdict(list)
    for employee_id, pay_date, kind, increments in rows:
        payments[employee_id].append(sp.Payment(
            pay_date, Decimal(increments.get("uk_ni_pay", "0")),
            normal=kind == PayRun.Kind.REGULAR))
    return payments


def _paid_days(employee_ids: list[int], since: date, exclude: set[int]
               ) -> dict[int, frozenset[tuple[str, date]]]:
    """Statutory days finalised payslips paid (their lines' traces): one query. Of a run and
    its corrections only the latest payslip of each employee counts (a correction reverses the
    original's lines, whose reversal names no days, and pays again what is due), as for retro
    pay: days a correction took back are due again."""
    rows = PayslipLine.objects.filter(
        payslip__employee_id__in_ids=id_array(employee_ids), payslip__run__status__in=PayRun.FROZEN,
        payslip__run__pay_date__gte=since, code__in=list(REASONS),
    ).exclude(payslip__run_id__in=exclude).values_list(
        "payslip__employee_id", "payslip__run_id", "payslip__run__corrects_id",
        "payslip__run__pay_date", "payslip_id", "trace").order_by()
    latest: dict[tuple[int, int], tuple] = {}
    for employee_id, run_id, corrects_id, pay_date, payslip_id, _trace in rows:
        key = (employee_id, corrects_id or run_id)
        latest[key] = max(latest.get(key, (pay_date, payslip_id)), (pay_date, payslip_id))
    in_force = {payslip_id for _day, payslip_id in latest.values()}
    paid: dict[int, set[tuple[str, date]]] = defaultdict(set)
    for employee_id, _run, _corrects, _day, payslip_id, trace in rows:
        if payslip_id not in in_force:
            continue
        inputs = trace.get("inputs", {})
        for day in inputs.get("days", ()):
            paid[employee_id].add((inputs.get("kind", ""), date.fromisoformat(day)))
    return {k: frozenset(v) for k, v in paid.items()}


def _contractual_weekly(records, on: date) -> Decimal | None:
    """Salary in force on ``on`` / 52 (HROps: 52 weeks a year), for a new starter's SSP."""
    in_force = [r for r in records if r.effective_date <= on][-1:] or records[:1]
    if in_force and in_force[0].basis == "salary" and in_force[0].annual_salary:
        return in_force[0].annual_salary / WEEKS_PER_YEAR
    return None


def statutory_for_chunk(run: PayRun, employees, comp: dict[int, list],
                        leave: dict[int, tuple[date, ...]], *,
                        exclude_run_ids: frozenset = frozenset()) -> ChunkStatutory:
    chunk = ChunkStatutory()
    if not _pays_statutory(run):
        return chunk
    period = run.period
    start, end = period.start_date, period.end_date
    ids = [e.pk for e in employees]
    provider = absence_provider()
    absences = {k: _engine_absences(v) for k, v in provider.statutory_absences(
        ids, start - LOOKBACK, end).items() if v}
    if not absences:
        return chunk
    with_absences = sorted(absences)
    patterns = provider.working_weeks(with_absences, end)
    exclude = {run.pk, *exclude_run_ids}
    windows = {k: w for k in with_absences if (w := sp.awe_window(absences[k], end))}
    payments = _payments(windows, exclude)
    paid = _paid_days(with_absences, start - LOOKBACK, exclude)
    small_employer = run.schedule.small_employer_relief
    for employee in employees:
        found = absences.get(employee.pk)
        if not found:
            continue
        records = comp.get(employee.pk, [])
        employment = sp.Employment(
            employee.hire_date, employee.termination_date, run.schedule.frequency,
            _contractual_weekly(records, min(a.first_day for a in found)))
        chunk.by_employee[employee.pk] = sp.statutory_pay(
            found, period_end=end, payments=payments.get(employee.pk, []),
            employment=employment,
            patterns=[sp.WorkPattern(w.effective_from, frozenset(w.weekdays))
                      for w in patterns.get(employee.pk, [])],
            paid=paid.get(employee.pk, frozenset()),
            unpaid=frozenset(leave.get(employee.pk, ())), small_employer=small_employer)
    return chunk


__all__ = ["ChunkStatutory", "statutory_for_chunk"]
