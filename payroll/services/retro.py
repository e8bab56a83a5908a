"""Retro pay: arrears (or recoveries) for finalised periods that a back-dated pay change reaches.

A compensation record entered after a finalised run of a period it covers was created means
that run paid the old rate. The next regular run (or a leaver's final pay; never an off-cycle or
a correction) pays, for each such period, what should have been paid minus what was paid:

- *should have been*: the engine's own proration (``payroll.engine.proration``: salary segments,
  hours x the rate in force) for that period with today's compensation records, the hours
  actually paid and the unpaid leave on file, so it is exactly what a recalculation would pay;
- *actually paid*: the base-pay lines (SALARY, HOURLY, OVERTIME) of every finalised payslip for
  that period (a correction's reversal and new lines included) plus every finalised arrears line
  for that period. Arrears are therefore paid once: once the run that paid them is finalised,
  they count as paid for that period.

Each period is one line, e.g. "Arrears: salary 6 Oct - 5 Nov", whose trace names the finalised
payslips it corrects. It is an ordinary earning of the payslip that pays it: UK arrears are
added to the earnings of the pay period in which they are paid, for NI (HMRC NIM02065) and PAYE
(PAYE70023: arrears paid in the current tax year are taxed when paid); US retroactive pay
increases are supplemental wages (IRS Pub 15, section 7), so the line's component is marked
``supplemental``. A negative difference (a back-dated decrease) is a recovery: deducted only once
a Payroll Admin confirms that amount for that period (RetroRecovery); until then the payslip
carries a blocking flag, never a silent deduction and never a silent skip.
"""

import dataclasses
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import dateformat, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from audit.services import audit_record
from employees.models import CompensationRecord, Employee
from payroll import engine
from payroll.engine.proration import hourly_lines, salary_lines
from payroll.models import PayPeriod, PayRun, RetroRecovery
from payroll.selectors import unpaid_leave_days_by_employee
from payroll.selectors_retro import (
    ARREARS_CODE,
    confirmed_recoveries,
    frozen_runs_reached,
    paid_lines,
)
from payroll.services.calculation import _segments

ZERO = Decimal("0")
# The engine component of an arrears line (built here, not stored: it is never an input).
ARREARS = engine.PayComponent(ARREARS_CODE, "Arrears", "earning", supplemental=True)
PAYING_KINDS = (PayRun.Kind.REGULAR, PayRun.Kind.FINAL_PAY)
RECOVERY_FLAG = "retro_recovery"
RETRO_REASON = "retro_pay"
RULE = ("HROps retro pay: the engine's proration for the period with today's pay records, less "
        "what finalised payslips paid for it; paid as earnings when paid (HMRC NIM02065, "
        "PAYE70023; IRS Pub 15 s.7 supplemental wages)")


@dataclass
class _Paid:
    """What finalised payslips paid one employee for one period."""

    amount: Decimal = ZERO
    payslips: dict[int, str] = field(default_factory=dict)  # id -> display number
    hours: dict[str, Decimal] = field(default_factory=dict)  # latest payslip's HOURLY/OVERTIME
    multiplier: Decimal = Decimal("1.5")
    latest: int | None = None  # the latest payslip with base pay (its hours are in force)


@dataclass(frozen=True)
class PeriodArrears:
    period: PayPeriod
    should: Decimal
    paid: Decimal
    what: str  # "salary", "hourly pay" or "pay"
    corrects: tuple[str, ...]

    @property
    def amount(self) -> Decimal:
        return self.should - self.paid


@dataclass
class Retro:
    """One employee's retro pay for one run: engine items, flags and what the hash must see."""

    items: tuple[engine.PayItem, ...] = ()
    flags: list[dict] = field(default_factory=list)
    unconfirmed: list[PeriodArrears] = field(default_factory=list)
    found: list[PeriodArrears] = field(default_factory=list)

    @property
    def hash_part(self) -> tuple:
        """What the inputs hash must see beyond the engine inputs: unconfirmed recoveries (they
        are flags, not items, yet a new amount must recalculate the payslip)."""
        return tuple((a.period.pk, str(a.amount)) for a in self.unconfirmed)


def _span(period: PayPeriod) -> str:
    return _dates(period.start_date, period.end_date, get_language())


@lru_cache(maxsize=1024)
def _dates(start: date, end: date, _language: str | None) -> str:
    # Cached: Django's date formatting costs ~0.1 ms, and a chunk asks for the same few periods
    # hundreds of times (per language, as month names are translated).
    fmt = "j M" if start.year == end.year else "j M Y"
    return f"{dateformat.format(start, fmt)} \u2013 {dateformat.format(end, fmt)}"


def _candidates(records: list[CompensationRecord], before: date) -> list[CompensationRecord]:
    """Records that may have come after a finalised run of a period they cover: not the first
    record (nothing was paid before it) and in force before this run's period."""
    return [r for r in records[1:] if r.effective_date < before]


class _Runs:
    """Finalised runs indexed two ways, so finding those a record reaches (created before it was
    entered, period ending on or after its effective date) looks at the shorter of two slices:
    an old record has few runs created before it, a recent one few periods ending after it."""

    def __init__(self, runs: list[PayRun]):
        self.by_created = sorted(runs, key=lambda r: r.created_at)
        self.created = [r.created_at for r in self.by_created]
        self.by_end = sorted(runs, key=lambda r: r.period.end_date)
        self.ends = [r.period.end_date for r in self.by_end]

    def reached(self, record: CompensationRecord) -> set[int]:
        before = self.by_created[:bisect_left(self.created, record.created_at)]
        after = self.by_end[bisect_left(self.ends, record.effective_date):]
        return {r.period_id for r in min(before, after, key=len)
                if r.created_at < record.created_at and r.period.end_date >= record.effective_date}


def _reached(candidates: list[CompensationRecord], runs: _Runs) -> set[int]:
    """Period ids of finalised runs created before a record covering that period was entered."""
    return {period_id for r in candidates for period_id in runs.reached(r)}


def _in_force(rows: list[tuple]) -> set[int]:
    """Payslips whose arrears lines are in force: of a run and its corrections, only the latest
    payslip of each employee counts. A correction reverses the arrears the corrected payslip paid
    (its reversal names no period) and pays none itself, so they are due again, never lost and
    never doubled."""
    latest: dict[tuple[int, int], tuple] = {}
    for row in rows:
        if row[5] == ARREARS_CODE:
            emp, payslip_id, day, run_id, corrects_id = row[0], row[2], row[4], row[8], row[9]
            key = (emp, corrects_id or run_id)
            latest[key] = max(latest.get(key, (day, payslip_id)), (day, payslip_id))
    return {payslip_id for _day, payslip_id in latest.values()}


def _paid(rows: list[tuple], wanted: dict[int, set[int]]) -> dict[tuple[int, int], _Paid]:
    paid: dict[tuple[int, int], _Paid] = defaultdict(_Paid)
    in_force = _in_force(rows)
    for row in rows:
        emp, period_id, payslip_id, number, _day, code, qty, amount = row[:8]
        if code == ARREARS_CODE:
            if payslip_id not in in_force:
                continue
            period_id = row[10]  # the period the arrears line pays (its trace)
        if period_id not in wanted.get(emp, ()):
            continue
        p = paid[(emp, period_id)]
        p.amount += amount
        p.payslips[payslip_id] = f"PS-{number:08d}" if number else f"#{payslip_id}"
        if code == ARREARS_CODE:
            continue
        if p.latest != payslip_id:  # a later payslip (a correction) replaces the hours paid
            p.latest, p.hours = payslip_id, {}
        if qty is not None and code != "SALARY":
            p.hours[code] = p.hours.get(code, ZERO) + qty
            if code == "OVERTIME" and row[11] is not None:
                p.multiplier = Decimal(str(row[11]))
    return paid


def _should(employee: Employee, records: list[CompensationRecord], period: PayPeriod,
            paid: _Paid, leave: tuple[date, ...]) -> list[engine.PayLine]:
    """Base pay for the period as the engine prorates it with today's records."""
    schedule = period.schedule
    start, end = period.start_date, period.end_date
    segments, _ = _segments(records, start, end)
    inputs = engine.PayInputs(
        jurisdiction=schedule.jurisdiction, pay_date=period.pay_date, period_start=start,
        period_end=end, pay_frequency=schedule.frequency, compensation=segments,
        period_number=period.number,
        employment_start=employee.hire_date if employee.hire_date > start else None,
        employment_end=employee.termination_date if employee.termination_date
        and employee.termination_date < end else None,
        proration_basis=schedule.proration_basis,
        unpaid_leave_days=tuple(d for d in leave if start <= d <= end),
        hours_worked=paid.hours.get("HOURLY", ZERO),
        overtime_hours=paid.hours.get("OVERTIME", ZERO), overtime_multiplier=paid.multiplier,
    )
    return salary_lines(inputs) + hourly_lines(inputs)


def _what(lines: list[engine.PayLine]) -> str:
    codes = {line.code for line in lines}
    if codes == {"SALARY"}:
        return "salary"
    return "hourly pay" if codes and "SALARY" not in codes else "pay"


def _arrears(employee: Employee, records: list[CompensationRecord], periods: dict[int, PayPeriod],
             paid: dict[tuple[int, int], _Paid], leave: tuple[date, ...]) -> list[PeriodArrears]:
    found = []
    for period_id, period in periods.items():
        done = paid.get((employee.pk, period_id))
        if done is None or done.latest is None:
            continue  # not paid base pay in that period: nothing to correct
        lines = _should(employee, records, period, done, leave)
        should = sum((line.amount for line in lines), ZERO)
        if should != done.amount:
            found.append(PeriodArrears(period, should, done.amount, _what(lines),
                                       tuple(done.payslips.values())))
    return sorted(found, key=lambda a: a.period.start_date)


def _item(a: PeriodArrears) -> engine.PayItem:
    label = "Arrears" if a.amount > 0 else "Recovery"
    name = f"{label}: {a.what} {_span(a.period)}"
    trace = {
        "inputs": {"period_id": a.period.pk,
                   "period": [a.period.start_date.isoformat(), a.period.end_date.isoformat()],
                   "corrects": list(a.corrects), "should_have_been": str(a.should),
                   "paid": str(a.paid)},
        "formula": f"should have been {a.should} - paid {a.paid} (payslips "
                   f"{', '.join(a.corrects)}) = {a.amount}",
        "rule": RULE,
    }
    return engine.PayItem(dataclasses.replace(ARREARS, name=name), amount=a.amount, trace=trace)


def _recovery_flag(a: PeriodArrears, currency: str) -> dict:
    return {"code": RECOVERY_FLAG, "blocking": True, "overridable": True, "message": _(
        "A back-dated pay decrease means %(amount)s %(currency)s was overpaid for %(span)s "
        "(payslips %(payslips)s). A Payroll Admin must confirm the recovery before it is "
        "deducted; override this flag to pay this run without recovering it."
    ) % {"amount": -a.amount, "currency": currency, "span": _span(a.period),
         "payslips": ", ".join(a.corrects)}}


def _retro(employee_id: int, found: list[PeriodArrears], confirmed: set, currency: str
           ) -> Retro:
    retro = Retro(found=found)
    items = []
    for a in found:
        if a.amount > 0 or (employee_id, a.period.pk, -a.amount) in confirmed:
            items.append(_item(a))
        else:
            retro.unconfirmed.append(a)
            retro.flags.append(_recovery_flag(a, currency))
    retro.items = tuple(items)
    return retro


def retro_for_chunk(run: PayRun, employees, comp: dict[int, list[CompensationRecord]]
                    ) -> dict[int, Retro]:
    """Retro pay for a chunk of a regular (or final pay) run, for those who have some: nothing
    for other kinds of run. No query unless someone has a record in force before this period
    that is not their first; then one for the finalised runs it may reach and, only when one is
    reached, one each for the lines paid, unpaid leave and (for a decrease) confirmations."""
    if run.kind not in PAYING_KINDS:
        return {}
    start = run.period.start_date
    candidates = {e: c for e, records in comp.items() if (c := _candidates(records, start))}
    if not candidates:
        return {}
    flat = [r for c in candidates.values() for r in c]
    runs = frozen_runs_reached(from_day=min(r.effective_date for r in flat), before=start,
                               created_before=max(r.created_at for r in flat))
    index = _Runs(runs)
    reached = {e: ids for e, c in candidates.items() if (ids := _reached(c, index))}
    if not reached:
        return {}
    periods = {r.period_id: r.period for r in runs}
    found = _found(employees, comp, reached, periods, *_fetch(reached, periods))
    found = {e: arrears for e, arrears in found.items() if arrears}
    negative = any(a.amount < 0 for arrears in found.values() for a in arrears)
    confirmed = confirmed_recoveries(sorted(found), sorted(periods)) if negative else set()
    return {e: _retro(e, arrears, confirmed, run.currency) for e, arrears in found.items()}


def _fetch(reached: dict[int, set[int]], periods: dict[int, PayPeriod]):
    period_ids = sorted({p for ids in reached.values() for p in ids})
    emp_ids = sorted(reached)
    paid = _paid(paid_lines(emp_ids, period_ids), reached)
    chosen = [periods[p] for p in period_ids]
    leave = unpaid_leave_days_by_employee(emp_ids, min(p.start_date for p in chosen),
                                          max(p.end_date for p in chosen))
    return paid, leave


def _found(employees, comp, reached: dict[int, set[int]], periods: dict[int, PayPeriod],
           paid: dict[tuple[int, int], _Paid], leave: dict[int, tuple[date, ...]]
           ) -> dict[int, list[PeriodArrears]]:
    return {
        employee.pk: _arrears(employee, comp[employee.pk],
                              {p: periods[p] for p in sorted(reached[employee.pk])}, paid,
                              leave.get(employee.pk, ()))
        for employee in employees if employee.pk in reached
    }


def retro_apply(prepared, retro: "Retro | None") -> None:
    """Add an employee's retro flags and reason to their prepared calculation."""
    if retro is not None:
        prepared.flags.extend(retro.flags)
        prepared.reasons.append(RETRO_REASON)


def retro_preview(*, employee: Employee, effective_date: date, pay) -> tuple[int, Decimal]:
    """(finalised periods reached, arrears) if this pay change were saved now: what the next
    regular run would pay (negative: recover) because of it, on top of anything already due.
    Registered as the employees app's pay-change hook (payroll.apps)."""
    runs = frozen_runs_reached(from_day=effective_date, before=date.max, created_before=None)
    if not runs:
        return 0, ZERO
    records = list(CompensationRecord.objects.filter(employee=employee).order_by(
        "effective_date"))
    change = CompensationRecord(
        employee=employee, effective_date=effective_date, basis=pay.basis,
        annual_salary=pay.annual_salary, hourly_rate=pay.hourly_rate, currency=pay.currency,
        pay_schedule=pay.pay_schedule, created_at=timezone.now())
    changed = sorted([r for r in records if r.effective_date != effective_date] + [change],
                     key=lambda r: r.effective_date)
    periods = {r.period_id: r.period for r in runs}
    reached = {employee.pk: set(periods)}
    paid, leave = _fetch(reached, periods)
    before = _found([employee], {employee.pk: records}, reached, periods, paid, leave)
    after = _found([employee], {employee.pk: changed}, reached, periods, paid, leave)
    was = {a.period.pk: a.amount for a in before[employee.pk]}
    diffs = [a.amount - was.get(a.period.pk, ZERO) for a in after[employee.pk]]
    diffs += [-amount for p, amount in was.items()
              if p not in {a.period.pk for a in after[employee.pk]}]
    diffs = [d for d in diffs if d]
    return len(diffs), sum(diffs, ZERO)


@transaction.atomic
def retro_recovery_confirm(*, run: PayRun, employee: Employee, acting_user,
                           comment: str = "") -> list[RetroRecovery]:
    """A Payroll Admin confirms the recoveries this run found for this employee: the run goes
    back to draft and its next calculation deducts them (each exactly the amount confirmed)."""
    from payroll.services.runs import require_payroll_admin, run_mark_inputs_changed

    require_payroll_admin(acting_user)
    if employee.user_id is not None and employee.user_id == acting_user.pk:
        raise PermissionDenied(_("Someone else must confirm a recovery from your own pay."))
    run = PayRun.objects.select_for_update().select_related("schedule", "period").get(pk=run.pk)
    if run.is_frozen or run.kind not in PAYING_KINDS:
        raise ValidationError(_("Recoveries are confirmed on a regular run that is not "
                                "finalised yet."))
    comp = list(CompensationRecord.objects.filter(
        employee=employee, effective_date__lte=run.period.end_date).order_by("effective_date"))
    retro = retro_for_chunk(run, [employee], {employee.pk: comp}).get(employee.pk)
    if retro is None or not retro.unconfirmed:
        raise ValidationError(_("There is no recovery to confirm for %(name)s in this run.")
                              % {"name": employee.display_name})
    rows = []
    for a in retro.unconfirmed:
        row = RetroRecovery.objects.create(employee=employee, period=a.period, amount=-a.amount,
                                           comment=comment.strip()[:500],
                                           confirmed_by=acting_user)
        audit_record(actor=acting_user, action="create", obj=row, employee_id=employee.pk,
                     changes={"amount": [None, str(row.amount)],
                              "period": [None, str(a.period)]},
                     note=f"recovery confirmed for {_span(a.period)} in run {run.pk}")
        rows.append(row)
    run_mark_inputs_changed(run)
    return rows
